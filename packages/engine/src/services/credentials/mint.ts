import { createHmac, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** What a credential gives a task: `token` is what `{{ credential('name') }}` renders to. */
export interface MintedCredential {
  token: string;
  /** Every value a task may need (token, username, certificate, privateKey, ca, headerName...). */
  values: Record<string, string>;
  /** Epoch ms the token stops working, when the provider said (expires_in). */
  expiresAt?: number;
  /** Non-secret facts for the "test" answer. */
  info: Record<string, unknown>;
}

/**
 * Minting failed: the provider refused (`providerError` holds its own words) or could not be
 * reached. `retryable` says whether trying again later can help (5xx, network) or not (4xx).
 */
export class MintError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MintError';
  }
}

type Fields = Record<string, string | undefined>;

const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

/** Produces the material of one credential: a token request for minted types, the stored values for static ones. */
export async function mintCredential(type: string, settings: Fields, secrets: Fields, now = Date.now()): Promise<MintedCredential> {
  switch (type) {
    case 'oauth2_client_credentials':
      return clientCredentials(settings, secrets);
    case 'jwt_bearer':
      return jwtBearer(settings, secrets, now);
    case 'bearer':
      return { token: secrets.token!, values: { token: secrets.token! }, info: {} };
    case 'basic': {
      const token = Buffer.from(`${settings.username}:${secrets.password}`, 'utf8').toString('base64');
      return { token, values: { token, username: settings.username!, password: secrets.password! }, info: { username: settings.username } };
    }
    case 'api_key': {
      const headerName = settings.headerName || 'X-API-Key';
      return { token: secrets.apiKey!, values: { token: secrets.apiKey!, apiKey: secrets.apiKey!, headerName }, info: { headerName } };
    }
    case 'ssh_private_key': {
      const values: Record<string, string> = { token: secrets.privateKey!, privateKey: secrets.privateKey! };
      if (settings.username) values.username = settings.username;
      if (secrets.passphrase) values.passphrase = secrets.passphrase;
      return { token: secrets.privateKey!, values, info: { username: settings.username } };
    }
    case 'tls_client_certificate': {
      const cert = readCertificate(settings.certificate!, secrets.privateKey!);
      const bundle = `${settings.certificate!.trim()}\n${secrets.privateKey!.trim()}\n`;
      const values: Record<string, string> = { token: bundle, certificate: settings.certificate!, privateKey: secrets.privateKey! };
      if (settings.caBundle) values.ca = settings.caBundle;
      return { token: bundle, values, expiresAt: cert.expiresAt, info: { subject: cert.subject, notAfter: new Date(cert.expiresAt).toISOString() } };
    }
    case 'maas_api_key':
      return { token: secrets.apiKey!, values: { token: secrets.apiKey!, apiKey: secrets.apiKey! }, info: {} };
    default:
      throw new MintError(`unknown credential type '${type}'`, false);
  }
}

/** Parses a client certificate and checks the private key belongs to it. */
export function readCertificate(certificate: string, privateKey: string): { subject: string; expiresAt: number } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch (error) {
    throw new MintError(`the certificate is not a PEM X.509 certificate (${(error as Error).message})`, false);
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch (error) {
    throw new MintError(`the private key cannot be read (${(error as Error).message})`, false);
  }
  if (!cert.checkPrivateKey(key)) throw new MintError(`the private key does not belong to the certificate ${cert.subject}`, false);
  return { subject: cert.subject, expiresAt: Date.parse(cert.validTo) };
}

async function clientCredentials(settings: Fields, secrets: Fields): Promise<MintedCredential> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  addScopes(form, settings);
  const headers: Record<string, string> = {};
  if (settings.clientAuth === 'body') {
    form.set('client_id', settings.clientId!);
    form.set('client_secret', secrets.clientSecret!);
  } else {
    // RFC 6749 §2.3.1: both parts form-urlencoded before the Basic encoding.
    const pair = `${encodeURIComponent(settings.clientId!)}:${encodeURIComponent(secrets.clientSecret!)}`;
    headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return tokenRequest(settings, form, headers);
}

async function jwtBearer(settings: Fields, secrets: Fields, now: number): Promise<MintedCredential> {
  const algorithm = settings.algorithm || 'RS256';
  const iat = Math.floor(now / 1000);
  const header: Record<string, string> = { alg: algorithm, typ: 'JWT' };
  if (settings.keyId) header.kid = settings.keyId;
  const claims = {
    iss: settings.issuer,
    sub: settings.subject || settings.issuer,
    aud: settings.jwtAudience || settings.tokenUrl,
    iat,
    exp: iat + 300,
    jti: randomUUID(),
  };
  const assertion = signJwt(header, claims, algorithm, secrets.signingKey!);
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  addScopes(form, settings);
  return tokenRequest(settings, form, {});
}

export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, algorithm: string, key: string): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  let signature: Buffer;
  try {
    if (algorithm === 'HS256') signature = createHmac('sha256', key).update(input).digest();
    else if (algorithm === 'RS256') signature = sign('sha256', Buffer.from(input), createPrivateKey(key));
    else if (algorithm === 'ES256') signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(key), dsaEncoding: 'ieee-p1363' });
    else throw new MintError(`algorithm '${algorithm}' is not supported: use RS256, ES256 or HS256`, false);
  } catch (error) {
    if (error instanceof MintError) throw error;
    throw new MintError(`the signing key cannot sign ${algorithm} (${(error as Error).message})`, false);
  }
  return `${input}.${signature.toString('base64url')}`;
}

function addScopes(form: URLSearchParams, settings: Fields) {
  const scopes = (settings.scopes ?? '').split(/[\s,]+/).filter(Boolean);
  if (scopes.length) form.set('scope', scopes.join(' '));
  if (settings.audience) form.set('audience', settings.audience);
}

/** POSTs the token request and reads an RFC 6749 §5.1 answer, or reports the §5.2 error in the provider's words. */
async function tokenRequest(settings: Fields, form: URLSearchParams, headers: Record<string, string>): Promise<MintedCredential> {
  const url = settings.tokenUrl!;
  const answer = await post(url, form.toString(), { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, settings.caBundle);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    // not JSON: reported below with the status
  }
  if (answer.status < 200 || answer.status >= 300 || typeof body.access_token !== 'string') {
    const said =
      typeof body.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : answer.text.slice(0, 200) || 'no body';
    const what = answer.status >= 200 && answer.status < 300 ? 'answered without an access_token' : `answered ${answer.status}`;
    throw new MintError(`the token endpoint ${url} ${what} (${said})`, answer.status >= 500 || answer.status === 429, answer.status);
  }
  const token = body.access_token;
  const expiresIn = Number(body.expires_in);
  const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined;
  return {
    token,
    values: { token, tokenType: String(body.token_type ?? 'Bearer') },
    expiresAt,
    info: { tokenType: body.token_type ?? 'Bearer', expiresIn: Number.isFinite(expiresIn) ? expiresIn : undefined, scope: body.scope },
  };
}

function post(url: string, body: string, headers: Record<string, string>, ca?: string): Promise<{ status: number; text: string }> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new MintError(`the token URL '${url}' is not a URL`, false));
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: TOKEN_REQUEST_TIMEOUT_MS,
        ...(ca && target.protocol === 'https:' ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(new MintError(`the token endpoint ${url} broke off its answer (${e.message})`, true)));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on('error', (e) => reject(e instanceof MintError ? e : new MintError(`the token endpoint ${url} could not be reached (${e.message})`, true)));
    request.end(body);
  });
}
