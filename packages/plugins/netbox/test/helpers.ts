import { controlSimulator, startNetBoxSimulator } from '@baton/simulators';

export type Sim = Awaited<ReturnType<typeof startNetBoxSimulator>>;

export const TOKEN = '0123456789abcdef0123456789abcdef01234567';
export const V2_TOKEN = 'nbt_baton0key01.netbox-test-token-secret';

export function startSim(): Promise<Sim> {
  return startNetBoxSimulator({ port: 0 });
}

/** Control API of the simulator (no auth). */
export const control = (sim: Sim, method: string, path: string, body?: unknown): Promise<any> => controlSimulator(sim, method, path, body);

export async function state(sim: Sim): Promise<Record<string, any[]>> {
  return control(sim, 'GET', '/_sim/state');
}

export type { RunOptions, RunResult } from '@baton/plugin-sdk/testing';
export { runPluginTask as run } from '@baton/plugin-sdk/testing';

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { url: sim.url, token: TOKEN, ...extra };
}

export const deviceProps = (sim: Sim, extra: Record<string, unknown> = {}) =>
  connection(sim, { name: 'prod-web-01', site: 'dc1', role: 'server', deviceType: 'server-1u', ...extra });
