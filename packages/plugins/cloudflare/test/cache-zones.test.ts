import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cachePurgeRuntime, zonesGetRuntime, zonesListRuntime } from '../src/runtime';
import { ACCOUNT_ID, ZONE_ID, connection, fault, requests, run, startSim, state, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const purges = async () => (await state(sim)).purges as any[];

describe('cloudflare.cache.Purge', () => {
  it('purges the files of the seed flow', async () => {
    const r = await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, files: ['https://app.example.com/'] });
    expect(r.error).toBeUndefined();
    expect(r.outputs.purged).toEqual({ by: 'files', count: 1 });
    expect(r.outputs.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.outputs.requestId).toBe(r.outputs.id);
    const recorded = await purges();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ zone_id: ZONE_ID, files: ['https://app.example.com/'] });
  });

  it('purges everything (also under the Kestra name purgeAll), tags, hosts and prefixes', async () => {
    await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, everything: true });
    await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, purgeAll: true });
    await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, tags: ['product-42'] });
    await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, hosts: ['www.example.com'] });
    await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, prefixes: ['www.example.com/assets'] });
    const recorded = await purges();
    expect(recorded.map((p) => Object.keys(p).find((k) => ['purge_everything', 'tags', 'hosts', 'prefixes', 'files'].includes(k)))).toEqual([
      'purge_everything',
      'purge_everything',
      'tags',
      'hosts',
      'prefixes',
    ]);
  });

  it('sends long URL lists in chunks of 30, with variant headers', async () => {
    const files = Array.from({ length: 35 }, (_, i) => `https://app.example.com/p/${i}`);
    const r = await run(cachePurgeRuntime, {
      ...connection(sim),
      zoneId: ZONE_ID,
      files: [...files, { url: 'https://app.example.com/', headers: { 'CF-Device-Type': 'mobile' } }],
    });
    expect(r.outputs.purged).toEqual({ by: 'files', count: 36 });
    expect(r.outputs.ids).toHaveLength(2);
    const recorded = await purges();
    expect(recorded.map((p) => p.files.length)).toEqual([30, 6]);
    expect(recorded[1].files[5]).toEqual({ url: 'https://app.example.com/', headers: { 'CF-Device-Type': 'mobile' } });
  });

  it('requires exactly one kind of purge', async () => {
    const none = await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID });
    expect(none.error?.code).toBe('INVALID_PROPERTIES');
    expect(none.error?.message).toContain('give one of everything: true, files, tags, hosts or prefixes');
    const two = await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, everything: true, tags: ['a'] });
    expect(two.error?.message).toContain('(got everything, tags)');
    expect(await purges()).toHaveLength(0);
  });

  it("passes Cloudflare's validation error through, with its code", async () => {
    const r = await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, files: ['app.example.com/'] });
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toMatch(/^Cloudflare API error 1012: Unable to purge app\.example\.com\/.* \(POST \/zones\/your_zone_id\/purge_cache\)$/);
  });

  it('fails with AUTHENTICATION, NOT_FOUND, UPSTREAM_UNAVAILABLE and waits out a 429', async () => {
    const props = { ...connection(sim), zoneId: ZONE_ID, files: ['https://app.example.com/'] };
    expect((await run(cachePurgeRuntime, { ...props, apiToken: 'nope' })).error?.code).toBe('AUTHENTICATION');
    const missing = await run(cachePurgeRuntime, { ...props, zoneId: 'nope' });
    expect(missing.error?.code).toBe('NOT_FOUND');
    expect(missing.error?.message).toContain("zone 'nope' not found");
    await fault(sim, { route: 'POST /zones/.*/purge_cache', kind: 'status', status: 503, times: 1 });
    const down = await run(cachePurgeRuntime, props);
    expect(down.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(down.error?.retryable).toBe(true);
    await fault(sim, { route: 'POST /zones/.*/purge_cache', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const limited = await run(cachePurgeRuntime, props);
    expect(limited.error).toBeUndefined();
    expect(limited.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(await purges()).toHaveLength(1);
  });

  it('stops with CANCELLED when killed during the call', async () => {
    await fault(sim, { route: 'POST /zones/.*/purge_cache', kind: 'latency', latencyMs: 5_000, times: 1 });
    const r = await run(cachePurgeRuntime, { ...connection(sim), zoneId: ZONE_ID, everything: true }, { abortAfterMs: 200 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.elapsedMs).toBeLessThan(1_000);
  });
});

describe('cloudflare.zones', () => {
  it('lists zones with filters', async () => {
    const r = await run(zonesListRuntime, { ...connection(sim), accountId: ACCOUNT_ID, status: 'active' });
    expect(r.outputs.count).toBe(1);
    expect(r.outputs.zones[0]).toMatchObject({ id: ZONE_ID, name: 'example.com', status: 'active', accountId: ACCOUNT_ID, nameServers: expect.any(Array) });
    const none = await run(zonesListRuntime, { ...connection(sim), name: 'other.org' });
    expect(none.outputs.count).toBe(0);
  });

  it('gets a zone by id or by name', async () => {
    const byId = await run(zonesGetRuntime, { ...connection(sim), zoneId: ZONE_ID });
    expect(byId.outputs).toMatchObject({ id: ZONE_ID, name: 'example.com' });
    const byName = await run(zonesGetRuntime, { ...connection(sim), name: 'Example.com.' });
    expect(byName.outputs.id).toBe(ZONE_ID);
    expect(byName.outputs.zone.plan).toBe('Free Website');
  });

  it('says which zone is missing', async () => {
    const byName = await run(zonesGetRuntime, { ...connection(sim), name: 'missing.org' });
    expect(byName.error?.code).toBe('NOT_FOUND');
    expect(byName.error?.message).toContain("zone 'missing.org' not found");
    const byId = await run(zonesGetRuntime, { ...connection(sim), zoneId: '0000' });
    expect(byId.error?.code).toBe('NOT_FOUND');
    expect(byId.error?.message).toContain("zone '0000' not found: Cloudflare API error 7003");
  });

  it('fails on bad credentials, 5xx, and waits out a 429', async () => {
    expect((await run(zonesListRuntime, { ...connection(sim), apiToken: 'nope' })).error?.code).toBe('AUTHENTICATION');
    const badKey = await run(zonesListRuntime, { baseUrl: connection(sim).baseUrl, email: 'admin@example.com', apiKey: 'wrong-key-123' });
    expect(badKey.error?.code).toBe('AUTHENTICATION');
    expect(badKey.error?.message).not.toContain('wrong-key-123');
    await fault(sim, { route: 'GET /zones', kind: 'status', status: 500, times: 1 });
    expect((await run(zonesListRuntime, connection(sim))).error?.code).toBe('UPSTREAM_UNAVAILABLE');
    await fault(sim, { route: 'GET /zones', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const r = await run(zonesListRuntime, connection(sim));
    expect(r.outputs.count).toBe(1);
    expect((await requests(sim)).slice(-2).map((q) => q.status)).toEqual([429, 200]);
  });

  it('validates zoneId xor name and reports an unreachable API clearly', async () => {
    const both = await run(zonesGetRuntime, { ...connection(sim), zoneId: ZONE_ID, name: 'example.com' });
    expect(both.error?.code).toBe('INVALID_PROPERTIES');
    expect(both.error?.message).toContain('give exactly one of zoneId or name');
    const unreachable = await run(zonesGetRuntime, { apiToken: 'x', baseUrl: 'http://127.0.0.1:1/client/v4', zoneId: ZONE_ID });
    expect(unreachable.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(unreachable.error?.message).toContain('could not reach the Cloudflare API at http://127.0.0.1:1/client/v4 (GET /zones/your_zone_id)');
  });
});
