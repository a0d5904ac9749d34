import http from 'node:http';
import https from 'node:https';
import { PluginError } from './errors';

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
  /** Whole-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Skip TLS verification (self-signed lab servers). */
  insecure?: boolean;
  /** Extra trusted CA certificate(s), PEM. */
  ca?: string;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  /** Each header once, repeated values joined with ", ". */
  headers: Record<string, string>;
  /** Each header with all its values, as Kestra's HTTP outputs show them (Set-Cookie stays apart). */
  headerLists: Record<string, string[]>;
  /** Parsed JSON when the response says JSON (or looks like it), else text. */
  body: T;
  text: string;
}

export interface HttpStreamResponse {
  status: number;
  headers: Record<string, string>;
  headerLists: Record<string, string[]>;
  /** The body as it arrives (bytes, never decoded): a file to store, say. */
  body: AsyncIterable<Uint8Array>;
}

export interface HttpClient {
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  /**
   * The same request, answered as soon as the headers arrive, with the body as a stream of bytes
   * (downloads). The timeout covers the whole transfer; the task's signal aborts it.
   */
  stream(request: HttpRequest): Promise<HttpStreamResponse>;
}

/**
 * Called when a request is answered 401, with the headers it carried. The worker finds a
 * credential's token among them, mints a new one and answers `[stale, fresh]` pairs; the client
 * then retries that request once, and puts the fresh token in place of the stale one in every
 * later request too (a task's properties keep the token they were rendered with). An empty answer:
 * no credential was involved, the 401 stands.
 */
export type UnauthorizedHook = (headers: Record<string, string>) => Promise<[stale: string, fresh: string][]>;

export interface HttpClientDefaults {
  signal?: AbortSignal;
  timeoutMs?: number;
  onUnauthorized?: UnauthorizedHook;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return null;
  const looksJson = (contentType ?? '').includes('json') || /^[[{]/.test(text.trimStart());
  if (looksJson) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * A small HTTP client on node:http(s): it supports a custom CA and `insecure` per request
 * (fetch cannot without an extra dependency), a timeout, and the task's AbortSignal.
 * Network failures become retryable PluginErrors that name the URL.
 */
export function createHttpClient(defaults: HttpClientDefaults = {}): HttpClient {
  const replacements = new Map<string, string>();
  const refreshed = (headers: Record<string, string> | undefined) => {
    if (!headers || !replacements.size) return headers;
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      let v = value;
      for (const [stale, fresh] of replacements) if (typeof v === 'string' && v.includes(stale)) v = v.split(stale).join(fresh);
      out[name] = v;
    }
    return out;
  };
  // One request as it is, its body read whole (no 401 handling here).
  const sendBuffered = <T>(req: HttpRequest) =>
    send<HttpResponse<T>>(req, defaults, (res, where, resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new PluginError('UPSTREAM_UNAVAILABLE', `${where}: response interrupted (${err.message})`, { cause: err })));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, ...headersOf(res), body: parseBody(text, res.headers['content-type']) as T, text });
      });
    });
  return {
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      const first = { ...req, headers: refreshed(req.headers) };
      const response = await sendBuffered<T>(first);
      if (response.status !== 401 || !defaults.onUnauthorized || !first.headers) return response;
      const pairs = await defaults.onUnauthorized(first.headers);
      if (!pairs.length) return response;
      for (const [stale, fresh] of pairs) {
        replacements.set(stale, fresh);
        // A token refreshed twice: the first stale one maps to the newest too.
        for (const [k, v] of replacements) if (v === stale) replacements.set(k, fresh);
      }
      return sendBuffered<T>({ ...req, headers: refreshed(req.headers) });
    },
    stream(req: HttpRequest): Promise<HttpStreamResponse> {
      // A stream cannot be replayed: no 401 retry, but a token refreshed earlier in the attempt is used.
      return send({ ...req, headers: refreshed(req.headers) }, defaults, (res, _where, resolve) => resolve({ status: res.statusCode ?? 0, ...headersOf(res), body: res }));
    },
  };
}

function headersOf(res: http.IncomingMessage): { headers: Record<string, string>; headerLists: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const headerLists: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
    headerLists[k] = Array.isArray(v) ? v : [v];
  }
  return { headers, headerLists };
}

/**
 * One request on node:http(s): it supports a custom CA and `insecure` per request (fetch cannot
 * without an extra dependency), a timeout, and the task's AbortSignal. Network failures become
 * retryable PluginErrors that name the URL. `onResponse` decides how the body is consumed.
 */
function send<R>(
  req: HttpRequest,
  defaults: { signal?: AbortSignal; timeoutMs?: number },
  onResponse: (res: http.IncomingMessage, where: string, resolve: (r: R) => void, reject: (e: unknown) => void) => void,
): Promise<R> {
  const url = new URL(req.url);
  const isHttps = url.protocol === 'https:';
  const signal = req.signal ?? defaults.signal;
  const timeoutMs = req.timeoutMs ?? defaults.timeoutMs ?? 30_000;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let payload: Buffer | undefined;
  if (req.body !== undefined && req.body !== null) {
    if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
      payload = Buffer.from(req.body as string);
    } else {
      payload = Buffer.from(JSON.stringify(req.body));
      headers['content-type'] ??= 'application/json';
    }
    headers['content-length'] = String(payload.length);
  }
  const where = `${(req.method ?? 'GET').toUpperCase()} ${url.origin}${url.pathname}`;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PluginError('CANCELLED', `${where} was cancelled before it started`));
      return;
    }
    const options: https.RequestOptions = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      timeout: timeoutMs,
    };
    if (isHttps) {
      options.rejectUnauthorized = !req.insecure;
      if (req.ca) options.ca = req.ca;
    }
    const client = isHttps ? https : http;
    const request = client.request(url, options, (res) => onResponse(res, where, resolve, reject));
    const onAbort = () => request.destroy(new PluginError('CANCELLED', `${where} was cancelled`));
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('timeout', () => request.destroy(new PluginError('TIMEOUT', `${where} timed out after ${timeoutMs} ms`)));
    request.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      if (err instanceof PluginError) reject(err);
      else reject(new PluginError('UPSTREAM_UNAVAILABLE', `${where} failed: ${err.message}`, { cause: err }));
    });
    request.on('close', () => signal?.removeEventListener('abort', onAbort));
    if (payload) request.write(payload);
    request.end();
  });
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
