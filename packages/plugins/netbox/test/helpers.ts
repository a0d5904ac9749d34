import { startNetBoxSimulator } from '../../../simulators/src/index';

export type Sim = Awaited<ReturnType<typeof startNetBoxSimulator>>;

export const TOKEN = '0123456789abcdef0123456789abcdef01234567';
export const V2_TOKEN = 'nbt_baton0key01.netbox-test-token-secret';

export function startSim(): Promise<Sim> {
  return startNetBoxSimulator({ port: 0 });
}

export async function control(sim: Sim, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function state(sim: Sim): Promise<Record<string, any[]>> {
  return control(sim, 'GET', '/_sim/state');
}

export type { RunOptions, RunResult } from '@baton/plugin-sdk/testing';
export { runPluginTask as run } from '@baton/plugin-sdk/testing';

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { url: sim.url, token: TOKEN, ...extra };
}

export const deviceProps = (sim: Sim, extra: Record<string, unknown> = {}) => connection(sim, { name: 'prod-web-01', site: 'dc1', role: 'server', deviceType: 'server-1u', ...extra });
