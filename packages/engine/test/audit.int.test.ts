// The audit log: every change recorded with who, what, where and from where; never a secret
// value or a token; PostgreSQL itself refuses to rewrite it; searchable with keyset pages.
import { describe, expect, inject, it } from 'vitest';
import { api, rawRequest } from '@baton/testing';
import { ACCESS_RULES } from '../../../apps/web/src/server/api/access-rules';
import { AUDIT_RULES } from '../../../apps/web/src/server/api/audit-rules';

const admin = api();
const search = async (query: string) => (await admin.call('GET', `/api/v1/main/auditlogs/search?${query}`)).body;

async function sql<T = any>(text: string, values: unknown[] = []): Promise<T[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('audit log', () => {
  it('names an audit rule for every changing route (or says why it needs none)', async () => {
    const recordedByTheRouteItself = ['POST /api/v1/setup', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout'];
    const changesNothing = [
      'POST /api/v1/:tenant/flows/validate',
      'POST /api/v1/:tenant/apps/validate',
      'POST /api/v1/:tenant/executions/:id/eval',
      'POST /api/v1/:tenant/executions/:id/eval/:taskRunId',
      'POST /api/v1/temporal-codec/decode',
      'POST /api/v1/temporal-codec/encode',
      'OPTIONS /api/v1/temporal-codec/decode',
      'OPTIONS /api/v1/temporal-codec/encode',
    ];
    const changing = Object.keys(ACCESS_RULES).filter((k) => !k.startsWith('GET '));
    expect(changing.filter((k) => !AUDIT_RULES[k] && !recordedByTheRouteItself.includes(k) && !changesNothing.includes(k))).toEqual([]);
  });

  it('records a flow saved (with its revision), an execution started and killed, a secret changed without its value', async () => {
    const yaml = (msg: string) =>
      `id: audited\nnamespace: audit.team\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT30S\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${msg}\n`;
    expect((await admin.deploy(yaml('one'))).status).toBe(201);
    expect((await admin.deploy(yaml('two'))).status).toBe(200);
    const saved = await search('action=flow.saved&resource=flow:audit.team/audited');
    expect(saved.results.map((r: any) => r.after.revision)).toEqual([2, 1]);
    expect(saved.results[0]).toMatchObject({ actor: inject('adminEmail'), namespace: 'audit.team', before: { revision: 1 } });
    expect(saved.results[0].address).toBeTruthy();

    const started = await admin.run('audit.team', 'audited');
    await admin.waitFor(started.body.id, ['RUNNING']);
    expect((await admin.kill(started.body.id)).status).toBe(202);
    const execution = await search(`resource=execution:${started.body.id}`);
    expect(execution.results.map((r: any) => r.action)).toEqual(['execution.killed', 'execution.started']);
    expect(execution.results[0].namespace).toBe('audit.team');

    const secret = 'do-not-log-this-value-8c1f';
    expect((await admin.call('PUT', '/api/v1/main/secrets/audit.team/AUDIT_SECRET', { value: secret })).status).toBe(200);
    const changed = await search('action=secret.changed');
    expect(changed.results[0]).toMatchObject({ resource: 'secret:audit.team/AUDIT_SECRET', namespace: 'audit.team' });
    const everything = JSON.stringify(await sql('SELECT * FROM audit_log'));
    expect(everything).not.toContain(secret);
  });

  it('records tokens without the token, bindings, and sign-in success and failure', async () => {
    const user = (await admin.call('POST', '/api/v1/main/users', { email: 'audited@baton.test', password: 'a-long-password' })).body;
    const token = (await admin.call('POST', `/api/v1/main/users/${user.id}/api-tokens`, { name: 'audited' })).body;
    await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.id }, role: 'VIEWER', namespace: 'audit.team' });
    const login = (password: string) =>
      rawRequest(inject('apiUrl'), {
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { authorization: '', 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77', 'user-agent': 'audit-test' },
        body: JSON.stringify({ email: user.email, password }),
      });
    expect((await login('wrong-password')).status).toBe(401);
    expect((await login('a-long-password')).status).toBe(200);

    expect((await search('action=token.created')).results[0]).toMatchObject({ resource: `token:${token.id}`, after: { name: 'audited', user: user.id } });
    expect((await search('action=binding.created')).results[0]).toMatchObject({ namespace: 'audit.team', after: { role: 'VIEWER' } });
    const signIns = await search(`actor=${encodeURIComponent(user.email)}`);
    expect(signIns.results.map((r: any) => r.action)).toEqual(['auth.signin', 'auth.signin.failed']);
    expect(signIns.results[1]).toMatchObject({ address: '192.0.2.77', userAgent: 'audit-test' });
    // A wrong password over HTTP Basic is a failed sign-in too.
    await rawRequest(inject('apiUrl'), {
      method: 'GET',
      path: '/api/v1/me',
      headers: { authorization: `Basic ${Buffer.from(`${user.email}:nope`).toString('base64')}`, 'x-forwarded-for': '192.0.2.78' },
    });
    expect((await search(`actor=${encodeURIComponent(user.email)}`)).results[0]).toMatchObject({ action: 'auth.signin.failed', address: '192.0.2.78', after: { via: 'basic' } });
    expect(JSON.stringify(await sql('SELECT * FROM audit_log'))).not.toContain(token.token);
  });

  it('pages by keyset: no row twice, none missed', async () => {
    // The newest 200 rows in one page, then the same rows 3 at a time (the log may hold more:
    // every suite before this one writes to it).
    const all = await search('size=200');
    const seen: string[] = [];
    let cursor = '';
    while (seen.length < all.results.length) {
      const page = await search(`size=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.results.map((r: any) => r.id));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen.slice(0, all.results.length)).toEqual(all.results.map((r: any) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await admin.call('GET', '/api/v1/main/auditlogs/search?cursor=bogus')).status).toBe(400);
  });

  it('cannot be rewritten: PostgreSQL refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(sql('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(sql('UPDATE audit_settings SET retention_days = 1')).rejects.toThrow(/audit_settings_retention_min/);
  });
});
