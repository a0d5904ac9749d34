import { controlSimulator, startMaasSimulator } from '@baton/simulators';

export type Sim = Awaited<ReturnType<typeof startMaasSimulator>>;

export const API_KEY = 'baton-consumer:baton-token:baton-token-secret';

export async function startSim(timings: Record<string, number> = {}): Promise<Sim> {
  return startMaasSimulator({ port: 0, timings: { commissioningMs: 300, deployingMs: 400, releasingMs: 200, powerMs: 100, ...timings } });
}

/** Control API of the simulator (no auth). */
export const control = (sim: Sim, method: string, path: string, body?: unknown): Promise<any> => controlSimulator(sim, method, path, body);

export async function machines(sim: Sim): Promise<any[]> {
  return (await control(sim, 'GET', '/_sim/state')).machines;
}

export async function requests(sim: Sim): Promise<Array<{ method: string; path: string; status: number }>> {
  return control(sim, 'GET', '/_sim/requests');
}

export type { RunOptions, RunResult } from '@baton/plugin-sdk/testing';
export { runPluginTask as run } from '@baton/plugin-sdk/testing';

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { url: `${sim.url}/MAAS`, apiKey: API_KEY, pollInterval: 'PT0.05S', ...extra };
}

export const enlistProps = (sim: Sim, extra: Record<string, unknown> = {}) =>
  connection(sim, {
    macAddress: '52:54:00:12:34:56',
    hostname: 'prod-web-01',
    domain: 'datacenter.local',
    resourcePool: 'production',
    zone: 'zone-a',
    architecture: 'amd64/generic',
    powerType: 'ipmi',
    powerParameters: { power_address: '192.168.1.100', power_user: 'admin', power_pass: 'ipmi-secret-pass' },
    ...extra,
  });
