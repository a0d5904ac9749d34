import { controlSimulator, startNutanixSimulator } from '@baton/simulators';

export type Sim = Awaited<ReturnType<typeof startNutanixSimulator>>;

export const PASSWORD = 'Nutanix/4u-sim';
export const CLUSTER = '00061f7f-44f7-19dc-3be1-7cc25586ee44';
export const IMAGE = '70cfd137-a8d9-4169-a5ac-cf9ad6ddb03a';
/** Seeded VMs: web-01 has guest tools, legacy-01 does not; both ON. */
export const WEB_01 = '4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01';
export const LEGACY_01 = '4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f02';

export function startSim(): Promise<Sim> {
  return startNutanixSimulator({ port: 0, timings: { createMs: 150, powerMs: 100, cloneMs: 150, deleteMs: 50, templateMs: 100, snapshotMs: 100, restoreMs: 100 } });
}

export const control = (sim: Sim, method: string, path: string, body?: unknown): Promise<any> => controlSimulator(sim, method, path, body);

export async function state(sim: Sim): Promise<any> {
  return control(sim, 'GET', '/_sim/state');
}

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { host: '127.0.0.1', port: sim.port, scheme: 'http', username: 'admin', password: PASSWORD, pollInterval: 'PT0.05S', ...extra };
}

export type { RunOptions, RunResult } from '@baton/plugin-sdk/testing';
export { runPluginTask as run } from '@baton/plugin-sdk/testing';
