// Issue 8, "Secrets": stored encrypted with AES-256-GCM under BATON_ENCRYPTION_KEY (key id per
// row), scoped to namespaces and inherited by child namespaces (closest wins), write-only through
// Kestra's namespace routes, and re-encrypted under a new key without stopping Baton.
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { api, rawRequest, taskRun } from '@baton/testing';
import { generateKey, keyringFrom } from '../src/crypto/index';
import { SecretStore } from '../src/services/secrets';

const client = api();
const db = getDb(inject('databaseUrl'));

async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const conn = new pg.Client({ connectionString: inject('databaseUrl') });
  await conn.connect();
  try {
    return (await conn.query(text, values)).rows as T[];
  } finally {
    await conn.end();
  }
}

const put = (namespace: string, key: string, value: string) => client.call('PUT', `/api/v1/main/namespaces/${namespace}/secrets`, { key, value, description: `${key} for tests` });

/** Runs a flow in `namespace` that checks secret(name) against `expected` (the value never shows). */
async function resolves(namespace: string, name: string, expected: string): Promise<{ equal: unknown; length: unknown }> {
  const id = await client.deployAndRun(`
id: check-${name.toLowerCase().replace(/_/g, '-')}
namespace: ${namespace}
tasks:
  - id: check
    type: io.kestra.plugin.core.output.OutputValues
    values:
      equal: "{{ secret('${name}') == '${expected}' }}"
      length: "{{ secret('${name}') | length }}"
`);
  const done = await client.waitFor(id);
  expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
  return taskRun(done, 'check').outputs.values;
}

afterAll(async () => {
  await db.secret.deleteMany({ where: { namespace: { startsWith: 'test.rest' } } });
});

describe('secrets at rest', () => {
  it('stores only ciphertext, bound to its row, and tasks still resolve the value', async () => {
    const value = 'at-rest-Plaintext-Value-42';
    expect((await put('test.rest', 'REST_TOKEN', value)).status).toBe(200);
    const [row] = await sql<{ value: string; key_id: string }>(`SELECT value, key_id FROM secrets WHERE namespace = 'test.rest' AND name = 'REST_TOKEN'`);
    expect(row.key_id).toMatch(/^k[0-9a-f]{12}$/);
    expect(row.value).not.toContain(value);
    expect(Buffer.from(row.value, 'base64').includes(value)).toBe(false);
    expect(Buffer.from(row.value, 'base64').length).toBe(12 + 16 + value.length); // nonce, tag, ciphertext
    // Every column of the table, read raw: the value is nowhere.
    expect(JSON.stringify(await sql('SELECT * FROM secrets'))).not.toContain(value);
    expect(await resolves('test.rest', 'REST_TOKEN', value)).toEqual({ equal: true, length: value.length });

    // A ciphertext copied into another row does not decrypt there.
    await put('test.rest', 'OTHER_TOKEN', 'something-else');
    await sql(`UPDATE secrets SET value = $1 WHERE namespace = 'test.rest' AND name = 'OTHER_TOKEN'`, [row.value]);
    const id = await client.deployAndRun(`
id: swapped
namespace: test.rest
tasks:
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{{ secret('OTHER_TOKEN') }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'read').error).toMatch(/failed authentication/);
    expect(JSON.stringify(done)).not.toContain(value);
    await db.secret.deleteMany({ where: { namespace: 'test.rest', name: 'OTHER_TOKEN' } }); // unreadable by design
  });

  it('is inherited by child namespaces, the closest definition winning, and listed without values', async () => {
    await put('test.rest', 'SCOPED', 'parent-scope-value');
    await put('test.rest.team', 'SCOPED', 'child-scope-value');
    expect((await client.call('PUT', '/api/v1/main/secrets/_/TENANT_WIDE', { value: 'tenant-wide-value' })).status).toBe(200); // the older route
    expect(await resolves('test.rest.team.app', 'SCOPED', 'child-scope-value')).toMatchObject({ equal: true });
    expect(await resolves('test.rest.other', 'SCOPED', 'parent-scope-value')).toMatchObject({ equal: true });
    expect(await resolves('test.rest.team', 'TENANT_WIDE', 'tenant-wide-value')).toMatchObject({ equal: true });

    const listed = await client.call('GET', '/api/v1/main/namespaces/test.rest.team.app/secrets');
    expect(listed.status).toBe(200);
    const scoped = listed.body.results.find((r: { key: string }) => r.key === 'SCOPED');
    expect(scoped).toMatchObject({ key: 'SCOPED', namespace: 'test.rest.team', inherited: true, description: 'SCOPED for tests' });
    expect(listed.body.results.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['SCOPED', 'REST_TOKEN', 'TENANT_WIDE']));
    const own = await client.call('GET', '/api/v1/main/namespaces/test.rest.team/secrets');
    expect(own.body.results.find((r: { key: string }) => r.key === 'SCOPED')).toMatchObject({ namespace: 'test.rest.team', inherited: false });
    for (const answer of [listed, own])
      for (const secret of ['parent-scope-value', 'child-scope-value', 'tenant-wide-value']) expect(JSON.stringify(answer.body)).not.toContain(secret);

    // Deleting the child's definition uncovers the parent's.
    expect((await client.call('DELETE', '/api/v1/main/namespaces/test.rest.team/secrets/SCOPED')).status).toBe(204);
    expect((await client.call('DELETE', '/api/v1/main/namespaces/test.rest.team/secrets/SCOPED')).status).toBe(404);
    expect(await resolves('test.rest.team.app', 'SCOPED', 'parent-scope-value')).toMatchObject({ equal: true });
    await db.secret.deleteMany({ where: { namespace: '', name: 'TENANT_WIDE' } });
  });

  it('refuses path tricks in names and namespaces with a 4xx', async () => {
    const base = inject('apiUrl');
    for (const path of [
      '/api/v1/main/namespaces/../secrets',
      '/api/v1/main/namespaces/a%2Fb/secrets',
      '/api/v1/main/namespaces/test..rest/secrets',
      '/api/v1/main/namespaces/test.rest/secrets/..%2Fx',
    ]) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await rawRequest(base, { method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'X', value: 'v' }) });
        expect(res.status, `${method} ${path}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(500);
      }
    }
    for (const key of ['../X', 'a/b', '..', 'has space']) {
      const res = await put('test.rest', key, 'v');
      expect(res.status, key).toBe(422);
    }
  });

  it('encrypts rows stored in clear, and re-encrypts under a new key while serving', async () => {
    // A row as written before encryption existed: plain value, no key id. Still readable...
    await sql(`INSERT INTO secrets (tenant, namespace, name, value, updated_at) VALUES ('main', 'test.rest', 'LEGACY', 'legacy-plain-value', now())`);
    expect(await resolves('test.rest', 'LEGACY', 'legacy-plain-value')).toMatchObject({ equal: true });
    // ...and encrypted by the re-encryption the worker runs at start (here through the admin route).
    const first = await client.call('POST', '/api/v1/secrets/re-encrypt');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ encrypted: 1, rotated: 0, failed: [] });
    const [legacy] = await sql<{ value: string; key_id: string }>(`SELECT value, key_id FROM secrets WHERE name = 'LEGACY'`);
    expect(legacy.key_id).not.toBeNull();
    expect(legacy.value).not.toContain('legacy-plain-value');
    expect(await resolves('test.rest', 'LEGACY', 'legacy-plain-value')).toMatchObject({ equal: true });

    // Rotation: a new current key, the stack's key kept as old. Every row moves to the new key id.
    const stackKey = inject('encryptionKey');
    const newKey = generateKey();
    const rotated = new SecretStore(db, keyringFrom(newKey, stackKey), {});
    const count = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM secrets'))[0].n;
    expect(await rotated.reencrypt()).toEqual({ encrypted: 0, rotated: count, failed: [] });
    const ids = await sql<{ key_id: string }>('SELECT DISTINCT key_id FROM secrets');
    expect(ids).toEqual([{ key_id: keyringFrom(newKey, undefined).current.id }]);
    expect(await new SecretStore(db, keyringFrom(newKey, undefined), {}).get('main', 'test.rest', 'LEGACY')).toBe('legacy-plain-value');
    // A process that only has the previous key says which key it lacks.
    await expect(new SecretStore(db, keyringFrom(stackKey, undefined), {}).get('main', 'test.rest', 'LEGACY')).rejects.toThrow(/not configured.*BATON_ENCRYPTION_KEYS_OLD/);
    expect(await rotated.reencrypt()).toEqual({ encrypted: 0, rotated: 0, failed: [] }); // idempotent

    // And back under the stack's key (the running worker knows only that one): flows resolve again.
    expect(await new SecretStore(db, keyringFrom(stackKey, newKey), {}).reencrypt()).toEqual({ encrypted: 0, rotated: count, failed: [] });
    expect(await resolves('test.rest', 'LEGACY', 'legacy-plain-value')).toMatchObject({ equal: true });
  });
});
