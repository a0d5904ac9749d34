import { startArgoCd } from '../src/argocd/simulator.js';
import { startCloudflare } from '../src/cloudflare/simulator.js';
import { startMaas } from '../src/maas/simulator.js';
import { startNetBox } from '../src/netbox/simulator.js';
import type { ArgoCdSimulatorOptions, CloudflareSimulatorOptions, MaasSimulatorOptions, NetBoxSimulatorOptions, RunningSimulator } from '../src/index.js';
import type { Exchange } from '../src/kit/server.js';

export interface TestSim {
  sim: RunningSimulator;
  exchanges: Exchange[];
  /** Authenticated JSON call to the vendor API; returns status, headers and parsed body. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Unauthenticated call to the control API. */
  control(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function call(url: string, method: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof FormData || body instanceof Uint8Array) {
      init.body = body as BodyInit;
    } else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* raw body (KV values) */
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

function wrap(sim: RunningSimulator, exchanges: Exchange[], auth: Record<string, string>): TestSim {
  return {
    sim,
    exchanges,
    api: (method, path, body, headers = {}) => call(`${sim.url}${path}`, method, body, { ...auth, ...headers }),
    control: (method, path, body) => call(`${sim.url}${path}`, method, body, {}),
  };
}

export async function argo(options: ArgoCdSimulatorOptions = {}): Promise<TestSim> {
  const exchanges: Exchange[] = [];
  const sim = await startArgoCd({ port: 0, ...options }, { onExchange: (e) => exchanges.push(e) });
  return wrap(sim, exchanges, { authorization: `Bearer ${options.token ?? 'argocd-test-token'}` });
}

export async function cloudflare(options: CloudflareSimulatorOptions = {}): Promise<TestSim> {
  const exchanges: Exchange[] = [];
  const sim = await startCloudflare({ port: 0, ...options }, { onExchange: (e) => exchanges.push(e) });
  return wrap(sim, exchanges, { authorization: `Bearer ${options.token ?? 'cloudflare-test-token'}` });
}

export async function maasSim(options: MaasSimulatorOptions = {}): Promise<TestSim> {
  const exchanges: Exchange[] = [];
  const sim = await startMaas({ port: 0, ...options }, { onExchange: (e) => exchanges.push(e) });
  return wrap(sim, exchanges, {});
}

export async function netboxSim(options: NetBoxSimulatorOptions = {}): Promise<TestSim> {
  const exchanges: Exchange[] = [];
  const sim = await startNetBox({ port: 0, ...options }, { onExchange: (e) => exchanges.push(e) });
  return wrap(sim, exchanges, { authorization: `Token ${options.token ?? '0123456789abcdef0123456789abcdef01234567'}` });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until check() returns a value, or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}
