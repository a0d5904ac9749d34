import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import http from 'node:http';

interface Client {
  secret?: string;
  /** For the JWT bearer grant: the key the assertion's signature is checked with (RS256). */
  publicKey?: KeyObject;
  expired?: boolean;
}

/**
 * A real OAuth2 authorization server and resource server for tests, reached by the worker over
 * loopback. POST /token answers the client_credentials grant (client_secret_basic or in the body)
 * and the JWT bearer grant (RFC 7523, RS256), with RFC 6749's error shapes. GET /resource accepts
 * only tokens it issued and has not revoked. It counts token requests, so a test can prove caching.
 */
export async function startOAuth2Server(options: { expiresIn?: number } = {}) {
  const clients = new Map<string, Client>();
  const live = new Map<string, string>(); // token → client id
  const issued: string[] = [];
  const tokenRequests: { clientId?: string; grantType?: string; scope?: string; ok: boolean }[] = [];
  const resourceCalls: { status: number }[] = [];

  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };

  const token = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    const form = new URLSearchParams(body);
    const grantType = form.get('grant_type') ?? undefined;
    let clientId: string | undefined;
    let secret: string | undefined;
    const fail = (status: number, error: string, description: string) => {
      tokenRequests.push({ clientId, grantType, ok: false });
      answer(res, status, { error, error_description: description });
    };
    if (grantType === 'client_credentials') {
      const basic = req.headers.authorization?.match(/^Basic (.+)$/i);
      if (basic) {
        const [id, pass] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
        clientId = id;
        secret = pass;
      } else {
        clientId = form.get('client_id') ?? undefined;
        secret = form.get('client_secret') ?? undefined;
      }
      const client = clientId ? clients.get(clientId) : undefined;
      if (!client || client.secret !== secret) return fail(401, 'invalid_client', 'client authentication failed');
      if (client.expired) return fail(401, 'invalid_client', `the client secret of ${clientId} has expired`);
    } else if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
      let parsed: { iss?: string; exp?: number } = {};
      try {
        parsed = JSON.parse(Buffer.from(claims ?? '', 'base64url').toString('utf8')) as typeof parsed;
      } catch {
        return fail(400, 'invalid_grant', 'the assertion is not a JWT');
      }
      clientId = parsed.iss;
      const client = clientId ? clients.get(clientId) : undefined;
      if (!client?.publicKey) return fail(400, 'invalid_grant', `unknown issuer ${clientId}`);
      const ok = verify('sha256', Buffer.from(`${header}.${claims}`), client.publicKey, Buffer.from(signature ?? '', 'base64url'));
      if (!ok) return fail(400, 'invalid_grant', 'the assertion signature is invalid');
      if (!parsed.exp || parsed.exp * 1000 < Date.now()) return fail(400, 'invalid_grant', 'the assertion has expired');
    } else {
      return fail(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
    }
    const value = `at-${clientId}-${randomBytes(12).toString('hex')}`;
    live.set(value, clientId!);
    issued.push(value);
    tokenRequests.push({ clientId, grantType, scope: form.get('scope') ?? undefined, ok: true });
    answer(res, 200, { access_token: value, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600, scope: form.get('scope') ?? undefined });
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'POST' && path === '/token') return token(req, body, res);
      if (path === '/resource') {
        const bearer = req.headers.authorization?.match(/^Bearer (.+)$/i)?.[1];
        const client = bearer ? live.get(bearer) : undefined;
        const status = client ? 200 : 401;
        resourceCalls.push({ status });
        return client ? answer(res, 200, { ok: true, client }) : answer(res, 401, { error: 'invalid_token' });
      }
      answer(res, 404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    resourceUrl: `${url}/resource`,
    /** Every access token issued, to prove none leaked. */
    issued,
    tokenRequests,
    resourceCalls,
    addClient(id: string, secret: string) {
      clients.set(id, { secret });
    },
    addJwtIssuer(id: string, publicKeyPem: string) {
      clients.set(id, { publicKey: createPublicKey(publicKeyPem) });
    },
    /** The client's secret is replaced: the old one stops working (a rotation at the provider). */
    rotateSecret(id: string, secret: string) {
      clients.set(id, { ...clients.get(id), secret, expired: false });
    },
    expireSecret(id: string) {
      clients.set(id, { ...clients.get(id), expired: true });
    },
    /** Revokes every token issued so far: the next resource call with one of them is a 401. */
    revokeAll() {
      live.clear();
    },
    tokensFor(id: string) {
      return tokenRequests.filter((r) => r.clientId === id && r.ok).length;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
