import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  method: string;
  /** Raw pathname as sent (percent-encoding kept), e.g. /client/v4/zones/abc. */
  path: string;
  query: URLSearchParams;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Media type without parameters, lower case ('' when absent). */
  contentType: string;
  rawBody: Buffer;
  /** JSON-decoded body, multipart fields as an object, or the text; undefined when empty. */
  body: unknown;
  /** Set when the body claimed to be JSON (or multipart) and could not be parsed. */
  bodyError?: string;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON when present. */
  json?: unknown;
  /** Sent as-is (e.g. a KV value) when json is absent. */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RouteOptions {
  /** Reachable without credentials (Argo CD's version and settings endpoints). */
  public?: boolean;
  /** The handler reads rawBody itself, so an unparsable JSON body is not an error (KV values). */
  rawBody?: boolean;
}

export interface Route extends RouteOptions {
  method: string;
  pattern: string;
  segments: string[];
  handler: Handler;
}

export type RouteMatch = { kind: 'found'; route: Route; params: Record<string, string> } | { kind: 'method-not-allowed' } | { kind: 'not-found' };

/**
 * Method + path-pattern routing. Patterns use `:name` segments; a segment matches one raw path
 * segment, so a KV key containing `/` must be sent percent-encoded, as Cloudflare requires.
 * Literal segments win over parameters, so `/dns_records/batch` is not taken for a record id.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): this {
    this.routes.push({ method: method.toUpperCase(), pattern, segments: split(pattern), handler, ...options });
    // Fewer parameters first: the most specific pattern wins.
    this.routes.sort((a, b) => paramCount(a) - paramCount(b));
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase()) return { kind: 'found', route, params };
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function paramCount(route: Route): number {
  return route.segments.filter((s) => s.startsWith(':')).length;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(actual[i]);
      } catch {
        return undefined;
      }
    } else if (p !== actual[i]) {
      return undefined;
    }
  }
  return params;
}
