import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startArgoCdSimulator, startCloudflareSimulator } from '../src/index.js';
import { FaultSpecError, FaultStore, parseFaultSpec } from '../src/kit/faults.js';
import { Router } from '../src/kit/router.js';
import { argo, cloudflare, type TestSim } from './helpers.js';

describe('Router', () => {
  const router = new Router()
    .add('GET', '/zones/:zone_id/dns_records/:id', () => ({ status: 200, json: 'record' }))
    .add('POST', '/zones/:zone_id/dns_records/batch', () => ({ status: 200, json: 'batch' }));

  it('prefers literal segments over parameters', () => {
    const m = router.match('POST', '/zones/z1/dns_records/batch');
    expect(m.kind).toBe('found');
    if (m.kind === 'found') expect(m.route.pattern).toBe('/zones/:zone_id/dns_records/batch');
  });

  it('decodes parameters and keeps encoded slashes inside one segment', () => {
    const m = router.match('GET', '/zones/z1/dns_records/a%2Fb');
    expect(m.kind === 'found' && m.params).toEqual({ zone_id: 'z1', id: 'a/b' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('DELETE', '/zones/z1/dns_records/batch').kind).toBe('method-not-allowed');
    expect(router.match('GET', '/nothing/here').kind).toBe('not-found');
  });
});

describe('fault specs', () => {
  it('rejects malformed faults with a message saying what to fix', () => {
    expect(() => parseFaultSpec({ route: '/no-method', kind: 'drop' })).toThrow(/METHOD/);
    expect(() => parseFaultSpec({ route: 'GET /x', kind: 'explode' })).toThrow(/kind must be one of/);
    expect(() => parseFaultSpec({ route: 'GET /x', kind: 'latency' })).toThrow(/latencyMs/);
    expect(() => parseFaultSpec({ route: 'GET /x', kind: 'status' })).toThrow(/status/);
    expect(() => parseFaultSpec({ route: 'GET /(', kind: 'drop' })).toThrow(FaultSpecError);
    expect(() => parseFaultSpec({ route: 'GET /x', kind: 'drop', times: 0 })).toThrow(/times/);
  });

  it('anchors the regex, honours * methods and counts down times per matching request', () => {
    const store = new FaultStore();
    store.add(parseFaultSpec({ route: '* /api/v1/applications/.*/sync', kind: 'status', status: 503, times: 2 }));
    expect(store.take('POST', ['/api/v1/applications/a/sync/extra']).terminal).toBeUndefined();
    expect(store.take('GET', ['/api/v1/applications']).terminal).toBeUndefined();
    expect(store.take('POST', ['/api/v1/applications/a/sync']).terminal?.status).toBe(503);
    expect(store.take('PUT', ['/api/v1/applications/b/sync']).terminal?.status).toBe(503);
    expect(store.take('POST', ['/api/v1/applications/a/sync']).terminal).toBeUndefined();
    expect(store.list()).toHaveLength(0);
  });

  it('adds latency from every matching latency fault but lets only one fault own the response', () => {
    const store = new FaultStore();
    store.add(parseFaultSpec({ route: 'GET /a', kind: 'latency', latencyMs: 10 }));
    store.add(parseFaultSpec({ route: 'GET /a', kind: 'latency', latencyMs: 5 }));
    const first = store.add(parseFaultSpec({ route: 'GET /a', kind: 'drop', times: 1 }));
    const second = store.add(parseFaultSpec({ route: 'GET /a', kind: 'status', status: 500, times: 1 }));
    const plan = store.take('GET', ['/a']);
    expect(plan.latencyMs).toBe(15);
    expect(plan.terminal?.id).toBe(first.id);
    expect(store.take('GET', ['/a']).terminal?.id).toBe(second.id);
  });
});

describe('fault injection over HTTP', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await argo();
  });
  afterAll(() => t.sim.close());
  afterEach(() => t.control('POST', '/_sim/reset'));

  it('latency delays the response by at least latencyMs', async () => {
    const fault = await t.control('POST', '/_sim/faults', { route: 'GET /api/v1/applications/my-app', kind: 'latency', latencyMs: 300 });
    expect(fault.status).toBe(200);
    expect(typeof fault.body.id).toBe('string');
    const started = performance.now();
    const res = await t.api('GET', '/api/v1/applications/my-app');
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    const fast = performance.now();
    await t.api('GET', '/api/v1/applications');
    expect(performance.now() - fast).toBeLessThan(250);
  });

  it('status faults answer with the vendor error shape, then stop after `times`', async () => {
    await t.control('POST', '/_sim/faults', { route: 'POST /api/v1/applications/.*/sync', kind: 'status', status: 503, times: 1 });
    const failed = await t.api('POST', '/api/v1/applications/my-app/sync', {});
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 14, error: expect.any(String), message: expect.any(String) });
    // The fault consumed the request: the app was not touched.
    const app = await t.api('GET', '/api/v1/applications/my-app');
    expect(app.body.operation).toBeUndefined();
    const ok = await t.api('POST', '/api/v1/applications/my-app/sync', {});
    expect(ok.status).toBe(200);
  });

  it('status faults can carry a custom body', async () => {
    await t.control('POST', '/_sim/faults', { route: 'GET /api/version', kind: 'status', status: 502, body: { oops: true } });
    const res = await t.api('GET', '/api/version');
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ oops: true });
  });

  it('rate_limit answers 429 with Retry-After', async () => {
    await t.control('POST', '/_sim/faults', { route: 'GET /api/v1/applications', kind: 'rate_limit', retryAfterSeconds: 7, times: 2 });
    const first = await t.api('GET', '/api/v1/applications');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await t.api('GET', '/api/v1/applications')).status).toBe(429);
    expect((await t.api('GET', '/api/v1/applications')).status).toBe(200);
  });

  it('drop closes the socket without a response', async () => {
    await t.control('POST', '/_sim/faults', { route: 'GET /api/v1/applications/my-app', kind: 'drop', times: 1 });
    await expect(fetch(`${t.sim.url}/api/v1/applications/my-app`, { headers: { authorization: 'Bearer argocd-test-token' } })).rejects.toThrow();
    const after = await t.api('GET', '/api/v1/applications/my-app');
    expect(after.status).toBe(200);
    const log = (await t.control('GET', '/_sim/requests')).body as Array<{ status: number; fault?: string }>;
    expect(log.map((e) => e.status)).toEqual([0, 200]);
    expect(log[0].fault).toBe('drop');
  });

  it('lists, deletes one and clears all faults', async () => {
    const a = await t.control('POST', '/_sim/faults', { route: 'GET /x', kind: 'drop' });
    await t.control('POST', '/_sim/faults', { route: 'GET /y', kind: 'drop' });
    expect((await t.control('GET', '/_sim/faults')).body).toHaveLength(2);
    expect((await t.control('DELETE', `/_sim/faults/${a.body.id}`)).status).toBe(200);
    expect((await t.control('GET', '/_sim/faults')).body).toHaveLength(1);
    await t.control('DELETE', '/_sim/faults');
    expect((await t.control('GET', '/_sim/faults')).body).toHaveLength(0);
  });

  it('rejects an invalid fault with 400', async () => {
    const res = await t.control('POST', '/_sim/faults', { route: 'GET /x', kind: 'latency' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/latencyMs/);
  });

  it('reset clears faults, the request log and state', async () => {
    await t.control('POST', '/_sim/faults', { route: '* .*', kind: 'status', status: 500 });
    expect((await t.api('GET', '/api/v1/applications')).status).toBe(500);
    await t.api('POST', '/_sim/applications', { name: 'extra' });
    await t.control('POST', '/_sim/reset');
    expect((await t.control('GET', '/_sim/requests')).body).toEqual([]);
    const list = await t.api('GET', '/api/v1/applications');
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { metadata: { name: string } }) => a.metadata.name)).toEqual(['my-app']);
  });

  it('keeps the request log bounded to the last 1000 requests', async () => {
    await Promise.all(Array.from({ length: 1010 }, () => t.api('GET', '/api/version')));
    const log = (await t.control('GET', '/_sim/requests')).body as unknown[];
    expect(log).toHaveLength(1000);
  });
});

describe('fault routes with and without the Cloudflare API prefix', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await cloudflare();
  });
  afterAll(() => t.sim.close());

  it('matches "GET /zones" as well as "GET /client/v4/zones"', async () => {
    await t.control('POST', '/_sim/faults', { route: 'GET /zones', kind: 'status', status: 500, times: 1 });
    await t.control('POST', '/_sim/faults', { route: 'GET /client/v4/zones', kind: 'status', status: 503, times: 1 });
    const first = await t.api('GET', '/client/v4/zones');
    expect(first.status).toBe(500);
    expect(first.body).toMatchObject({ success: false, result: null, errors: [{ code: expect.any(Number) }] });
    expect((await t.api('GET', '/client/v4/zones')).status).toBe(503);
    expect((await t.api('GET', '/client/v4/zones')).status).toBe(200);
  });
});

describe('public API', () => {
  it('starts both simulators on random ports, resets and closes them', async () => {
    const a = await startArgoCdSimulator({ port: 0 });
    const c = await startCloudflareSimulator({ port: 0 });
    try {
      expect(a.name).toBe('argocd');
      expect(c.name).toBe('cloudflare');
      expect(a.port).toBeGreaterThan(0);
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
      const created = await fetch(`${c.url}/client/v4/accounts/account-1/storage/kv/namespaces`, {
        method: 'POST',
        headers: { authorization: 'Bearer cloudflare-test-token', 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'ns' }),
      });
      expect(created.status).toBe(200);
      await c.reset();
      const state = (await (await fetch(`${c.url}/_sim/state`)).json()) as { kvNamespaces: unknown[] };
      expect(state.kvNamespaces).toEqual([]);
    } finally {
      await a.close();
      await c.close();
    }
    await expect(fetch(`${a.url}/api/version`)).rejects.toThrow();
  });

  it('honours custom credentials and seed: false', async () => {
    const a = await startArgoCdSimulator({ port: 0, token: 'tok', seed: false });
    try {
      const res = await fetch(`${a.url}/api/v1/applications`, { headers: { authorization: 'Bearer tok' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
      const wrong = await fetch(`${a.url}/api/v1/applications`, { headers: { authorization: 'Bearer argocd-test-token' } });
      expect(wrong.status).toBe(401);
    } finally {
      await a.close();
    }
  });
});
