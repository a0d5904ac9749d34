import { DEADLINE_MARGIN_MS, PluginError, remainingMs, waitOutRateLimit, withHeartbeat, type HttpResponse, type TaskContext } from '@baton/plugin-sdk';

export interface NetBoxConnection {
  url: string;
  token: string;
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface NbObject {
  id: number;
  url?: string;
  display?: string;
  [field: string]: unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** `https://netbox.example.com`, `.../`, `.../api/` → the origin and path without `/api`. */
export function baseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new PluginError('INVALID_PROPERTIES', `url '${url}' is not a valid URL (expected e.g. https://netbox.example.com)`, { retryable: false });
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '').replace(/\/api$/, '')}`;
}

/**
 * NetBox takes v1 tokens as `Token <40 hex>` and v2 tokens (4.5+) as `Bearer nbt_<key>.<token>`.
 * A token given with its scheme already is sent as it is.
 */
export function authorization(token: string): string {
  const t = token.trim();
  if (/^(token|bearer)\s+/i.test(t)) return t;
  return t.startsWith('nbt_') ? `Bearer ${t}` : `Token ${t}`;
}

function query(q: Query | undefined): string {
  if (!q) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** DRF's 400 body `{field: [msgs]}` (or a list of them for bulk) as "field: msg; other: msg". */
export function fieldErrors(body: unknown): string | undefined {
  const one = (b: unknown): string[] =>
    b && typeof b === 'object' && !Array.isArray(b)
      ? Object.entries(b as Record<string, unknown>).map(
          ([field, msgs]) =>
            `${field === '__all__' || field === 'non_field_errors' ? '' : `${field}: `}${Array.isArray(msgs) ? msgs.join(' ') : typeof msgs === 'object' ? JSON.stringify(msgs) : String(msgs)}`,
        )
      : [];
  const parts = Array.isArray(body) ? body.flatMap(one) : one(body);
  return parts.length ? parts.join('; ') : undefined;
}

export function netboxHttpError(response: HttpResponse, where: string, base: string): PluginError {
  const status = response.status;
  const body = response.body as { detail?: unknown } | null;
  const detail = body && typeof body === 'object' && typeof body.detail === 'string' ? body.detail : undefined;
  const text = (response.text ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
  const message = detail ?? fieldErrors(body) ?? (text || 'no message');
  const details = { status, where };
  if (status === 400) return new PluginError('REMOTE_ERROR', `NetBox refused ${where}: ${message}`, { retryable: false, details });
  if (status === 401 || (status === 403 && /token|credentials/i.test(message))) {
    return new PluginError('AUTHENTICATION', `NetBox at ${base} rejected the token (${status}: ${message}); check token (v1 40 hex characters, or v2 nbt_<key>.<token>)`, {
      retryable: false,
      details,
    });
  }
  if (status === 403) return new PluginError('PERMISSION_DENIED', `NetBox refused ${where} (403: ${message}); the token lacks the permission`, { retryable: false, details });
  if (status === 404) return new PluginError('NOT_FOUND', `${where} on ${base}: ${message}`, { retryable: false, details });
  if (status === 409 || status === 412) return new PluginError('CONFLICT', `NetBox refused ${where} (${status}: ${message})`, { retryable: false, details });
  if (status === 429) return new PluginError('RATE_LIMITED', `NetBox at ${base} is rate limiting ${where} (429)`, { retryable: true, details });
  if (status >= 500) return new PluginError('UPSTREAM_UNAVAILABLE', `NetBox at ${base} failed on ${where} (${status}: ${message})`, { retryable: true, details });
  return new PluginError('REMOTE_ERROR', `NetBox refused ${where} (${status}: ${message})`, { retryable: false, details });
}

/** A small NetBox REST client on the task's HTTP client: token schemes, paging, errors. */
export class NetBoxClient {
  readonly base: string;
  readonly endsAt: number | undefined;

  constructor(
    private readonly ctx: TaskContext<unknown>,
    private readonly connection: NetBoxConnection,
  ) {
    this.base = baseUrl(connection.url);
    ctx.maskValue(connection.token);
    this.endsAt = ctx.taskRun.deadline !== undefined ? ctx.taskRun.deadline - DEADLINE_MARGIN_MS : undefined;
  }

  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = path.startsWith('http') ? path : `${this.base}${path}${query(options.query)}`;
    const where = `${method} ${new URL(url).pathname}`;
    for (let retries = 0; ; retries++) {
      const timeoutMs = Math.max(1_000, Math.min(REQUEST_TIMEOUT_MS, remainingMs(this)));
      const response = await withHeartbeat(
        this.ctx,
        this.ctx.http.request<T>({ method, url, headers: { authorization: authorization(this.connection.token) }, body: options.body, timeoutMs }),
      );
      if (response.status >= 200 && response.status < 300) return response.body;
      const error = netboxHttpError(response, where, this.base);
      if (error.code !== 'RATE_LIMITED') throw error;
      await waitOutRateLimit(this.ctx, error, retries, this.endsAt);
    }
  }

  /** Follows `next` links until `limit` objects are read (all of them when limit is undefined). */
  async list<T extends NbObject>(path: string, q: Query, limit?: number): Promise<{ results: T[]; count: number }> {
    const pageSize = Math.min(limit ?? 1000, 1000);
    let page = await this.request<Page<T>>('GET', path, { query: { ...q, limit: pageSize } });
    const results = [...page.results];
    while (page.next && (limit === undefined || results.length < limit)) {
      // NetBox builds `next` from the Host header it saw; keep our origin (a proxy may rewrite it).
      const next = new URL(page.next);
      page = await this.request<Page<T>>('GET', `${this.base}${new URL(path, this.base).pathname}${next.search}`);
      results.push(...page.results);
    }
    return { results: limit === undefined ? results : results.slice(0, limit), count: page.count };
  }

  /** The only object matching `q`, or undefined. */
  async findOne<T extends NbObject>(path: string, q: Query): Promise<T | undefined> {
    const { results } = await this.list<T>(path, q, 2);
    return results[0];
  }
}

/** A related object given by slug (or name), or by numeric id, as NetBox's nested lookups take it. */
export function ref(value: string | number | undefined, key: 'slug' | 'name' = 'slug'): number | Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || /^\d+$/.test(value)) return Number(value);
  return { [key]: value };
}
