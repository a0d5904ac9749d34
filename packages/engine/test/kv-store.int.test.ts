// Kestra's KV store: the kv.* tasks, the kv() function in expressions, the REST routes, types,
// expiry, overwrite and purge, against PostgreSQL through the real worker and web app.
import { describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';

const client = api();
const kvUrl = (ns: string, key = '') => `/api/v1/main/namespaces/${ns}/kv${key ? `/${key}` : ''}`;

describe('KV store', () => {
  it('tasks set, get, list and delete typed values; kv() reads them in expressions', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: kv-tasks
namespace: test.kv
tasks:
  - id: set_number
    type: io.kestra.plugin.core.kv.Set
    key: counter
    value: "41"
    kvType: NUMBER
  - id: set_map
    type: io.kestra.plugin.core.kv.Set
    key: host_a
    value: { name: a, cores: 4 }
  - id: set_elsewhere
    type: io.kestra.plugin.core.kv.Set
    namespace: test.kv.other
    key: host_b
    value: b
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: counter
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: host_
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ kv('counter') + 1 }} {{ kv('host_a').cores }} {{ kv('host_b', 'test.kv.other') }} {{ kv('nothing', errorOnMissing=false) is null }}"
  - id: delete
    type: io.kestra.plugin.core.kv.Delete
    key: host_a
  - id: delete_again
    type: io.kestra.plugin.core.kv.Delete
    key: host_a
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'get').outputs.value).toBe(41);
    expect(taskRun(done, 'keys').outputs.keys).toEqual(['host_a']);
    expect(taskRun(done, 'use').outputs.value).toBe('42 4 b true');
    expect(taskRun(done, 'delete').outputs.deleted).toBe(true);
    expect(taskRun(done, 'delete_again').outputs.deleted).toBe(false);
    const listed = await client.call('GET', kvUrl('test.kv'));
    expect(listed.body.map((e: any) => [e.key, e.type, e.value])).toEqual([['counter', 'NUMBER', 41]]);
  });

  it('a missing key fails kv() with the way out; overwrite: false refuses an existing key', async () => {
    const missing = await client.waitFor(
      await client.deployAndRun(`
id: kv-missing
namespace: test.kv.errors
tasks:
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ kv('absent') }}"
`),
    );
    expect(missing.state.current).toBe('FAILED');
    expect(missing.error).toContain("no KV pair with key 'absent' in namespace test.kv.errors; kv('absent', errorOnMissing=false) gives null instead");

    await client.call('PUT', kvUrl('test.kv.errors', 'fixed'), { value: 'first' });
    const refused = await client.waitFor(
      await client.deployAndRun(`
id: kv-overwrite
namespace: test.kv.errors
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: fixed
    value: second
    overwrite: false
`),
    );
    expect(refused.state.current).toBe('FAILED');
    expect(refused.error).toContain("KV key 'fixed' already exists in namespace test.kv.errors and overwrite is false");
    expect((await client.call('GET', kvUrl('test.kv.errors', 'fixed'))).body).toEqual({ type: 'STRING', value: 'first' });
  });

  it('the REST routes: JSON or text bodies, types, 4xx for mistakes, expiry, 404 after delete', async () => {
    expect((await client.call('PUT', kvUrl('test.kv.api', 'when'), { value: '2026-01-01T00:00:00Z', type: 'DATETIME' })).status).toBe(200);
    expect((await client.call('GET', kvUrl('test.kv.api', 'when'))).body).toEqual({ type: 'DATETIME', value: '2026-01-01T00:00:00Z' });
    expect((await client.call('PUT', kvUrl('test.kv.api', 'flag'), 'true', 'text/plain')).body).toMatchObject({ type: 'BOOLEAN', value: true });
    expect((await client.call('PUT', kvUrl('test.kv.api', 'word'), 'hello there', 'text/plain')).body).toMatchObject({ type: 'STRING', value: 'hello there' });
    expect((await client.call('PUT', kvUrl('test.kv.api', 'n'), { value: 'x', type: 'NUMBER' })).status).toBe(422);
    expect((await client.call('PUT', kvUrl('test.kv.api', 'n'), { value: 1, type: 'FLOAT' })).status).toBe(422);
    expect((await client.call('PUT', kvUrl('test.kv.api', 'bad%20key'), { value: 1 })).status).toBe(422);
    expect((await client.call('PUT', kvUrl('test.kv.api', 'n'), { value: 1, ttl: 'soon' })).status).toBe(422);
    expect((await client.call('PUT', kvUrl('test.kv.api', 'n'), { nope: 1 })).status).toBe(400);

    // An entry whose TTL has passed is gone at once for readers.
    expect((await client.call('PUT', kvUrl('test.kv.api', 'brief'), { value: 'x', ttl: 'PT0.2S' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect((await client.call('GET', kvUrl('test.kv.api', 'brief'))).status).toBe(404);
    expect((await client.call('GET', kvUrl('test.kv.api'))).body.map((e: any) => e.key)).toEqual(['flag', 'when', 'word']);

    expect((await client.call('DELETE', kvUrl('test.kv.api', 'word'))).status).toBe(204);
    expect((await client.call('DELETE', kvUrl('test.kv.api', 'word'))).status).toBe(404);
  });

  it('PurgeKV deletes expired keys of namespaces and their children, or all matching keys', async () => {
    await client.call('PUT', kvUrl('test.purge', 'old_1'), { value: 1, ttl: 'PT0.1S' });
    await client.call('PUT', kvUrl('test.purge.child', 'old_2'), { value: 2, ttl: 'PT0.1S' });
    await client.call('PUT', kvUrl('test.purge', 'AI_keep'), { value: 3 });
    await client.call('PUT', kvUrl('test.purge', 'other'), { value: 4 });
    await new Promise((r) => setTimeout(r, 300));
    const done = await client.waitFor(
      await client.deployAndRun(`
id: kv-purge
namespace: test.kv
tasks:
  - id: expired
    type: io.kestra.plugin.core.kv.PurgeKV
    namespaces: [test.purge]
  - id: by_pattern
    type: io.kestra.plugin.core.kv.PurgeKV
    namespaces: [test.purge]
    expiredOnly: false
    keyPattern: "AI_*"
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'expired').outputs.size).toBe(2);
    expect(taskRun(done, 'by_pattern').outputs.size).toBe(1);
    expect((await client.call('GET', kvUrl('test.purge'))).body.map((e: any) => e.key)).toEqual(['other']);
  });
});
