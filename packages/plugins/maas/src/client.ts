import { randomBytes } from 'node:crypto';
import { DEADLINE_MARGIN_MS, PluginError, remainingMs, withHeartbeat, type HttpResponse, type TaskContext } from '@baton/plugin-sdk';
import type { MaasMachine } from './types';

export interface MaasConnection {
  url: string;
  apiKey: string;
}

/** Form values: a list is sent as the same field repeated (mac_addresses=a&mac_addresses=b). */
export type Form = Record<string, string | number | boolean | string[] | undefined>;

const REQUEST_TIMEOUT_MS = 30_000;

/** `http://maas:5240/MAAS` or `.../MAAS/api/2.0/` → the API 2.0 base, without a trailing slash. */
export function apiBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new PluginError('INVALID_PROPERTIES', `url '${url}' is not a valid URL (expected e.g. http://maas.example.com:5240/MAAS)`, { retryable: false });
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const base = /\/api\/2\.0$/.test(path) ? path : `${path.endsWith('/MAAS') ? path : `${path}/MAAS`}/api/2.0`;
  return `${parsed.origin}${base}`;
}

/**
 * OAuth 1.0a PLAINTEXT, as MAAS wants it: the API key is `consumer_key:token_key:token_secret`
 * and the consumer secret is empty, so the signature is `&<token_secret>`.
 */
export function oauthHeader(apiKey: string, nonce = randomBytes(12).toString('hex'), timestamp = Math.floor(Date.now() / 1000)): string {
  const parts = apiKey.split(':');
  if (parts.length !== 3 || parts.some((p) => !p)) {
    throw new PluginError('INVALID_PROPERTIES', 'apiKey must be a MAAS API key of the form consumer_key:token_key:token_secret (maas apikey --username <user>)', {
      retryable: false,
    });
  }
  const [consumerKey, tokenKey, tokenSecret] = parts;
  const params: Record<string, string> = {
    oauth_version: '1.0',
    oauth_signature_method: 'PLAINTEXT',
    oauth_consumer_key: consumerKey,
    oauth_token: tokenKey,
    oauth_signature: `&${encodeURIComponent(tokenSecret)}`,
    oauth_nonce: nonce,
    oauth_timestamp: String(timestamp),
  };
  return `OAuth ${Object.entries(params)
    .map(([k, v]) => `${k}="${encodeURIComponent(v)}"`)
    .join(', ')}`;
}

export function encodeForm(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  return params.toString();
}

/** The text MAAS sent: plain text mostly, JSON `{field: [msgs]}` for form errors (shown per field). */
export function remoteMessage(response: HttpResponse): string {
  const body = response.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const parts = Object.entries(body as Record<string, unknown>).map(([field, msgs]) => `${field}: ${Array.isArray(msgs) ? msgs.join(' ') : String(msgs)}`);
    if (parts.length) return parts.join('; ');
  }
  const text = (response.text ?? '').trim();
  return text ? text.slice(0, 400) : 'no message';
}

export function maasHttpError(response: HttpResponse, where: string, base: string): PluginError {
  const status = response.status;
  const message = remoteMessage(response);
  const details = { status, where };
  if (status === 401)
    return new PluginError('AUTHENTICATION', `MAAS at ${base} rejected the API key (401: ${message}) on ${where}; check apiKey (consumer:token:secret)`, {
      retryable: false,
      details,
    });
  if (status === 403)
    return new PluginError('PERMISSION_DENIED', `MAAS refused ${where} (403: ${message}); the API key's user lacks the permission`, { retryable: false, details });
  if (status === 404) return new PluginError('NOT_FOUND', `${where}: ${message}`, { retryable: false, details });
  if (status === 409) return new PluginError('CONFLICT', `MAAS refused ${where} (409: ${message})`, { retryable: false, details });
  if (status === 429) return new PluginError('RATE_LIMITED', `MAAS at ${base} is rate limiting ${where} (429)`, { retryable: true, details });
  if (status >= 500) return new PluginError('UPSTREAM_UNAVAILABLE', `MAAS at ${base} failed on ${where} (${status}: ${message})`, { retryable: true, details });
  return new PluginError('REMOTE_ERROR', `MAAS refused ${where} (${status}: ${message})`, { retryable: false, details });
}

/** A small client for the MAAS 2.0 API on the task's HTTP client: OAuth signing, forms, errors. */
export class MaasClient {
  readonly base: string;
  readonly endsAt: number | undefined;

  constructor(
    private readonly ctx: TaskContext<unknown>,
    private readonly connection: MaasConnection,
  ) {
    this.base = apiBase(connection.url);
    ctx.maskValue(connection.apiKey);
    const secret = connection.apiKey.split(':')[2];
    if (secret && secret.length >= 4) ctx.maskValue(secret);
    this.endsAt = ctx.taskRun.deadline !== undefined ? ctx.taskRun.deadline - DEADLINE_MARGIN_MS : undefined;
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { op?: string; query?: Form; form?: Form } = {}): Promise<T> {
    const query = encodeForm({ ...(options.op ? { op: options.op } : {}), ...options.query });
    const url = `${this.base}${path}${query ? `?${query}` : ''}`;
    const where = `${method} ${path}${options.op ? `?op=${options.op}` : ''}`;
    const headers: Record<string, string> = { authorization: oauthHeader(this.connection.apiKey) };
    let body: string | undefined;
    if (options.form) {
      body = encodeForm(options.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const timeoutMs = Math.max(1_000, Math.min(REQUEST_TIMEOUT_MS, remainingMs(this)));
    const response = await withHeartbeat(this.ctx, this.ctx.http.request<T>({ method, url, headers, body, timeoutMs }));
    if (response.status >= 200 && response.status < 300) return response.body;
    throw maasHttpError(response, where, this.base);
  }

  getMachine(systemId: string): Promise<MaasMachine> {
    return this.request<MaasMachine>('GET', `/machines/${encodeURIComponent(systemId)}/`).catch((error: unknown) => {
      if (error instanceof PluginError && error.code === 'NOT_FOUND') {
        throw new PluginError('NOT_FOUND', `machine '${systemId}' not found in MAAS at ${this.base}`, { retryable: false, cause: error });
      }
      throw error;
    });
  }

  machineOp(systemId: string, op: string, form: Form = {}): Promise<MaasMachine> {
    return this.request<MaasMachine>('POST', `/machines/${encodeURIComponent(systemId)}/`, { op, form });
  }
}
