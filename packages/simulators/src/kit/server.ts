import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyTooLargeError, mediaType, parseBody, readRawBody } from './body.js';
import type { SimClock } from './clock.js';
import { addControlRoutes } from './control.js';
import { FaultStore, type FaultKind } from './faults.js';
import { Router, type Route, type SimRequest, type SimResponse } from './router.js';

/** One request/response pair, as a test sees it (the conformance suite validates these). */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string[]>;
  requestHeaders: IncomingHttpHeaders;
  requestContentType: string;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseContentType: string;
  responseBody: unknown;
  at: string;
  durationMs: number;
  fault?: FaultKind;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 when a drop fault closed the socket without a response. */
  status: number;
  at: string;
  fault?: FaultKind;
}

/** In-process extras for tests; not part of the public API. */
export interface SimulatorHooks {
  /** Called with every API exchange (not /_sim), e.g. to check it against the spec. */
  onExchange?(exchange: Exchange): void;
}

export interface AdmitResult {
  /** Reject the request with this response (bad credentials, rate limited). */
  response?: SimResponse;
  /** Extra headers for the eventual response (rate-limit counters). */
  headers?: Record<string, string>;
}

/** Vendor-shaped error bodies: each simulator answers in its own API's error format. */
export interface VendorErrors {
  notFound(req: SimRequest): SimResponse;
  methodNotAllowed(req: SimRequest): SimResponse;
  badBody(req: SimRequest, message: string): SimResponse;
  /** Body for an injected `status` or `rate_limit` fault. */
  fault(status: number): SimResponse;
  internal(err: unknown): SimResponse;
}

export interface SimServerConfig {
  name: 'argocd' | 'cloudflare' | 'maas' | 'netbox' | 'nutanix';
  host?: string;
  port?: number;
  /** API prefix (e.g. /client/v4): fault routes may be written with or without it. */
  apiPrefix?: string;
  router: Router;
  clock: SimClock;
  errors: VendorErrors;
  /** Auth and rate limiting for non-public routes. */
  admit?(req: SimRequest, route: Route): AdmitResult;
  /** Vendor-specific control routes under /_sim. */
  controlRoutes?(router: Router): void;
  resetState(): void;
  snapshot(): unknown;
  onExchange?(exchange: Exchange): void;
}

export interface SimServer {
  url: string;
  port: number;
  server: Server;
  faults: FaultStore;
  requests(): RequestLogEntry[];
  reset(): void;
  close(): Promise<void>;
}

const REQUEST_LOG_LIMIT = 1000;

export async function startSimServer(config: SimServerConfig): Promise<SimServer> {
  const faults = new FaultStore();
  const log: RequestLogEntry[] = [];
  const reset = (): void => {
    config.resetState();
    faults.clear();
    log.length = 0;
    config.clock.reset();
  };
  const control = new Router();
  addControlRoutes(control, { faults, reset, snapshot: config.snapshot, requests: () => [...log], clock: config.clock });
  config.controlRoutes?.(control);

  const record = (entry: RequestLogEntry): void => {
    log.push(entry);
    if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const at = new Date(config.clock.now()).toISOString();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      send(res, { status: 413, json: { error: err.message } });
      return;
    }
    const parsed = await parseBody(rawBody, req.headers['content-type']);
    const simReq: SimRequest = {
      method,
      path,
      query: url.searchParams,
      params: {},
      headers: req.headers,
      contentType: mediaType(req.headers['content-type']),
      rawBody,
      body: parsed.body,
      bodyError: parsed.error,
    };

    // The control API is for tests: no faults, no auth, not in the request log.
    if (path === '/_sim' || path.startsWith('/_sim/')) {
      send(res, await dispatchControl(control, simReq));
      return;
    }

    const aliases = [path];
    if (config.apiPrefix && path.startsWith(config.apiPrefix)) aliases.push(path.slice(config.apiPrefix.length) || '/');
    const plan = faults.take(method, aliases);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);

    let response: SimResponse;
    let faultKind: FaultKind | undefined = plan.latencyMs > 0 ? 'latency' : undefined;
    if (plan.terminal?.kind === 'drop') {
      record({ method, path, status: 0, at, fault: 'drop' });
      req.socket.destroy();
      return;
    } else if (plan.terminal?.kind === 'status') {
      faultKind = 'status';
      const status = plan.terminal.status ?? 500;
      response = plan.terminal.body !== undefined ? { status, json: plan.terminal.body } : config.errors.fault(status);
    } else if (plan.terminal?.kind === 'rate_limit') {
      faultKind = 'rate_limit';
      const base = config.errors.fault(plan.terminal.status ?? 429);
      response = { ...base, headers: { ...base.headers, 'Retry-After': String(plan.terminal.retryAfterSeconds ?? 1) } };
    } else {
      response = await dispatchApi(config, simReq);
    }

    send(res, response);
    record({ method, path, status: response.status, at, fault: faultKind });
    if (config.onExchange) {
      config.onExchange({
        method,
        path,
        query: queryRecord(url.searchParams),
        requestHeaders: req.headers,
        requestContentType: simReq.contentType,
        requestBody: simReq.body,
        status: response.status,
        responseHeaders: { ...response.headers, 'content-type': responseContentType(response) },
        responseContentType: responseContentType(response),
        responseBody: response.json !== undefined ? response.json : response.raw?.toString(),
        at,
        durationMs: Date.now() - started,
        fault: faultKind,
      });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, config.errors.internal(err));
      else res.destroy();
    });
  });
  // Keep-alive sockets would otherwise hold close() open until the client's idle timeout.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host ?? '127.0.0.1';
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    faults,
    requests: () => [...log],
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function dispatchApi(config: SimServerConfig, req: SimRequest): Promise<SimResponse> {
  const match = config.router.match(req.method, req.path);
  if (match.kind === 'not-found') return config.errors.notFound(req);
  if (match.kind === 'method-not-allowed') return config.errors.methodNotAllowed(req);
  req.params = match.params;
  let extraHeaders: Record<string, string> | undefined;
  if (!match.route.public && config.admit) {
    const admitted = config.admit(req, match.route);
    if (admitted.response) return admitted.response;
    extraHeaders = admitted.headers;
  }
  if (req.bodyError && !match.route.rawBody) return withHeaders(config.errors.badBody(req, req.bodyError), extraHeaders);
  let response: SimResponse;
  try {
    response = await match.route.handler(req);
  } catch (err) {
    response = config.errors.internal(err);
  }
  return withHeaders(response, extraHeaders);
}

async function dispatchControl(control: Router, req: SimRequest): Promise<SimResponse> {
  const match = control.match(req.method, req.path);
  if (match.kind !== 'found') {
    return { status: match.kind === 'not-found' ? 404 : 405, json: { error: `no control route ${req.method} ${req.path}` } };
  }
  if (req.bodyError) return { status: 400, json: { error: `invalid JSON body: ${req.bodyError}` } };
  req.params = match.params;
  try {
    return await match.route.handler(req);
  } catch (err) {
    return { status: 400, json: { error: (err as Error).message } };
  }
}

function withHeaders(response: SimResponse, headers: Record<string, string> | undefined): SimResponse {
  return headers ? { ...response, headers: { ...headers, ...response.headers } } : response;
}

function responseContentType(response: SimResponse): string {
  return response.contentType ?? (response.json !== undefined ? 'application/json' : 'application/octet-stream');
}

function send(res: ServerResponse, response: SimResponse): void {
  const body = response.json !== undefined ? JSON.stringify(response.json) : (response.raw ?? '');
  res.writeHead(response.status, {
    'Content-Type': responseContentType(response),
    'Content-Length': Buffer.byteLength(body),
    ...response.headers,
  });
  res.end(body);
}

function queryRecord(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of params) (out[k] ??= []).push(v);
  return out;
}
