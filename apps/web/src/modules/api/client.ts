// The one way the browser talks to the API: JSON in and out, errors as ApiError carrying the
// server's message (written to say how to fix) and, for 422s, the per-field errors.
import { signInHref } from '@/modules/auth/lib/next-path';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly errors?: unknown[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Raw body with its content type (YAML). */
  raw?: { body: string; contentType: string };
  /** A multipart form (file uploads); the browser writes its content type with the boundary. */
  form?: FormData;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body, signal: options.signal, cache: 'no-store' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Baton’s server cannot be reached. Check that it is running (npm start) and that this machine can reach it.');
  }
  if (res.status === 401 && typeof window !== 'undefined' && !window.location.pathname.startsWith('/signin')) {
    // The session expired (or never was): sign in, then come back to this very page.
    window.location.assign(signInHref(window.location.pathname + window.location.search));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const d = (data ?? {}) as { message?: string; code?: string; errors?: unknown[] };
    throw new ApiError(res.status, d.message ?? `${res.status} ${res.statusText}`, d.code, d.errors);
  }
  return data as T;
}

/** `/api/v1/<tenant>` + path, with each dynamic segment encoded. */
export function tenantPath(tenant: string, ...segments: (string | number)[]) {
  return `/api/v1/${encodeURIComponent(tenant)}/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
}

export function query(params: Record<string, string | number | boolean | undefined | null | (string | number)[]>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((item) => q.append(k, String(item)));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
