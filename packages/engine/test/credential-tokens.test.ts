// The worker's credential cache and the task HTTP client's 401 hook, against the real local OAuth2
// server, with a clock the test moves (so refresh-before-expiry is proven without waiting).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '@baton/plugin-sdk';
import { startOAuth2Server } from '@baton/testing/oauth2-server';
import { CredentialTokens, MintError, type CredentialStore, type LoadedCredential } from '../src/services/credentials/index';

let idp: Awaited<ReturnType<typeof startOAuth2Server>>;

beforeAll(async () => {
  idp = await startOAuth2Server({ expiresIn: 600 });
  idp.addClient('cache-app', 'cache-Secret-1');
});
afterAll(() => idp?.close());

/** The one stored row the cache reads (its revision moves like the table's), and its uses. */
function storeWith(credential: Omit<LoadedCredential, 'tenant' | 'definedIn' | 'name'>) {
  const row = { tenant: 'main', definedIn: 'team', name: 'idp', ...credential };
  const used: string[] = [];
  const store = {
    load: async () => ({ ...row, settings: { ...row.settings }, secrets: { ...row.secrets } }),
    markUsed: async (_t: string, ns: string, name: string) => void used.push(`${ns}/${name}`),
  } as unknown as CredentialStore;
  return { row, used, store };
}

describe('CredentialTokens', () => {
  it('reuses a token until a minute before it expires, then mints again; shares one request between concurrent uses', async () => {
    let now = Date.now();
    const { store, used } = storeWith({
      type: 'oauth2_client_credentials',
      revision: 1,
      settings: { tokenUrl: idp.tokenUrl, clientId: 'cache-app' },
      secrets: { clientSecret: 'cache-Secret-1' },
    });
    const tokens = new CredentialTokens(store, () => now);
    const start = idp.tokensFor('cache-app');
    const [a, b] = await Promise.all([tokens.resolve('main', 'team.app', 'idp'), tokens.resolve('main', 'team.app', 'idp')]);
    expect(a.token).toBe(b.token);
    expect(idp.tokensFor('cache-app')).toBe(start + 1);
    expect(used).toEqual(['team/idp', 'team/idp']);

    now += 530_000; // 70 s left of 600: still fresh
    expect((await tokens.resolve('main', 'team', 'idp')).token).toBe(a.token);
    now += 20_000; // 50 s left: within the margin
    const renewed = await tokens.resolve('main', 'team', 'idp');
    expect(renewed.token).not.toBe(a.token);
    expect(idp.tokensFor('cache-app')).toBe(start + 2);
  });

  it('mints again for a new revision, drops a refused token once, and does not cache failures', async () => {
    const { store, row } = storeWith({
      type: 'oauth2_client_credentials',
      revision: 1,
      settings: { tokenUrl: idp.tokenUrl, clientId: 'cache-app' },
      secrets: { clientSecret: 'cache-Secret-1' },
    });
    const tokens = new CredentialTokens(store);
    const first = await tokens.resolve('main', 'team', 'idp');
    // Two tasks report the same refused token: one new token for both.
    const [x, y] = await Promise.all([tokens.resolve('main', 'team', 'idp', first.token), tokens.resolve('main', 'team', 'idp', first.token)]);
    expect(x.token).not.toBe(first.token);
    expect(y.token).toBe(x.token);
    expect(tokens.mints).toBe(2);

    row.revision = 2;
    row.secrets = { clientSecret: 'wrong-Secret' };
    const refused = await tokens.resolve('main', 'team', 'idp').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MintError);
    expect((refused as MintError).message).toBe(
      `credential 'idp' (OAuth2 client credentials, team): the token endpoint ${idp.tokenUrl} answered 401 (invalid_client: client authentication failed)`,
    );
    expect((refused as MintError).retryable).toBe(false);
    row.secrets = { clientSecret: 'cache-Secret-1' };
    expect((await tokens.resolve('main', 'team', 'idp')).token).toMatch(/^at-cache-app-/);
    expect(tokens.mints).toBe(4);
  });

  it('renders each static type as documented', async () => {
    const cases: [string, Record<string, string>, Record<string, string>, string][] = [
      ['bearer', {}, { token: 'tok-123456' }, 'tok-123456'],
      ['basic', { username: 'ops' }, { password: 'pa:ss' }, Buffer.from('ops:pa:ss').toString('base64')],
      ['api_key', {}, { apiKey: 'key-abcdef' }, 'key-abcdef'],
      ['maas_api_key', {}, { apiKey: 'c:t:s' }, 'c:t:s'],
    ];
    for (const [type, settings, secrets, expected] of cases) {
      const { store } = storeWith({ type, revision: 1, settings, secrets });
      const resolved = await new CredentialTokens(store).resolve('main', 'team', 'idp');
      expect(resolved.token, type).toBe(expected);
    }
  });
});

describe('the task HTTP client on a 401', () => {
  it('asks for a fresh token once, retries, and uses the fresh token in later requests', async () => {
    idp.addClient('http-app', 'http-Secret');
    const { store } = storeWith({
      type: 'oauth2_client_credentials',
      revision: 1,
      settings: { tokenUrl: idp.tokenUrl, clientId: 'http-app' },
      secrets: { clientSecret: 'http-Secret' },
    });
    const tokens = new CredentialTokens(store);
    const stale = (await tokens.resolve('main', 'team', 'idp')).token;
    idp.revokeAll();
    const asked: string[] = [];
    const http = createHttpClient({
      onUnauthorized: async (headers) => {
        asked.push(headers.authorization);
        const fresh = await tokens.resolve('main', 'team', 'idp', stale);
        return fresh.token === stale ? [] : [[stale, fresh.token]];
      },
    });
    const before = idp.resourceCalls.length;
    const first = await http.request({ url: idp.resourceUrl, headers: { authorization: `Bearer ${stale}` } });
    expect(first.status).toBe(200);
    const second = await http.request({ url: idp.resourceUrl, headers: { authorization: `Bearer ${stale}` } });
    expect(second.status).toBe(200);
    expect(idp.resourceCalls.slice(before).map((c) => c.status)).toEqual([401, 200, 200]);
    expect(asked).toEqual([`Bearer ${stale}`]);

    // Without a fresh token the 401 is the answer: no second request.
    const plain = createHttpClient({ onUnauthorized: async () => [] });
    const refused = await plain.request({ url: idp.resourceUrl, headers: { authorization: 'Bearer unknown-token' } });
    expect(refused.status).toBe(401);
  });
});
