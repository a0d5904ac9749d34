import 'server-only';
import { AppError, serverTimingHeader, timedStep, withStepTimings } from '@baton/engine';
import { printableExcerpt } from '@baton/engine/ui';
import { anonymousCaller, identify, identifyOrAnonymous, type Caller } from '../auth/identify';
import { authorize, type Access } from '../auth/authorize';
import { ACCESS_RULES, ruleKey } from './access-rules';
import { asClientError } from './client-errors';
import { recordChange } from './audit';
import { serverLog } from '../log';
import { BODY_LIMITS, JSON_MAX_DEPTH, PARAM_MAX_CHARS, QUERY_MAX_CHARS } from './limits';

export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  caller: Caller;
  /** What the caller may do in this tenant (listings narrow by it; bodies are checked with it). */
  access: Access;
}

export type RouteHandler = (ctx: RouteContext) => Promise<unknown>;

/** What GET /api/v1/openapi.json says about a route; kept beside the route so it cannot drift. */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Path parameter descriptions, by name (every `:name` of the pattern is documented either way). */
  params?: Record<string, string>;
  query?: Record<string, { description: string; type?: 'string' | 'integer' | 'boolean'; repeatable?: boolean }>;
  /** Request body: media types, size limit and a JSON Schema of the content. */
  body?: { contentTypes: string[]; maxBytes: number; schema?: Record<string, unknown>; description?: string };
  /** Status → what it means, besides the common 400/401/404/413/422/503. */
  responses?: Record<number, string>;
  /** The route never writes (the fuzz test may call it freely). */
  readOnly?: boolean;
  /** Answered without credentials (the health probe: load balancers and `npm start` readiness have none). */
  public?: boolean;
}

export interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: RouteHandler;
  doc?: RouteDoc;
}

/** A result that is already a Response (YAML, streams) is passed through as is. */
export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status });
}

const CONTROL = /[\u0000-\u001f\u007f]/;

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError('BAD_REQUEST', `the path segment '${printableExcerpt(raw)}' has a malformed %-escape; encode '%' as %25`);
  }
}

export interface RouterOptions {
  /** Called with the tenant of every /api/v1/:tenant/... route before its handler: throws when it does not exist. */
  checkTenant?: (tenant: string) => Promise<void>;
  /** Whether answers carry a Server-Timing header of the request's steps (BATON_SERVER_TIMING). */
  serverTiming?: () => boolean;
}

/**
 * A small router over standard Request/Response. Every route is reached through `dispatch`, which
 * checks the path and query, identifies the caller, checks the tenant, and turns errors into
 * responses: AppError → its 4xx/503 status with a message that says how to fix; anything else →
 * 500 with an id to find in the server log.
 */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly options: RouterOptions = {}) {}

  add(method: string, pattern: string, handler: RouteHandler, doc?: RouteDoc): this {
    this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler, doc });
    return this;
  }

  /** The matching route with the most literal segments wins: `/executions/:id/resume` beats `/executions/:namespace/:flowId`. */
  private match(method: string, path: string) {
    const parts = path.split('/').filter(Boolean).map(decodeSegment);
    let pathMatched = false;
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      const ok = route.segments.every((s, i) => {
        if (s.startsWith(':')) {
          params[s.slice(1)] = parts[i];
          return true;
        }
        literals++;
        return s === parts[i];
      });
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method && (!best || literals > best.literals)) best = { route, params, literals };
    }
    return best ?? { pathMatched };
  }

  async dispatch(request: Request): Promise<Response> {
    if (!this.options.serverTiming?.()) return this.answer(request);
    const { result, steps } = await withStepTimings(() => this.answer(request));
    // A streamed answer's headers may already be fixed: then it goes without the timings.
    try {
      result.headers.set('server-timing', serverTimingHeader(steps));
    } catch {
      // immutable headers
    }
    return result;
  }

  private async answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      const found = this.match(request.method, url.pathname);
      if (!('route' in found)) {
        if (found.pathMatched) return json({ message: `${request.method} is not allowed on ${url.pathname}`, code: 'METHOD_NOT_ALLOWED' }, 405);
        throw new AppError('NOT_FOUND', `no API route ${request.method} ${printableExcerpt(url.pathname, 200)}; see GET /api/v1/openapi.json for the list`);
      }
      checkParams(found.params, url);
      const key = ruleKey(found.route.method, found.route.pattern);
      const rule = ACCESS_RULES[key];
      const caller: Caller = await timedStep('identify', () =>
        rule?.kind === 'public' ? anonymousCaller(request) : rule?.kind === 'appUse' ? identifyOrAnonymous(request) : identify(request),
      );
      const checkTenant = this.options.checkTenant;
      if (found.params.tenant !== undefined && checkTenant) await timedStep('tenant', () => checkTenant(found.params.tenant));
      const access = await timedStep('authorize', () => authorize(rule, caller, found.params, key));
      const result = await timedStep('handler', () => found.route.handler({ request, url, params: found.params, caller, access }));
      const response = result instanceof Response ? result : json(result ?? { ok: true });
      if (request.method !== 'GET' && response.status < 400) await timedStep('audit', () => recordChange(key, found.params, caller, access, response));
      return response;
    } catch (raw) {
      const error = raw instanceof AppError ? raw : asClientError(raw);
      if (error) {
        const body: Record<string, unknown> = { message: error.message, code: error.code };
        // Lists of located errors (flow YAML, inputs, plugin-defaults YAML) are always `errors`.
        if (error.code === 'INVALID_FLOW' || error.code === 'INVALID_INPUTS' || (error.code === 'UNPROCESSABLE' && Array.isArray(error.details))) body.errors = error.details;
        else if (error.details) body.details = error.details;
        const headers: Record<string, string> = {};
        // Bearer, not Basic: a Basic challenge would make browsers pop up their own password dialog
        // over the sign-in page. Scripts still send Basic unasked, as with Kestra.
        if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="baton"';
        if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
        if (error !== raw)
          serverLog().warn({ method: request.method, path: url.pathname, status: error.status, err: raw }, `answered ${error.status} for an error that is the caller's`);
        return Response.json(body, { status: error.status, headers });
      }
      const id = Math.random().toString(36).slice(2, 10);
      serverLog().error({ requestId: id, method: request.method, path: url.pathname, err: raw }, `internal error ${id}`);
      return json({ message: `internal error ${id}; the server log has the details`, code: 'INTERNAL' }, 500);
    }
  }

  list() {
    return this.routes.map((r) => `${r.method} ${r.pattern}`);
  }

  all(): readonly Route[] {
    return this.routes;
  }
}

/** Path parameters and query values: bounded and printable (PostgreSQL refuses NUL in text). */
function checkParams(params: Record<string, string>, url: URL) {
  for (const [name, value] of Object.entries(params)) {
    if (value.length > PARAM_MAX_CHARS) throw new AppError('BAD_REQUEST', `the ${name} in the path is ${value.length} characters long; at most ${PARAM_MAX_CHARS} are allowed`);
    if (CONTROL.test(value)) throw new AppError('BAD_REQUEST', `the ${name} '${printableExcerpt(value)}' in the path contains a control character (such as NUL); remove it`);
  }
  for (const [name, value] of url.searchParams) {
    if (value.length > QUERY_MAX_CHARS || name.length > QUERY_MAX_CHARS)
      throw new AppError('BAD_REQUEST', `query parameter ${printableExcerpt(name)} is longer than ${QUERY_MAX_CHARS} characters`);
    if (CONTROL.test(value) || CONTROL.test(name))
      throw new AppError('BAD_REQUEST', `query parameter ${printableExcerpt(name)} contains a control character (such as NUL); remove it`);
  }
}

// ---- request bodies ------------------------------------------------------------------------

/**
 * The body as bytes, refused with 413 as soon as it is known to be too large: at once from
 * Content-Length, or while reading (a chunked body is counted and the read cancelled at the
 * limit, so a 10 MB upload costs one chunk past the limit, not 10 MB).
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new AppError('TOO_LARGE', `the request body is limited to ${maxBytes} bytes on ${new URL(request.url).pathname}`);
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (error) {
      throw new AppError('BAD_REQUEST', `could not read the request body: ${(error as Error).message}`);
    }
    if (next.done) break;
    total += next.value.byteLength;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** The body as UTF-8 text (400 when it is not UTF-8), within `maxBytes`. */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  const bytes = await readBody(request, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('BAD_REQUEST', 'the request body is not valid UTF-8');
  }
}

/**
 * Nesting depth of JSON text, found without parsing (linear, no recursion), so deeply nested
 * input is refused before anything recursive touches it.
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** Where a NUL character sits in parsed JSON (key or string), as a dotted path; undefined when none. */
function findNul(value: unknown): string | undefined {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: '' }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || '(body)';
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const p = Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
        if (k.includes('\u0000')) return p;
        stack.push({ v: child, path: p });
      }
    }
  }
  return undefined;
}

/**
 * Reads a JSON body within `maxBytes`: 413 past the limit, 400 when it is not JSON, 422 when it
 * nests deeper than JSON_MAX_DEPTH or holds a NUL character. An empty body is `{}`.
 */
export async function readJson(request: Request, maxBytes: number = BODY_LIMITS.default): Promise<unknown> {
  const text = await readText(request, maxBytes);
  if (!text.trim()) return {};
  if (jsonDepth(text, JSON_MAX_DEPTH) > JSON_MAX_DEPTH) {
    throw new AppError('UNPROCESSABLE', `the JSON body nests deeper than ${JSON_MAX_DEPTH} levels; flatten it`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
  const nul = findNul(value);
  if (nul) throw new AppError('UNPROCESSABLE', `${nul} contains the NUL character (\\u0000), which cannot be stored; remove it`);
  return value;
}

/** A JSON object body; `null`, arrays and scalars are answered 400 with an example of what to send. */
export async function readJsonObject(request: Request, maxBytes: number, example: string): Promise<Record<string, unknown>> {
  const body = await readJson(request, maxBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', `the body must be a JSON object such as ${example}`);
  }
  return body as Record<string, unknown>;
}

/** Execution inputs from JSON, multipart or url-encoded forms, within `maxBytes`. */
export async function readInputs(request: Request, maxBytes: number = BODY_LIMITS.inputs): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    // Counted like any body, then parsed from memory: formData() itself would read without a limit.
    const bytes = await readBody(request, maxBytes);
    let form: FormData;
    try {
      form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } }).formData();
    } catch (error) {
      throw new AppError('BAD_REQUEST', `could not read the form: ${(error as Error).message}`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) out[key] = typeof value === 'string' ? value : await value.text();
    return out;
  }
  return readJsonObject(request, maxBytes, '{"name": "value"}');
}
