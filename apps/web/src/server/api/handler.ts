import 'server-only';
import { AppError } from '@baton/engine';
import { identify, type Caller } from '../auth/identify';

export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  caller: Caller;
}

export type RouteHandler = (ctx: RouteContext) => Promise<unknown>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/** A result that is already a Response (YAML, streams) is passed through as is. */
export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status });
}

/**
 * A small router over standard Request/Response. Every route is reached through `dispatch`, which
 * identifies the caller first and turns errors into responses: AppError → its 4xx status with a
 * message that says how to fix; anything else → 500 with an id to find in the server log.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** The matching route with the most literal segments wins: `/executions/:id/resume` beats `/executions/:namespace/:flowId`. */
  private match(method: string, path: string) {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
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
    const url = new URL(request.url);
    try {
      const found = this.match(request.method, url.pathname);
      if (!('route' in found)) {
        if (found.pathMatched) return json({ message: `${request.method} is not allowed on ${url.pathname}` }, 405);
        throw new AppError('NOT_FOUND', `no API route ${request.method} ${url.pathname}; see GET /api/v1 for the list`);
      }
      const caller = identify(request);
      const result = await found.route.handler({ request, url, params: found.params, caller });
      if (result instanceof Response) return result;
      return json(result ?? { ok: true });
    } catch (error) {
      if (error instanceof AppError) {
        const body: Record<string, unknown> = { message: error.message, code: error.code };
        if (error.code === 'INVALID_FLOW' || error.code === 'INVALID_INPUTS') body.errors = error.details;
        else if (error.details) body.details = error.details;
        const headers = error.status === 401 ? { 'www-authenticate': 'Basic realm="baton"' } : undefined;
        return Response.json(body, { status: error.status, headers });
      }
      const id = Math.random().toString(36).slice(2, 10);
      console.error(`[api] ${id} ${request.method} ${url.pathname}:`, error);
      return json({ message: `internal error ${id}; the server log has the details`, code: 'INTERNAL' }, 500);
    }
  }

  list() {
    return this.routes.map((r) => `${r.method} /${r.segments.join('/')}`);
  }
}

/** Reads a JSON body, answering 400 with the parser's message when it is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Execution inputs from JSON, multipart or url-encoded forms. */
export async function readInputs(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch (error) {
      throw new AppError('BAD_REQUEST', `could not read the form: ${(error as Error).message}`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) out[key] = typeof value === 'string' ? value : await value.text();
    return out;
  }
  const body = await readJson(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', 'inputs must be a JSON object such as {"name": "value"}');
  }
  return body as Record<string, unknown>;
}
