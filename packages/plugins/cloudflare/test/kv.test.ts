import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kvDeleteRuntime, kvGetRuntime, kvListKeysRuntime, kvNamespacesCreateRuntime, kvNamespacesListRuntime, kvWriteRuntime } from '../src/runtime';
import { ACCOUNT_ID, api, connection, fault, requests, run, startSim, state, type Sim } from './helpers';

let sim: Sim;
let namespaceId: string;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
  namespaceId = (await api(sim, 'POST', `/accounts/${ACCOUNT_ID}/storage/kv/namespaces`, { title: 'routing' })).id;
});

const ns = (extra: Record<string, unknown> = {}) => ({ ...connection(sim), accountId: ACCOUNT_ID, namespaceId, ...extra });

describe('cloudflare.kv.namespaces', () => {
  it('creates and lists namespaces', async () => {
    const r = await run(kvNamespacesCreateRuntime, { ...connection(sim), accountId: ACCOUNT_ID, title: 'staging' });
    expect(r.outputs.created).toBe(true);
    expect(r.outputs.namespace).toMatchObject({ id: r.outputs.namespaceId, title: 'staging' });
    const list = await run(kvNamespacesListRuntime, { ...connection(sim), accountId: ACCOUNT_ID });
    expect(list.outputs.namespaces.map((n: any) => n.title).sort()).toEqual(['routing', 'staging']);
  });

  it('fails on a duplicate title with the code, unless ifExists: skip', async () => {
    const dup = await run(kvNamespacesCreateRuntime, { ...connection(sim), accountId: ACCOUNT_ID, title: 'routing' });
    expect(dup.error?.code).toBe('CONFLICT');
    expect(dup.error?.message).toContain('Cloudflare API error 10014');
    const skip = await run(kvNamespacesCreateRuntime, { ...connection(sim), accountId: ACCOUNT_ID, title: 'routing', ifExists: 'skip' });
    expect(skip.outputs).toMatchObject({ created: false, namespaceId });
  });

  it('fails with NOT_FOUND for a wrong account and AUTHENTICATION for a bad token', async () => {
    const r = await run(kvNamespacesListRuntime, { ...connection(sim), accountId: 'other' });
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain("account 'other' not found");
    expect((await run(kvNamespacesListRuntime, { ...connection(sim), apiToken: 'nope', accountId: ACCOUNT_ID })).error?.code).toBe('AUTHENTICATION');
  });
});

describe('cloudflare.kv values', () => {
  it('writes many pairs with expiry and metadata, and reads them back as text, json and base64', async () => {
    const w = await run(
      kvWriteRuntime,
      ns({
        pairs: [
          { key: 'routing/app', value: { origin: '203.0.113.10', weight: 100 }, metadata: { by: 'baton' } },
          { key: 'banner', value: 'Maintenance at 22:00', expirationTtl: 3600 },
          { key: 'bin', value: Buffer.from([0, 1, 2, 255]).toString('base64'), base64: true },
        ],
      }),
    );
    expect(w.outputs).toMatchObject({ written: 3, successfulKeyCount: 3, unsuccessfulKeys: [] });
    const stored = (await state(sim)).kv;
    expect(JSON.stringify(stored)).toContain('banner');

    const json = await run(kvGetRuntime, ns({ key: 'routing/app', as: 'json' }));
    expect(json.outputs.value).toEqual({ origin: '203.0.113.10', weight: 100 });
    const text = await run(kvGetRuntime, ns({ keys: ['banner', 'routing/app'] }));
    expect(text.outputs.values).toEqual({ banner: 'Maintenance at 22:00', 'routing/app': '{"origin":"203.0.113.10","weight":100}' });
    expect(text.outputs.found).toBe(true);
    const bin = await run(kvGetRuntime, ns({ key: 'bin', as: 'base64' }));
    expect(bin.outputs.value).toBe(Buffer.from([0, 1, 2, 255]).toString('base64'));

    const keys = await run(kvListKeysRuntime, ns());
    const banner = keys.outputs.keys.find((k: any) => k.name === 'banner');
    expect(banner.expiration).toBeGreaterThan(Date.now() / 1000);
    expect(keys.outputs.keys.find((k: any) => k.name === 'routing/app').metadata).toEqual({ by: 'baton' });
  });

  it("accepts a single key and value, and Kestra's keyValues, with a default expiry", async () => {
    await run(kvWriteRuntime, ns({ key: 'one', value: 1 }));
    await run(kvWriteRuntime, ns({ keyValues: [{ key: 'two', value: 'b' }], expirationTtl: 120 }));
    const r = await run(kvGetRuntime, ns({ keys: ['one', 'two'] }));
    expect(r.error).toBeUndefined();
    expect(r.outputs.values).toEqual({ one: '1', two: 'b' });
    const keys = await run(kvListKeysRuntime, ns());
    expect(keys.outputs.keys.find((k: any) => k.name === 'two').expiration).toBeDefined();
    expect(keys.outputs.keys.find((k: any) => k.name === 'one').expiration).toBeUndefined();
  });

  it('says a value is not JSON when asked to parse it', async () => {
    await run(kvWriteRuntime, ns({ key: 'plain', value: 'not json' }));
    const r = await run(kvGetRuntime, ns({ key: 'plain', as: 'json' }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain("the value of KV key 'plain' is not JSON");
  });

  it('fails on a missing key unless ignoreMissing', async () => {
    const r = await run(kvGetRuntime, ns({ key: 'ghost' }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain(`KV key 'ghost' in namespace '${namespaceId}' not found`);
    const soft = await run(kvGetRuntime, ns({ key: 'ghost', ignoreMissing: true }));
    expect(soft.outputs).toEqual({ found: false, values: {}, missing: ['ghost'] });
    const wrongNs = await run(kvGetRuntime, ns({ key: 'ghost', namespaceId: 'nope', ignoreMissing: true }));
    expect(wrongNs.error?.code).toBe('NOT_FOUND');
  });

  it('deletes one or many keys, idempotently', async () => {
    await run(
      kvWriteRuntime,
      ns({
        pairs: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
          { key: 'c', value: '3' },
        ],
      }),
    );
    expect((await run(kvDeleteRuntime, ns({ key: 'a' }))).outputs.deleted).toBe(1);
    expect((await run(kvDeleteRuntime, ns({ key: 'a' }))).error).toBeUndefined();
    await run(kvDeleteRuntime, ns({ keys: ['b', 'c', 'zzz'] }));
    expect((await run(kvListKeysRuntime, ns())).outputs.count).toBe(0);
    const calls = (await requests(sim)).map((q) => `${q.method} ${q.path.replace(/.*namespaces\/[^/]+/, '')}`);
    expect(calls).toContain('DELETE /values/a');
    expect(calls).toContain('POST /bulk/delete');
  });

  it('lists keys by prefix across pages and stops at maxResults', async () => {
    const pairs = Array.from({ length: 1_500 }, (_, i) => ({ key: `k/${String(i).padStart(4, '0')}`, value: 'v' }));
    await run(kvWriteRuntime, ns({ pairs: [...pairs, { key: 'other', value: 'v' }] }));
    const all = await run(kvListKeysRuntime, ns({ prefix: 'k/', maxResults: 5_000 }));
    expect(all.outputs.count).toBe(1_500);
    expect(all.outputs.truncated).toBe(false);
    expect((await requests(sim)).filter((q) => q.path.endsWith('/keys')).length).toBe(2);
    const some = await run(kvListKeysRuntime, ns({ prefix: 'k/', maxResults: 15 }));
    expect(some.outputs.names).toEqual(pairs.slice(0, 15).map((p) => p.key));
    expect(some.outputs.truncated).toBe(true);
  });

  it('maps 5xx, 429 and cancellation', async () => {
    await fault(sim, { route: 'PUT /accounts/.*/bulk', kind: 'status', status: 503, times: 1 });
    const down = await run(kvWriteRuntime, ns({ key: 'x', value: 'y' }));
    expect(down.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(down.error?.retryable).toBe(true);
    await fault(sim, { route: 'PUT /accounts/.*/bulk', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    expect((await run(kvWriteRuntime, ns({ key: 'x', value: 'y' }))).outputs.written).toBe(1);
    await fault(sim, { route: 'GET /accounts/.*/values/x', kind: 'latency', latencyMs: 5_000, times: 1 });
    const killed = await run(kvGetRuntime, ns({ key: 'x' }), { abortAfterMs: 200 });
    expect(killed.error?.code).toBe('CANCELLED');
    expect(killed.elapsedMs).toBeLessThan(1_000);
  });

  it('validates key/keys and pairs', async () => {
    expect((await run(kvGetRuntime, ns())).error?.message).toContain('give exactly one of key or keys');
    const w = await run(kvWriteRuntime, ns({ key: 'x' }));
    expect(w.error?.message).toContain('value is required with key');
    const ttl = await run(kvWriteRuntime, ns({ pairs: [{ key: 'x', value: 'y', expirationTtl: 10 }] }));
    expect(ttl.error?.code).toBe('INVALID_PROPERTIES');
    expect(ttl.error?.message).toContain('pairs[0].expirationTtl');
  });
});
