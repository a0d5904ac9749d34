import crypto from 'node:crypto';
import http from 'node:http';

/**
 * A small but real OpenID Connect provider for tests: discovery document, JWKS, an authorization
 * endpoint that approves the configured user at once (no login page), and a token endpoint that
 * checks the client secret and PKCE and issues RS256-signed id_tokens. The authorization code flow
 * is the one Keycloak, Dex or Okta run; only the person typing a password is left out.
 *
 * Written with node:crypto rather than `oidc-provider`: that package needs an interaction (login
 * and consent) implementation before it approves anything, which is more code than this whole file.
 */

/** The person the provider signs in: `sub` and whatever claims the id_token carries (groups…). */
export interface OidcTestUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  [claim: string]: unknown;
}

export interface OidcTestServerOptions {
  clientId: string;
  clientSecret: string;
  user: OidcTestUser;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  user: OidcTestUser;
  expires: number;
}

const CODE_TTL_MS = 60_000;

export async function startOidcServer(options: OidcTestServerOptions) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(8).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, OidcTestUser>();
  // Mutable on purpose: a test changes who signs in next, their groups, or the secret it expects.
  const state = { user: options.user, clientSecret: options.clientSecret, tokenRequests: 0, refusedClients: 0 };
  let issuer = '';

  const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  function idToken(user: OidcTestUser, clientId: string, nonce?: string) {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url({ ...user, iss: issuer, aud: clientId, iat: now, exp: now + 300, ...(nonce ? { nonce } : {}) })}`;
    return `${input}.${crypto.sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
  }

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));

  function authorize(url: URL, res: http.ServerResponse) {
    const p = url.searchParams;
    const clientId = p.get('client_id') ?? '';
    const redirectUri = p.get('redirect_uri') ?? '';
    // Errors about the client or redirect URI are shown here, never sent to an unverified redirect.
    if (clientId !== options.clientId) return res.writeHead(400, { 'content-type': 'text/plain' }).end(`unknown client_id ${clientId}`);
    if (!/^https?:\/\//.test(redirectUri)) return res.writeHead(400, { 'content-type': 'text/plain' }).end('redirect_uri is missing or not a URL');
    const back = new URL(redirectUri);
    if (p.get('state')) back.searchParams.set('state', p.get('state')!);
    if (p.get('response_type') !== 'code' || !(p.get('scope') ?? '').split(' ').includes('openid')) {
      back.searchParams.set('error', 'invalid_request');
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (p.get('code_challenge') && p.get('code_challenge_method') !== 'S256') {
      back.searchParams.set('error', 'invalid_request');
      return res.writeHead(302, { location: back.toString() }).end();
    }
    const code = crypto.randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId,
      redirectUri,
      nonce: p.get('nonce') ?? undefined,
      codeChallenge: p.get('code_challenge') ?? undefined,
      user: structuredClone(state.user),
      expires: Date.now() + CODE_TTL_MS,
    });
    back.searchParams.set('code', code);
    res.writeHead(302, { location: back.toString() }).end();
  }

  function token(req: http.IncomingMessage, body: string, res: http.ServerResponse) {
    state.tokenRequests++;
    const form = new URLSearchParams(body);
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // RFC 6749 2.3.1: both halves are form-urlencoded before the Basic encoding.
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    }
    if (clientId !== options.clientId || secret !== state.clientSecret) {
      state.refusedClients++;
      return json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' }, { 'www-authenticate': 'Basic realm="oidc-test"' });
    }
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? ''); // a code is used once
    if (form.get('grant_type') !== 'authorization_code' || !code || code.expires < Date.now() || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'the code is unknown, used, expired or was issued for another client or redirect_uri' });
    }
    if (code.codeChallenge) {
      const verifier = form.get('code_verifier') ?? '';
      if (crypto.createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge)
        return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const accessToken = crypto.randomBytes(24).toString('base64url');
    tokens.set(accessToken, code.user);
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, scope: 'openid email profile', id_token: idToken(code.user, clientId, code.nonce) });
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', issuer);
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: ['openid', 'email', 'profile', 'groups'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
      if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url, res);
      if (req.method === 'POST' && url.pathname === '/token') return token(req, body, res);
      if (req.method === 'GET' && url.pathname === '/userinfo') {
        const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /i, ''));
        return user ? json(res, 200, user) : json(res, 401, { error: 'invalid_token' });
      }
      json(res, 404, { error: 'not_found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    issuer,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
