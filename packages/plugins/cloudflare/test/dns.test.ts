import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordsBatchRuntime, recordsCreateRuntime, recordsDeleteRuntime, recordsGetRuntime, recordsListRuntime, recordsUpdateRuntime, recordsUpsertRuntime } from '../src/runtime';
import { toFqdn } from '../src/records';
import { ZONE_ID, api, connection, control, fault, requests, run, startSim, state, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const seedProps = (extra: Record<string, unknown> = {}) => ({
  ...connection(sim),
  zoneId: ZONE_ID,
  recordType: 'A',
  name: 'app.example.com',
  content: '1.2.3.4',
  ...extra,
});

const records = async () => (await state(sim)).records as any[];

describe('toFqdn', () => {
  it('qualifies relative names and keeps FQDNs', () => {
    expect(toFqdn('app', 'example.com')).toBe('app.example.com');
    expect(toFqdn('@', 'example.com')).toBe('example.com');
    expect(toFqdn('App.Example.com.', 'example.com')).toBe('app.example.com');
    expect(toFqdn('example.com', 'example.com')).toBe('example.com');
    expect(toFqdn('a.b', 'example.com')).toBe('a.b.example.com');
  });
});

describe('cloudflare.dns.records.Upsert', () => {
  it('creates the record when there is none (seed flow props)', async () => {
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error).toBeUndefined();
    expect(r.outputs.action).toBe('created');
    expect(r.outputs.record).toMatchObject({ name: 'app.example.com', type: 'A', content: '1.2.3.4', ttl: 1 });
    expect(r.outputs.recordId).toBe(r.outputs.record.id);
    expect(r.outputs.previous).toBeUndefined();
    const stored = await records();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: r.outputs.recordId, name: 'app.example.com', content: '1.2.3.4' });
    expect(JSON.parse(JSON.stringify(r.outputs))).toEqual(r.outputs);
  });

  it('reports unchanged on a second run, without writing', async () => {
    await run(recordsUpsertRuntime, seedProps());
    const before = (await requests(sim)).length;
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.outputs.action).toBe('unchanged');
    expect(r.outputs.changed).toEqual([]);
    const calls = (await requests(sim)).slice(before);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET']);
    expect(await records()).toHaveLength(1);
  });

  it('updates only the fields that differ, with a relative name, and returns the previous record', async () => {
    const first = await run(recordsUpsertRuntime, seedProps({ ttl: 300, comment: 'v1' }));
    const r = await run(recordsUpsertRuntime, seedProps({ name: 'app', content: '5.6.7.8', ttl: 300, comment: 'v1' }));
    expect(r.outputs.action).toBe('updated');
    expect(r.outputs.changed).toEqual(['content']);
    expect(r.outputs.recordId).toBe(first.outputs.recordId);
    expect(r.outputs.previous.content).toBe('1.2.3.4');
    expect(r.outputs.record).toMatchObject({ content: '5.6.7.8', ttl: 300, comment: 'v1' });
    expect(r.logs.some((l) => l.message === 'updated A app.example.com: content "1.2.3.4" → "5.6.7.8"')).toBe(true);
    const stored = await records();
    expect(stored).toHaveLength(1);
    expect(stored[0].content).toBe('5.6.7.8');
  });

  it('refuses to guess between several records of the same name and type', async () => {
    await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'app.example.com', content: '10.0.0.1', ttl: 1 });
    await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'app.example.com', content: '10.0.0.2', ttl: 1 });
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain('2 A records are named app.example.com in zone example.com (10.0.0.1, 10.0.0.2)');
    // ... but one with the requested content is the one it manages.
    const same = await run(recordsUpsertRuntime, seedProps({ content: '10.0.0.2' }));
    expect(same.outputs.action).toBe('unchanged');
  });

  it("surfaces Cloudflare's error codes, e.g. a CNAME clash", async () => {
    await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'CNAME', name: 'app.example.com', content: 'lb.example.net', ttl: 1 });
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toMatch(/^Cloudflare API error 8105[34]: .* \(POST \/zones\/your_zone_id\/dns_records\)$/);
  });

  it('fails with AUTHENTICATION on a bad token, without leaking it', async () => {
    const r = await run(recordsUpsertRuntime, seedProps({ apiToken: 'wrong-token-value' }));
    expect(r.error?.code).toBe('AUTHENTICATION');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain('Cloudflare API error 10000: Authentication error (GET /zones/your_zone_id)');
    expect(r.error?.message).not.toContain('wrong-token-value');
    expect(r.masker.maskText('wrong-token-value')).toBe('******');
  });

  it('works with the legacy email and global API key', async () => {
    const r = await run(recordsUpsertRuntime, {
      ...seedProps(),
      apiToken: undefined,
      email: 'admin@example.com',
      apiKey: 'cloudflare-global-key',
    });
    expect(r.outputs.action).toBe('created');
  });

  it('fails with NOT_FOUND naming the zone', async () => {
    const r = await run(recordsUpsertRuntime, seedProps({ zoneId: 'no-such-zone' }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toMatch(/^zone 'no-such-zone' not found: Cloudflare API error 7003: Could not route/);
  });

  it('waits out a short 429 (Retry-After) and succeeds', async () => {
    await fault(sim, { route: 'POST /zones/.*/dns_records', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error).toBeUndefined();
    expect(r.outputs.action).toBe('created');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(r.logs.some((l) => l.level === 'WARN' && l.message.startsWith('rate limited by Cloudflare: Cloudflare API error 10429'))).toBe(true);
    const posts = (await requests(sim)).filter((q) => q.method === 'POST');
    expect(posts.map((q) => q.status)).toEqual([429, 200]);
  });

  it("honours the simulator's real rate-limit window", async () => {
    await control(sim, 'PUT', '/_sim/rate-limit', { limit: 2, windowSeconds: 1 });
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error).toBeUndefined();
    expect(r.outputs.action).toBe('created');
    expect((await requests(sim)).some((q) => q.status === 429)).toBe(true);
  });

  it('raises RATE_LIMITED with retryAfterMs when the wait is too long for the task', async () => {
    await fault(sim, { route: 'GET /zones/your_zone_id', kind: 'rate_limit', retryAfterSeconds: 300, times: 1 });
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error?.code).toBe('RATE_LIMITED');
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.retryAfterMs).toBe(300_000);
    expect(r.elapsedMs).toBeLessThan(1_000);
  });

  it('maps a 5xx to a retryable UPSTREAM_UNAVAILABLE and a dropped connection too', async () => {
    await fault(sim, { route: 'GET /zones/your_zone_id', kind: 'status', status: 502, times: 1 });
    const r = await run(recordsUpsertRuntime, seedProps());
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.message).toContain('(GET /zones/your_zone_id)');

    await fault(sim, { route: 'GET /zones/your_zone_id', kind: 'drop', times: 1 });
    const dropped = await run(recordsUpsertRuntime, seedProps());
    expect(dropped.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(dropped.error?.retryable).toBe(true);
  });

  it('stops promptly with CANCELLED when killed during a slow request', async () => {
    await fault(sim, { route: 'GET /zones/your_zone_id', kind: 'latency', latencyMs: 5_000, times: 1 });
    const r = await run(recordsUpsertRuntime, seedProps(), { abortAfterMs: 200 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.error?.retryable).toBe(false);
    expect(r.elapsedMs).toBeLessThan(1_000);
  });

  it('times out a slow request inside the task deadline', async () => {
    await fault(sim, { route: 'GET /zones/your_zone_id', kind: 'latency', latencyMs: 5_000, times: 1 });
    const r = await run(recordsUpsertRuntime, seedProps(), { deadline: Date.now() + 2_500 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.retryable).toBe(true);
    expect(r.elapsedMs).toBeLessThan(2_500);
  });

  it('rejects invalid properties with a useful message', async () => {
    const r = await run(recordsUpsertRuntime, { ...seedProps(), ttl: '300', recordType: 'AA' });
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toMatch(/ttl/);
    expect(r.error?.message).toMatch(/recordType/);
  });
});

describe('cloudflare.dns.records Create / Get / Update / Delete / List', () => {
  it('creates a record, and a second identical create fails with code 81058', async () => {
    const props = { ...connection(sim), zoneId: ZONE_ID, recordType: 'TXT', name: '_verify', content: 'verification=3f9a1c', ttl: 300 };
    const r = await run(recordsCreateRuntime, props);
    expect(r.outputs.record).toMatchObject({ name: '_verify.example.com', type: 'TXT', content: 'verification=3f9a1c', ttl: 300 });
    const again = await run(recordsCreateRuntime, props);
    expect(again.error?.code).toBe('CONFLICT');
    expect(again.error?.message).toBe('Cloudflare API error 81058: An identical record already exists. (POST /zones/your_zone_id/dns_records)');
  });

  it('gets a record by id or by name and type, and says when it does not exist', async () => {
    const created = await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'www.example.com', content: '192.0.2.1', ttl: 1 });
    const byId = await run(recordsGetRuntime, { ...connection(sim), zoneId: ZONE_ID, recordId: created.id });
    expect(byId.outputs.record.content).toBe('192.0.2.1');
    const byName = await run(recordsGetRuntime, { ...connection(sim), zoneId: ZONE_ID, name: 'www', recordType: 'A' });
    expect(byName.outputs.recordId).toBe(created.id);
    const missing = await run(recordsGetRuntime, { ...connection(sim), zoneId: ZONE_ID, recordId: 'deadbeef' });
    expect(missing.error?.code).toBe('NOT_FOUND');
    expect(missing.error?.message).toContain("DNS record 'deadbeef' in zone 'your_zone_id' not found: Cloudflare API error 81044: Record does not exist.");
    const missingByName = await run(recordsGetRuntime, { ...connection(sim), zoneId: ZONE_ID, name: 'nope', recordType: 'A' });
    expect(missingByName.error?.message).toBe('no A record named nope.example.com in zone example.com (your_zone_id)');
  });

  it('updates only the given fields', async () => {
    const created = await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'www.example.com', content: '192.0.2.1', ttl: 120, comment: 'keep me' });
    const r = await run(recordsUpdateRuntime, { ...connection(sim), zoneId: ZONE_ID, name: 'www.example.com', recordType: 'A', proxied: true });
    expect(r.error).toBeUndefined();
    // Fields not given keep their value; Cloudflare itself sets ttl to automatic on proxied records.
    expect(r.outputs.record).toMatchObject({ id: created.id, content: '192.0.2.1', comment: 'keep me', proxied: true, ttl: 1 });
    expect(r.outputs.previous.proxied).toBe(false);
    const renamed = await run(recordsUpdateRuntime, { ...connection(sim), zoneId: ZONE_ID, recordId: created.id, newName: 'web' });
    expect(renamed.outputs.record.name).toBe('web.example.com');
  });

  it('deletes by name and type, idempotently', async () => {
    await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'TXT', name: '_verify.example.com', content: 'a', ttl: 1 });
    const props = { ...connection(sim), zoneId: ZONE_ID, name: '_verify', recordType: 'TXT' };
    const r = await run(recordsDeleteRuntime, props);
    expect(r.outputs.deleted).toBe(1);
    expect(r.outputs.records[0].content).toBe('a');
    expect(await records()).toHaveLength(0);
    const again = await run(recordsDeleteRuntime, props);
    expect(again.error).toBeUndefined();
    expect(again.outputs.deleted).toBe(0);
    const byId = await run(recordsDeleteRuntime, { ...connection(sim), zoneId: ZONE_ID, recordId: 'gone' });
    expect(byId.outputs.deleted).toBe(0);
    const strict = await run(recordsDeleteRuntime, { ...props, ignoreMissing: false });
    expect(strict.error?.code).toBe('NOT_FOUND');
    // A wrong zone is never "already deleted".
    const wrongZone = await run(recordsDeleteRuntime, { ...connection(sim), zoneId: 'nope', recordId: 'gone' });
    expect(wrongZone.error?.code).toBe('NOT_FOUND');
  });

  it('lists with filters and pages through results', async () => {
    for (let i = 0; i < 120; i++) await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: `h${i}.example.com`, content: `192.0.2.${i % 250}`, ttl: 1 });
    await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'CNAME', name: 'www.example.com', content: 'example.com', ttl: 1 });
    const all = await run(recordsListRuntime, { ...connection(sim), zoneId: ZONE_ID });
    expect(all.outputs.count).toBe(121);
    const gets = (await requests(sim)).filter((q) => q.method === 'GET' && q.path.endsWith('/dns_records'));
    expect(gets.length).toBe(2);
    const cnames = await run(recordsListRuntime, { ...connection(sim), zoneId: ZONE_ID, recordType: 'CNAME' });
    expect(cnames.outputs.records.map((x: any) => x.name)).toEqual(['www.example.com']);
    const limited = await run(recordsListRuntime, { ...connection(sim), zoneId: ZONE_ID, maxResults: 10 });
    expect(limited.outputs.count).toBe(10);
  });

  it('fails List with AUTHENTICATION and 5xx like the other tasks', async () => {
    expect((await run(recordsListRuntime, { ...connection(sim), apiToken: 'bad', zoneId: ZONE_ID })).error?.code).toBe('AUTHENTICATION');
    await fault(sim, { route: 'GET /zones/your_zone_id/dns_records', kind: 'status', status: 500, times: 1 });
    const r = await run(recordsListRuntime, { ...connection(sim), zoneId: ZONE_ID });
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.message).toBe('Cloudflare API error 10502: simulated fault: HTTP 500 (GET /zones/your_zone_id/dns_records (page 1))');
  });
});

describe('cloudflare.dns.records.Batch', () => {
  it('applies deletes, patches and posts atomically', async () => {
    const old = await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'blue.example.com', content: '192.0.2.10', ttl: 1 });
    const keep = await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'api.example.com', content: '192.0.2.11', ttl: 1 });
    const r = await run(recordsBatchRuntime, {
      ...connection(sim),
      zoneId: ZONE_ID,
      deletes: [{ id: old.id }],
      patches: [{ id: keep.id, content: '192.0.2.12' }],
      posts: [{ recordType: 'A', name: 'green', content: '192.0.2.20', proxied: true }],
    });
    expect(r.error).toBeUndefined();
    expect(r.outputs.deletes.map((x: any) => x.id)).toEqual([old.id]);
    expect(r.outputs.patches[0]).toMatchObject({ id: keep.id, content: '192.0.2.12' });
    expect(r.outputs.posts[0]).toMatchObject({ name: 'green.example.com', proxied: true });
    expect((await records()).map((x) => x.name).sort()).toEqual(['api.example.com', 'green.example.com']);
  });

  it('changes nothing when one operation fails', async () => {
    const keep = await api(sim, 'POST', `/zones/${ZONE_ID}/dns_records`, { type: 'A', name: 'api.example.com', content: '192.0.2.11', ttl: 1 });
    const r = await run(recordsBatchRuntime, {
      ...connection(sim),
      zoneId: ZONE_ID,
      deletes: [{ id: keep.id }, { id: 'missing' }],
      posts: [{ recordType: 'A', name: 'new', content: '192.0.2.30' }],
    });
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain('81044');
    expect(r.error?.message).toContain('deletes[1]');
    expect((await records()).map((x) => x.id)).toEqual([keep.id]);
  });

  it('rejects an empty batch', async () => {
    const r = await run(recordsBatchRuntime, { ...connection(sim), zoneId: ZONE_ID });
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toContain('give at least one of deletes, patches, puts or posts');
  });
});
