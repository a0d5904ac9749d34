// Credentials (docs/credentials.md): configured once per namespace, referenced as
// {{ credential('name') }}; tokens minted in the worker against a real OAuth2 token endpoint started
// here, cached until shortly before expiry, re-minted once on a 401, and never found in PostgreSQL,
// API answers, logs, outputs or decoded Temporal history.
import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, historyPayloads, startOAuth2Server, taskRun } from '@baton/testing';
import { getDb } from '@baton/db';
import { EncryptionCodec, generateKey, keyringFrom } from '../src/crypto/index';
import { CredentialStore } from '../src/services/credentials/index';

const client = api();
const codec = new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined));
let idp: Awaited<ReturnType<typeof startOAuth2Server>>;
const executions: string[] = [];
/** Every client secret and signing key given to Baton here: none may show anywhere. */
const secretsGiven: string[] = [];

async function sql<T = Record<string, unknown>>(text: string): Promise<T[]> {
  const conn = new pg.Client({ connectionString: inject('databaseUrl') });
  await conn.connect();
  try {
    return (await conn.query(text)).rows as T[];
  } finally {
    await conn.end();
  }
}

const putCredential = (namespace: string, name: string, body: Record<string, unknown>) => client.call('PUT', `/api/v1/main/namespaces/${namespace}/credentials/${name}`, body);

/** A flow that calls the protected resource with the credential's token, and logs it (masked). */
const callerFlow = (id: string, credential: string) => `
id: ${id}
namespace: test.cred.team
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: ${idp.resourceUrl}
    auth:
      type: BEARER
      token: "{{ credential('${credential}') }}"
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "token is {{ credential('${credential}') }}"
`;

async function run(flowId: string) {
  const started = await client.run('test.cred.team', flowId);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  executions.push(started.body.id);
  return client.waitFor(started.body.id);
}

beforeAll(async () => {
  idp = await startOAuth2Server();
  idp.addClient('baton-app', 'first-Client-Secret-1');
  secretsGiven.push('first-Client-Secret-1');
});

afterAll(async () => {
  await idp?.close();
});

describe('credentials', () => {
  it('mints once and reuses the token until it nears expiry; the test button mints on demand', async () => {
    const created = await putCredential('test.cred', 'idp', {
      type: 'oauth2_client_credentials',
      description: 'the test identity provider',
      values: { tokenUrl: idp.tokenUrl, clientId: 'baton-app', clientSecret: 'first-Client-Secret-1', scopes: 'read:things write:things' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({
      name: 'idp',
      namespace: 'test.cred',
      type: 'oauth2_client_credentials',
      revision: 1,
      owner: inject('adminEmail'),
      secretFields: ['clientSecret'],
    });
    expect(created.body.settings).toEqual({ tokenUrl: idp.tokenUrl, clientId: 'baton-app', scopes: 'read:things write:things' });

    expect((await client.deploy(callerFlow('use-idp', 'idp'))).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const done = await run('use-idp');
      expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
      expect(taskRun(done, 'call').outputs.code).toBe(200);
    }
    // Two executions, two tasks each naming the credential: one token request.
    expect(idp.tokensFor('baton-app')).toBe(1);
    expect(idp.tokenRequests[0].scope).toBe('read:things write:things');

    // The child namespace sees it (inherited), with when it was last used.
    const listed = await client.call('GET', '/api/v1/main/namespaces/test.cred.team/credentials');
    const seen = listed.body.results.find((c: { name: string }) => c.name === 'idp');
    expect(seen).toMatchObject({ namespace: 'test.cred', inherited: true, type: 'oauth2_client_credentials' });
    expect(seen.lastUsedAt).not.toBeNull();

    const tested = await client.call('POST', '/api/v1/main/namespaces/test.cred.team/credentials/idp/test');
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, type: 'oauth2_client_credentials', info: { tokenType: 'Bearer', expiresIn: 3600 } });
    expect(idp.tokensFor('baton-app')).toBe(2);
  });

  it('re-mints once when the provider answers 401, and the retried request succeeds', async () => {
    const before = idp.tokensFor('baton-app');
    const resourceBefore = idp.resourceCalls.length;
    idp.revokeAll(); // the worker's cached token is now refused
    const done = await run('use-idp');
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    expect(idp.tokensFor('baton-app')).toBe(before + 1);
    expect(idp.resourceCalls.slice(resourceBefore).map((c) => c.status)).toEqual([401, 200]);
    expect(taskRun(done, 'call').attempts).toHaveLength(1);

    // A static token that is refused stays refused: resolving it again gives the same token, so
    // the request is not repeated (and never loops).
    const stuck = await putCredential('test.cred', 'static', { type: 'bearer', values: { token: 'never-Valid-Token-77' } });
    expect(stuck.status).toBe(200);
    secretsGiven.push('never-Valid-Token-77');
    expect((await client.deploy(callerFlow('use-static', 'static'))).status).toBe(201);
    const resourceBeforeStatic = idp.resourceCalls.length;
    const refused = await run('use-static');
    expect(refused.state.current).toBe('FAILED');
    expect(idp.resourceCalls.slice(resourceBeforeStatic).map((c) => c.status)).toEqual([401]);
    expect(taskRun(refused, 'call').error).toContain('401');
  });

  it('picks up a rotated client secret without any change to the flow', async () => {
    const flowBefore = (await client.call('GET', '/api/v1/main/flows/test.cred.team/use-idp')).body.revision;
    idp.rotateSecret('baton-app', 'second-Client-Secret-2');
    idp.revokeAll();
    secretsGiven.push('second-Client-Secret-2');
    // Only the secret field is sent: the other settings are kept.
    const rotated = await putCredential('test.cred', 'idp', { type: 'oauth2_client_credentials', values: { clientSecret: 'second-Client-Secret-2' } });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body).toMatchObject({ revision: 2, settings: { clientId: 'baton-app', tokenUrl: idp.tokenUrl } });
    const before = idp.tokensFor('baton-app');
    const done = await run('use-idp');
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    // A new revision mints at once (no 401 needed first).
    expect(idp.tokensFor('baton-app')).toBe(before + 1);
    expect((await client.call('GET', '/api/v1/main/flows/test.cred.team/use-idp')).body.revision).toBe(flowBefore);
    const audit = await client.call('GET', '/api/v1/main/auditlogs/search?action=credential.changed&resource=credential:test.cred/idp');
    expect(audit.body.results[0].after).toMatchObject({ type: 'oauth2_client_credentials', revision: 2 });
  });

  it("reports an expired client secret naming the credential and the provider's error, without retrying", async () => {
    idp.addClient('old-app', 'expired-Client-Secret-3');
    idp.expireSecret('old-app');
    secretsGiven.push('expired-Client-Secret-3');
    expect(
      (
        await putCredential('test.cred', 'old-idp', {
          type: 'oauth2_client_credentials',
          values: { tokenUrl: idp.tokenUrl, clientId: 'old-app', clientSecret: 'expired-Client-Secret-3' },
        })
      ).status,
    ).toBe(200);
    expect((await client.deploy(callerFlow('use-old-idp', 'old-idp'))).status).toBe(201);
    const done = await run('use-old-idp');
    expect(done.state.current).toBe('FAILED');
    const error = taskRun(done, 'call').error as string;
    expect(error).toContain("credential 'old-idp'");
    expect(error).toContain('test.cred');
    expect(error).toContain('answered 401 (invalid_client: the client secret of old-app has expired)');
    expect(taskRun(done, 'call').attempts).toHaveLength(1);

    const tested = await client.call('POST', '/api/v1/main/namespaces/test.cred/credentials/old-idp/test');
    expect(tested.body).toMatchObject({ ok: false });
    expect(tested.body.error).toContain('the client secret of old-app has expired');

    // A flowable renders in the workflow, whose history Temporal keeps: credential() is refused there.
    const inFlowable = await client.deployAndRun(`
id: cred-in-flowable
namespace: test.cred.team
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ credential('idp') == 'x' }}"
    then:
      - id: never
        type: io.kestra.plugin.core.log.Log
        message: never
`);
    executions.push(inFlowable);
    const refusedHere = await client.waitFor(inFlowable);
    expect(refusedHere.state.current).toBe('FAILED');
    expect(JSON.stringify(refusedHere)).toContain('credential() is only available in the properties of runnable tasks');

    const missing = await client.deployAndRun(callerFlow('use-missing', 'nowhere'));
    const failed = await client.waitFor(missing);
    executions.push(missing);
    expect(taskRun(failed, 'call').error).toContain("credential 'nowhere' not found for namespace test.cred.team");
  });

  it('mints with a signed JWT assertion (RFC 7523)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    idp.addJwtIssuer('svc-robot', publicKey);
    secretsGiven.push(privateKey.split('\n')[5]);
    const put = await putCredential('test.cred', 'robot', { type: 'jwt_bearer', values: { tokenUrl: idp.tokenUrl, issuer: 'svc-robot', signingKey: privateKey } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await client.deploy(callerFlow('use-robot', 'robot'))).status).toBe(201);
    const done = await run('use-robot');
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    expect(JSON.parse(taskRun(done, 'call').outputs.body)).toEqual({ ok: true, client: 'svc-robot' });
    expect(idp.tokenRequests.at(-1)).toMatchObject({ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', ok: true });
  });

  it('gives the Argo CD and Cloudflare tasks a token wherever they take one', async () => {
    secretsGiven.push('argocd-test-token', 'cloudflare-test-token');
    expect((await putCredential('test.cred', 'argocd', { type: 'bearer', values: { token: 'argocd-test-token' } })).status).toBe(200);
    expect((await putCredential('_', 'cloudflare', { type: 'bearer', values: { token: 'cloudflare-test-token' } })).status).toBe(200);
    const id = await client.deployAndRun(`
id: vendor-credentials
namespace: test.cred.team
tasks:
  - id: apps
    type: io.kestra.plugin.argocd.apps.List
    server: ${inject('argocdUrl')}
    token: "{{ credential('argocd') }}"
  - id: zones
    type: io.kestra.plugin.cloudflare.zones.List
    baseUrl: ${inject('cloudflareUrl')}/client/v4
    apiToken: "{{ credential('cloudflare') }}"
`);
    executions.push(id);
    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    expect(typeof taskRun(done, 'apps').outputs.count).toBe('number');
    expect(taskRun(done, 'zones').outputs).toBeDefined();
    await client.call('DELETE', '/api/v1/main/namespaces/_/credentials/cloudflare');
  });

  it('re-seals credentials written under an old key with the current one', async () => {
    const db = getDb(inject('databaseUrl'));
    const oldKey = generateKey();
    await new CredentialStore(db, keyringFrom(oldKey, undefined)).put('main', 'test.cred.keys', 'rekey', { type: 'bearer', values: { token: 'rekey-Token-9' } });
    const current = keyringFrom(inject('encryptionKey'), oldKey);
    const report = await new CredentialStore(db, current).reencrypt();
    expect(report.rotated).toBe(1);
    const [row] = await sql<{ key_id: string }>(`SELECT key_id FROM credentials WHERE namespace = 'test.cred.keys'`);
    expect(row.key_id).toBe(current.current.id);
    const loaded = await new CredentialStore(db, keyringFrom(inject('encryptionKey'), undefined)).load('main', 'test.cred.keys', 'rekey');
    expect(loaded.secrets).toEqual({ token: 'rekey-Token-9' });
    await db.credential.deleteMany({ where: { namespace: 'test.cred.keys' } });
  });

  it('refuses bad input with a 4xx naming the fix', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'nope', values: {} }, /unknown credential type 'nope'/],
      [{ type: 'oauth2_client_credentials', values: { tokenUrl: idp.tokenUrl } }, /needs clientId/],
      [{ type: 'bearer', values: { token: 'x-long-enough', extra: 'y' } }, /has no field 'extra'/],
      [{ type: 'maas_api_key', values: { apiKey: 'only:two' } }, /three parts/],
      [{ type: 'tls_client_certificate', values: { certificate: 'not a cert', privateKey: 'no' } }, /certificate is not a PEM/],
      [{ type: 'oauth2_client_credentials', values: { tokenUrl: 'ftp://x', clientId: 'a', clientSecret: 'b' } }, /tokenUrl must be an http/],
    ];
    for (const [body, message] of cases) {
      const res = await putCredential('test.cred', 'bad', body);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.message).toMatch(message);
    }
    expect((await client.call('GET', '/api/v1/main/namespaces/test.cred/credentials/absent')).status).toBe(404);
    expect((await client.call('DELETE', '/api/v1/main/namespaces/test.cred/credentials/absent')).status).toBe(404);
  });

  it('keeps client secrets and tokens out of PostgreSQL, API answers, logs, outputs and Temporal history', async () => {
    const hidden = [...secretsGiven, ...idp.issued];
    expect(idp.issued.length).toBeGreaterThanOrEqual(5); // first, test button, after the 401, after rotation, JWT
    const database = JSON.stringify(await Promise.all(['credentials', 'secrets', 'logs', 'task_runs', 'executions', 'audit_log'].map((t) => sql(`SELECT * FROM ${t}`))));
    const answers = [JSON.stringify((await client.call('GET', '/api/v1/main/namespaces/test.cred.team/credentials')).body)];
    for (const name of ['idp', 'robot', 'old-idp']) answers.push(JSON.stringify((await client.call('GET', `/api/v1/main/namespaces/test.cred/credentials/${name}`)).body));
    const history: string[] = [];
    for (const id of executions) {
      answers.push(JSON.stringify((await client.execution(id)).body), JSON.stringify((await client.logs(id)).body));
      const decoded = await codec.decode((await historyPayloads(id)) as never);
      history.push(...decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')));
    }
    const everywhere = [database, ...answers, ...history].join('\n');
    expect(everywhere).toContain('baton-app'); // the search itself finds what is there
    for (const value of hidden) expect(everywhere.includes(value), `${value.slice(0, 12)}… leaked`).toBe(false);
    // The Log task printed the token: masked.
    const logs = (await client.logs(executions[0])).body.filter((l: { taskId: string }) => l.taskId === 'say');
    expect(logs[0].message).toMatch(/^token is \*+$/);
  });
});
