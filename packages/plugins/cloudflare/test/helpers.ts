import { startCloudflareSimulator } from '@baton/simulators';

export type Sim = Awaited<ReturnType<typeof startCloudflareSimulator>>;

export const TOKEN = 'cloudflare-test-token';
export const ZONE_ID = 'your_zone_id';
export const ACCOUNT_ID = 'account-1';

export function startSim(): Promise<Sim> {
  return startCloudflareSimulator({ port: 0 });
}

export const baseUrl = (sim: Sim) => `${sim.url}/client/v4`;

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { apiToken: TOKEN, baseUrl: baseUrl(sim), ...extra };
}

async function call(url: string, method: string, body: unknown, headers: Record<string, string>): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Control API of the simulator (no auth). */
export const control = (sim: Sim, method: string, path: string, body?: unknown) => call(`${sim.url}${path}`, method, body, {});

/** The Cloudflare API itself, to arrange state a test starts from. */
export const api = (sim: Sim, method: string, path: string, body?: unknown) =>
  call(`${baseUrl(sim)}${path}`, method, body, { authorization: `Bearer ${TOKEN}` }).then((r) => r.result);

export const fault = (sim: Sim, spec: Record<string, unknown>) => control(sim, 'POST', '/_sim/faults', spec);
export const state = (sim: Sim) => control(sim, 'GET', '/_sim/state');
export const requests = (sim: Sim): Promise<Array<{ method: string; path: string; status: number }>> => control(sim, 'GET', '/_sim/requests');

export type { RunOptions, RunResult } from '@baton/plugin-sdk/testing';
export { runPluginTask as run } from '@baton/plugin-sdk/testing';
