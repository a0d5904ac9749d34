import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudflare, sleep, type TestSim } from './helpers.js';

const V4 = '/client/v4';
const ZONE = `${V4}/zones/your_zone_id`;
const KV = `${V4}/accounts/account-1/storage/kv/namespaces`;

describe('Cloudflare simulator', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await cloudflare();
  });
  afterAll(() => t.sim.close());
  beforeEach(() => t.control('POST', '/_sim/reset'));

  const state = async () => (await t.control('GET', '/_sim/state')).body;
  const createRecord = async (body: Record<string, unknown>) => t.api('POST', `${ZONE}/dns_records`, body);

  describe('auth and envelope', () => {
    it('accepts the bearer token and the legacy email + global key', async () => {
      expect((await t.api('GET', `${V4}/zones`)).status).toBe(200);
      const legacy = await t.api('GET', `${V4}/zones`, undefined, { authorization: '', 'x-auth-email': 'admin@example.com', 'x-auth-key': 'cloudflare-global-key' });
      expect(legacy.status).toBe(200);
      expect(legacy.body.success).toBe(true);
    });

    it('rejects bad credentials with 403 and code 10000 in the failure envelope', async () => {
      const expected = { success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null };
      const attempts: Array<Record<string, string>> = [
        { authorization: '' },
        { authorization: 'Bearer wrong' },
        { authorization: '', 'x-auth-email': 'admin@example.com', 'x-auth-key': 'wrong' },
      ];
      for (const headers of attempts) {
        const res = await t.api('GET', `${V4}/zones`, undefined, headers);
        expect(res.status).toBe(403);
        expect(res.body).toEqual(expected);
      }
    });

    it('verifies tokens', async () => {
      const ok = await t.api('GET', `${V4}/user/tokens/verify`);
      expect(ok.body.result.status).toBe('active');
      const bad = await t.api('GET', `${V4}/user/tokens/verify`, undefined, { authorization: 'Bearer nope' });
      expect(bad.status).toBe(401);
      expect(bad.body.errors[0].code).toBe(1000);
    });

    it('answers unknown routes and malformed JSON in the envelope', async () => {
      const none = await t.api('GET', `${V4}/nothing`);
      expect(none.status).toBe(404);
      expect(none.body.errors[0].code).toBe(7000);
      const malformed = await t.api('POST', `${ZONE}/dns_records`, '{"type":', { 'content-type': 'application/json' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ success: false, result: null, errors: [{ code: 6007 }] });
    });
  });

  describe('zones', () => {
    it('lists the seeded zone with result_info and filters by name, status and account', async () => {
      const res = await t.api('GET', `${V4}/zones`);
      expect(res.body.result).toHaveLength(1);
      expect(res.body.result[0]).toMatchObject({ id: 'your_zone_id', name: 'example.com', status: 'active', account: { id: 'account-1' } });
      expect(res.body.result_info).toEqual({ page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 });
      expect((await t.api('GET', `${V4}/zones?name=example.com`)).body.result).toHaveLength(1);
      expect((await t.api('GET', `${V4}/zones?name=example.org`)).body.result).toHaveLength(0);
      expect((await t.api('GET', `${V4}/zones?name=ends_with:.com`)).body.result).toHaveLength(1);
      expect((await t.api('GET', `${V4}/zones?account.id=account-1&status=active`)).body.result).toHaveLength(1);
      expect((await t.api('GET', `${V4}/zones?account.id=other`)).body.result).toHaveLength(0);
    });

    it('paginates with page/per_page', async () => {
      for (const name of ['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com']) {
        expect((await t.api('POST', `${V4}/zones`, { name, account: { id: 'account-1' } })).status).toBe(200);
      }
      const p2 = await t.api('GET', `${V4}/zones?per_page=5&page=2`);
      // Ordered by name: a, b, c, d, e | example, f.
      expect(p2.body.result.map((z: { name: string }) => z.name)).toEqual(['example.com', 'f.com']);
      expect(p2.body.result_info).toEqual({ page: 2, per_page: 5, count: 2, total_count: 7, total_pages: 2 });
      expect((await t.api('GET', `${V4}/zones?page=0`)).status).toBe(400);
    });

    it('gets a zone by id and answers an unknown one with 404 / 7003', async () => {
      expect((await t.api('GET', ZONE)).body.result.name).toBe('example.com');
      const res = await t.api('GET', `${V4}/zones/023e105f4ecef8ad9ca31a8372d0c353`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        success: false,
        errors: [
          { code: 7003, message: `Could not route to ${V4}/zones/023e105f4ecef8ad9ca31a8372d0c353, perhaps your object identifier is invalid?` },
          { code: 7000, message: 'No route for that URI' },
        ],
        messages: [],
        result: null,
      });
    });

    it('refuses a duplicate zone', async () => {
      const dup = await t.api('POST', `${V4}/zones`, { name: 'example.com', account: { id: 'account-1' } });
      expect(dup.status).toBe(400);
      expect(dup.body.errors[0].code).toBe(1061);
    });
  });

  describe('DNS records', () => {
    it('creates a record with the zone suffix and all the stored fields', async () => {
      const res = await createRecord({ type: 'A', name: 'www', content: '192.0.2.10', ttl: 300, proxied: false, comment: 'web', tags: ['team:edge'] });
      expect(res.status).toBe(200);
      const r = res.body.result;
      expect(r).toMatchObject({
        zone_id: 'your_zone_id',
        zone_name: 'example.com',
        name: 'www.example.com',
        type: 'A',
        content: '192.0.2.10',
        proxiable: true,
        proxied: false,
        ttl: 300,
        comment: 'web',
        tags: ['team:edge'],
      });
      expect(r.id).toMatch(/^[0-9a-f]{32}$/);
      expect(Date.parse(r.created_on)).not.toBeNaN();
      expect(r.modified_on).toBe(r.created_on);
      expect((await createRecord({ type: 'TXT', name: '@', content: 'v=spf1 -all' })).body.result.name).toBe('example.com');
      expect((await createRecord({ type: 'CNAME', name: 'docs.example.com.', content: 'Pages.Example.NET.' })).body.result).toMatchObject({
        name: 'docs.example.com',
        content: 'pages.example.net',
        ttl: 1,
      });
      expect((await state()).records).toHaveLength(3);
    });

    it('validates content, name, TTL, proxying and duplicates with Cloudflare error codes', async () => {
      const err = async (body: Record<string, unknown>) => {
        const res = await createRecord(body);
        expect(res.status).toBe(400);
        expect(res.body.success).toBe(false);
        expect(res.body.result).toBeNull();
        return res.body.errors[0];
      };
      expect(await err({ type: 'A', name: 'www', content: '999.1.1.1' })).toEqual({ code: 9005, message: 'Content for A record must be a valid IPv4 address.' });
      expect((await err({ type: 'AAAA', name: 'www', content: '192.0.2.1' })).code).toBe(9006);
      expect((await err({ type: 'A', name: 'bad name!', content: '192.0.2.1' })).code).toBe(9000);
      expect((await err({ type: 'A', name: 'www', content: '192.0.2.1', ttl: 5 })).code).toBe(9021);
      expect((await err({ type: 'TXT', name: 'www', content: 'x', proxied: true })).code).toBe(9004);
      expect((await err({ type: 'MX', name: '@', content: 'mail.example.com' })).message).toMatch(/priority/);
      expect((await err({ type: 'BOGUS', name: 'www', content: 'x' })).code).toBe(1004);
      expect((await createRecord({ type: 'A', name: 'www', content: '192.0.2.1' })).status).toBe(200);
      expect(await err({ type: 'A', name: 'www.example.com', content: '192.0.2.1' })).toEqual({ code: 81058, message: 'An identical record already exists.' });
      expect((await err({ type: 'CNAME', name: 'www', content: 'other.example.net' })).code).toBe(81053);
      expect((await state()).records).toHaveLength(1);
    });

    it('forces TTL to automatic for proxied records', async () => {
      const r = (await createRecord({ type: 'A', name: 'cdn', content: '192.0.2.5', ttl: 600, proxied: true })).body.result;
      expect(r).toMatchObject({ proxied: true, ttl: 1 });
    });

    it('lists with type, name (exact and name.exact), content filters and pagination', async () => {
      await createRecord({ type: 'A', name: 'a', content: '192.0.2.1' });
      await createRecord({ type: 'A', name: 'b', content: '192.0.2.2' });
      await createRecord({ type: 'TXT', name: 'a', content: 'hello' });
      const list = async (q: string) => (await t.api('GET', `${ZONE}/dns_records${q}`)).body;
      expect((await list('')).result_info).toMatchObject({ count: 3, total_count: 3, page: 1, per_page: 100 });
      expect((await list('?type=A')).result).toHaveLength(2);
      expect((await list('?name=a.example.com')).result).toHaveLength(2);
      expect((await list('?name.exact=a.example.com&type=TXT')).result.map((r: { content: string }) => r.content)).toEqual(['hello']);
      expect((await list('?content=192.0.2.2')).result.map((r: { name: string }) => r.name)).toEqual(['b.example.com']);
      expect((await list('?name=a')).result).toHaveLength(0);
      const page = await list('?per_page=5&page=1&type=A');
      expect(page.result_info).toMatchObject({ page: 1, per_page: 5, count: 2, total_count: 2 });
    });

    it('reads, overwrites (PUT), patches (PATCH) and deletes a record', async () => {
      const created = (await createRecord({ type: 'A', name: 'api', content: '192.0.2.1', ttl: 120, comment: 'first' })).body.result;
      const path = `${ZONE}/dns_records/${created.id}`;
      expect((await t.api('GET', path)).body.result.content).toBe('192.0.2.1');

      await sleep(5);
      const patched = await t.api('PATCH', path, { content: '192.0.2.2' });
      expect(patched.status).toBe(200);
      expect(patched.body.result).toMatchObject({ content: '192.0.2.2', ttl: 120, comment: 'first', created_on: created.created_on });
      expect(patched.body.result.modified_on > created.modified_on).toBe(true);

      const put = await t.api('PUT', path, { type: 'A', name: 'api', content: '192.0.2.3' });
      expect(put.body.result).toMatchObject({ content: '192.0.2.3', ttl: 1 });
      expect(put.body.result.comment).toBeUndefined();
      expect((await t.api('PUT', path, { type: 'A', name: 'api', content: 'nope' })).status).toBe(400);

      const del = await t.api('DELETE', path);
      expect(del.body.result).toEqual({ id: created.id });
      const gone = await t.api('GET', path);
      expect(gone.status).toBe(404);
      expect(gone.body.errors[0].code).toBe(81044);
    });

    it('applies a batch in order (deletes, patches, puts, posts)', async () => {
      const a = (await createRecord({ type: 'A', name: 'a', content: '192.0.2.1' })).body.result;
      const b = (await createRecord({ type: 'A', name: 'b', content: '192.0.2.2' })).body.result;
      const c = (await createRecord({ type: 'A', name: 'c', content: '192.0.2.3' })).body.result;
      const res = await t.api('POST', `${ZONE}/dns_records/batch`, {
        deletes: [{ id: a.id }],
        patches: [{ id: b.id, content: '198.51.100.2' }],
        puts: [{ id: c.id, type: 'CNAME', name: 'c', content: 'target.example.net' }],
        // Re-creating what the delete removed works because deletes run first.
        posts: [{ type: 'A', name: 'a', content: '192.0.2.1' }],
      });
      expect(res.status).toBe(200);
      expect(res.body.result.deletes.map((r: { id: string }) => r.id)).toEqual([a.id]);
      expect(res.body.result.patches[0].content).toBe('198.51.100.2');
      expect(res.body.result.puts[0].type).toBe('CNAME');
      expect(res.body.result.posts[0].id).not.toBe(a.id);
      expect((await state()).records).toHaveLength(3);
    });

    it('rolls the whole batch back when one operation fails', async () => {
      const a = (await createRecord({ type: 'A', name: 'a', content: '192.0.2.1' })).body.result;
      const res = await t.api('POST', `${ZONE}/dns_records/batch`, {
        deletes: [{ id: a.id }],
        posts: [
          { type: 'A', name: 'new', content: '192.0.2.9' },
          { type: 'A', name: 'bad', content: 'not-an-ip' },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: 9005, message: expect.stringContaining('posts[1]') });
      const records = (await state()).records as Array<{ id: string }>;
      expect(records.map((r) => r.id)).toEqual([a.id]);
    });

    it('answers records of an unknown zone with 7003', async () => {
      const res = await t.api('GET', `${V4}/zones/nope/dns_records`);
      expect(res.status).toBe(404);
      expect(res.body.errors[0].code).toBe(7003);
    });
  });

  describe('cache purge', () => {
    it('accepts each purge kind, returns an id and records it in state', async () => {
      const bodies = [
        { purge_everything: true },
        { files: ['https://example.com/a.css', { url: 'https://example.com/b.js', headers: { Origin: 'https://example.com' } }] },
        { tags: ['release-42'] },
        { hosts: ['www.example.com'] },
        { prefixes: ['www.example.com/assets/'] },
      ];
      const ids: string[] = [];
      for (const body of bodies) {
        const res = await t.api('POST', `${ZONE}/purge_cache`, body);
        expect(res.status).toBe(200);
        expect(res.body.result.id).toMatch(/^[0-9a-f]{32}$/);
        ids.push(res.body.result.id);
      }
      const purges = (await state()).purges;
      expect(purges.map((p: { id: string }) => p.id)).toEqual(ids);
      expect(purges[2]).toMatchObject({ zone_id: 'your_zone_id', tags: ['release-42'] });
    });

    it('rejects mixed, empty or malformed purges', async () => {
      for (const body of [{}, { purge_everything: true, tags: ['x'] }, { tags: [] }, { purge_everything: false }, { files: ['/relative'] }]) {
        const res = await t.api('POST', `${ZONE}/purge_cache`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.errors[0].code).toBe(1012);
      }
      expect((await state()).purges).toEqual([]);
    });
  });

  describe('IP access rules', () => {
    for (const scope of [
      { name: 'zone', base: `${ZONE}/firewall/access_rules/rules` },
      { name: 'account', base: `${V4}/accounts/account-1/firewall/access_rules/rules` },
    ]) {
      it(`creates, lists, filters and deletes ${scope.name} rules`, async () => {
        const created = await t.api('POST', scope.base, { mode: 'block', configuration: { target: 'ip', value: '198.51.100.4' }, notes: 'abuse' });
        expect(created.status).toBe(200);
        expect(created.body.result).toMatchObject({ mode: 'block', configuration: { target: 'ip', value: '198.51.100.4' }, notes: 'abuse', scope: { type: scope.name } });
        expect(created.body.result.allowed_modes).toContain('managed_challenge');
        await t.api('POST', scope.base, { mode: 'challenge', configuration: { target: 'country', value: 'NL' }, notes: '' });
        const all = await t.api('GET', scope.base);
        expect(all.body.result).toHaveLength(2);
        expect(all.body.result_info.total_count).toBe(2);
        expect((await t.api('GET', `${scope.base}?mode=block`)).body.result).toHaveLength(1);
        expect((await t.api('GET', `${scope.base}?configuration.value=NL`)).body.result[0].mode).toBe('challenge');
        const dup = await t.api('POST', scope.base, { mode: 'challenge', configuration: { target: 'ip', value: '198.51.100.4' }, notes: '' });
        expect(dup.status).toBe(400);
        expect(dup.body.errors[0].code).toBe(10009);
        const del = await t.api('DELETE', `${scope.base}/${created.body.result.id}`);
        expect(del.body.result).toEqual({ id: created.body.result.id });
        expect((await t.api('DELETE', `${scope.base}/${created.body.result.id}`)).status).toBe(404);
        expect((await t.api('GET', scope.base)).body.result).toHaveLength(1);
      });
    }

    it('keeps zone and account rules apart', async () => {
      await t.api('POST', `${ZONE}/firewall/access_rules/rules`, { mode: 'block', configuration: { target: 'ip', value: '192.0.2.1' }, notes: '' });
      expect((await t.api('GET', `${V4}/accounts/account-1/firewall/access_rules/rules`)).body.result).toHaveLength(0);
    });

    it('validates mode and target values', async () => {
      const base = `${ZONE}/firewall/access_rules/rules`;
      const bad = async (body: unknown) => (await t.api('POST', base, body)).status;
      expect(await bad({ mode: 'nuke', configuration: { target: 'ip', value: '192.0.2.1' }, notes: '' })).toBe(400);
      expect(await bad({ mode: 'block', configuration: { target: 'ip', value: '300.0.0.1' }, notes: '' })).toBe(400);
      expect(await bad({ mode: 'block', configuration: { target: 'ip_range', value: '10.0.0.0/8' }, notes: '' })).toBe(400);
      expect(await bad({ mode: 'block', configuration: { target: 'asn', value: '13335' }, notes: '' })).toBe(400);
      expect((await t.api('POST', base, { mode: 'block', configuration: { target: 'ip_range', value: '10.1.0.0/16' }, notes: '' })).status).toBe(200);
      expect((await t.api('POST', `${V4}/accounts/other-account/firewall/access_rules/rules`, { mode: 'block', configuration: { target: 'ip', value: '192.0.2.1' } })).status).toBe(
        404,
      );
    });
  });

  describe('Workers KV', () => {
    const newNamespace = async (title = 'config') => (await t.api('POST', KV, { title })).body.result.id as string;

    it('creates, lists, renames and deletes namespaces', async () => {
      const id = await newNamespace('config');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect((await t.api('POST', KV, { title: 'config' })).status).toBe(400);
      const list = await t.api('GET', KV);
      expect(list.body.result).toEqual([{ id, title: 'config', supports_url_encoding: true }]);
      expect(list.body.result_info).toMatchObject({ count: 1, total_count: 1 });
      expect((await t.api('PUT', `${KV}/${id}`, { title: 'renamed' })).status).toBe(200);
      expect((await t.api('GET', `${KV}/${id}`)).body.result.title).toBe('renamed');
      expect((await t.api('DELETE', `${KV}/${id}`)).status).toBe(200);
      expect((await t.api('GET', `${KV}/${id}`)).status).toBe(404);
      expect((await t.api('GET', `${V4}/accounts/other/storage/kv/namespaces`)).body.errors[0].code).toBe(7003);
    });

    it('writes a raw value and reads the raw bytes back, not an envelope', async () => {
      const ns = await newNamespace();
      const put = await t.api('PUT', `${KV}/${ns}/values/greeting`, 'hello world', { 'content-type': 'text/plain' });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ success: true, errors: [], messages: [], result: null });
      const get = await t.api('GET', `${KV}/${ns}/values/greeting`);
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe('application/octet-stream');
      expect(get.text).toBe('hello world');
      // A JSON-looking value is stored verbatim, even with a JSON content type.
      await t.api('PUT', `${KV}/${ns}/values/json`, '{"a":1', { 'content-type': 'application/json' });
      expect((await t.api('GET', `${KV}/${ns}/values/json`)).text).toBe('{"a":1');
      const missing = await t.api('GET', `${KV}/${ns}/values/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.success).toBe(false);
    });

    it('accepts multipart value + metadata and exposes the metadata', async () => {
      const ns = await newNamespace();
      const form = new FormData();
      form.set('value', 'v1');
      form.set('metadata', JSON.stringify({ version: 1 }));
      expect((await t.api('PUT', `${KV}/${ns}/values/${encodeURIComponent('app/config')}`, form)).status).toBe(200);
      expect((await t.api('GET', `${KV}/${ns}/values/app%2Fconfig`)).text).toBe('v1');
      expect((await t.api('GET', `${KV}/${ns}/metadata/app%2Fconfig`)).body.result).toEqual({ version: 1 });
      const keys = await t.api('GET', `${KV}/${ns}/keys`);
      expect(keys.body.result).toEqual([{ name: 'app/config', metadata: { version: 1 } }]);
    });

    it('lists keys by prefix with a cursor', async () => {
      const ns = await newNamespace();
      const items = Array.from({ length: 25 }, (_, i) => ({ key: `user:${String(i).padStart(2, '0')}`, value: String(i) }));
      await t.api('PUT', `${KV}/${ns}/bulk`, [...items, { key: 'other', value: 'x' }]);
      const page1 = await t.api('GET', `${KV}/${ns}/keys?prefix=user:&limit=10`);
      expect(page1.body.result.map((k: { name: string }) => k.name)).toEqual(items.slice(0, 10).map((i) => i.key));
      expect(page1.body.result_info.cursor).not.toBe('');
      const page2 = await t.api('GET', `${KV}/${ns}/keys?prefix=user:&limit=10&cursor=${page1.body.result_info.cursor}`);
      expect(page2.body.result[0].name).toBe('user:10');
      const page3 = await t.api('GET', `${KV}/${ns}/keys?prefix=user:&limit=10&cursor=${page2.body.result_info.cursor}`);
      expect(page3.body.result).toHaveLength(5);
      expect(page3.body.result_info).toEqual({ count: 5, cursor: '' });
      expect((await t.api('GET', `${KV}/${ns}/keys?limit=5`)).status).toBe(400);
    });

    it('expires keys (expiration_ttl and expiration), enforcing the 60 s minimum', async () => {
      const ns = await newNamespace();
      const short = await t.api('PUT', `${KV}/${ns}/values/k?expiration_ttl=30`, 'v');
      expect(short.status).toBe(400);
      expect(short.body.errors[0].message).toMatch(/at least 60/);
      expect((await t.api('PUT', `${KV}/${ns}/values/past?expiration=1000`, 'v')).status).toBe(400);
      expect((await t.api('PUT', `${KV}/${ns}/values/ttl?expiration_ttl=60`, 'v')).status).toBe(200);
      const at = Math.floor(Date.now() / 1000) + 120;
      expect((await t.api('PUT', `${KV}/${ns}/values/abs?expiration=${at}`, 'v')).status).toBe(200);
      await t.api('PUT', `${KV}/${ns}/values/forever`, 'v');
      const keys = (await t.api('GET', `${KV}/${ns}/keys`)).body.result;
      expect(keys.find((k: { name: string }) => k.name === 'abs').expiration).toBe(at);

      await t.control('POST', '/_sim/clock', { advanceMs: 61_000 });
      expect((await t.api('GET', `${KV}/${ns}/values/ttl`)).status).toBe(404);
      expect((await t.api('GET', `${KV}/${ns}/values/abs`)).status).toBe(200);
      await t.control('POST', '/_sim/clock', { advanceMs: 60_000 });
      const left = (await t.api('GET', `${KV}/${ns}/keys`)).body.result.map((k: { name: string }) => k.name);
      expect(left).toEqual(['forever']);
    });

    it('bulk-writes with metadata and expiration, and bulk-deletes', async () => {
      const ns = await newNamespace();
      const write = await t.api('PUT', `${KV}/${ns}/bulk`, [
        { key: 'a', value: 'A', metadata: { n: 1 } },
        { key: 'b', value: Buffer.from('B!').toString('base64'), base64: true },
        { key: 'c', value: 'C', expiration_ttl: 300 },
      ]);
      expect(write.body.result).toEqual({ successful_key_count: 3, unsuccessful_keys: [] });
      expect((await t.api('GET', `${KV}/${ns}/values/b`)).text).toBe('B!');
      expect((await t.api('PUT', `${KV}/${ns}/bulk`, [{ key: 'x', value: 'x', expiration_ttl: 1 }])).status).toBe(400);
      expect((await t.api('PUT', `${KV}/${ns}/bulk`, { key: 'x' })).status).toBe(400);
      const del = await t.api('POST', `${KV}/${ns}/bulk/delete`, ['a', 'c', 'missing']);
      expect(del.status).toBe(200);
      expect((await t.api('GET', `${KV}/${ns}/keys`)).body.result.map((k: { name: string }) => k.name)).toEqual(['b']);
      await t.api('DELETE', `${KV}/${ns}/values/b`);
      expect((await t.api('GET', `${KV}/${ns}/keys`)).body.result).toEqual([]);
      expect(Object.keys((await state()).kv[ns])).toEqual([]);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After over the limit, then lets calls through after the window', async () => {
      const set = await t.control('PUT', '/_sim/rate-limit', { limit: 3, windowSeconds: 1 });
      expect(set.body).toEqual({ limit: 3, windowSeconds: 1 });
      for (let i = 0; i < 3; i++) {
        const ok = await t.api('GET', `${V4}/zones`);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit')).toBe(`"default";r=${2 - i};t=1`);
      }
      const limited = await t.api('GET', `${V4}/zones`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.body).toMatchObject({ success: false, result: null, errors: [{ code: 10429 }] });
      // Rejected calls do not extend the block.
      expect((await t.api('GET', `${V4}/zones`)).status).toBe(429);
      await sleep(1100);
      expect((await t.api('GET', `${V4}/zones`)).status).toBe(200);
    });

    it('counts per credential and does not count failed authentication', async () => {
      await t.control('PUT', '/_sim/rate-limit', { limit: 1, windowSeconds: 60 });
      expect((await t.api('GET', `${V4}/zones`)).status).toBe(200);
      expect((await t.api('GET', `${V4}/zones`)).status).toBe(429);
      const legacy = { authorization: '', 'x-auth-email': 'admin@example.com', 'x-auth-key': 'cloudflare-global-key' };
      expect((await t.api('GET', `${V4}/zones`, undefined, legacy)).status).toBe(200);
      expect((await t.api('GET', `${V4}/zones`, undefined, { authorization: 'Bearer wrong' })).status).toBe(403);
    });

    it('defaults to 1200 requests per 300 s and is restored by reset', async () => {
      expect((await state()).rateLimit).toEqual({ limit: 1200, windowSeconds: 300 });
      await t.control('PUT', '/_sim/rate-limit', { limit: 1, windowSeconds: 1 });
      await t.control('POST', '/_sim/reset');
      expect((await state()).rateLimit).toEqual({ limit: 1200, windowSeconds: 300 });
      expect((await t.control('PUT', '/_sim/rate-limit', { limit: 0, windowSeconds: 1 })).status).toBe(400);
      expect((await t.api('GET', `${V4}/zones`)).headers.get('ratelimit-policy')).toBe('"burst";q=1200;w=300');
    });
  });
});
