import { controlSimulator, startArgoCdSimulator } from '@baton/simulators';

export type Sim = Awaited<ReturnType<typeof startArgoCdSimulator>>;

export const TOKEN = 'argocd-test-token';

export async function startSim(options: { syncDurationMs?: number } = {}): Promise<Sim> {
  return startArgoCdSimulator({ port: 0, syncDurationMs: options.syncDurationMs ?? 300 });
}

/** Control API of the simulator (no auth). */
export const control = (sim: Sim, method: string, path: string, body?: unknown): Promise<any> => controlSimulator(sim, method, path, body);

export function fault(sim: Sim, spec: Record<string, unknown>) {
  return control(sim, 'POST', '/_sim/faults', spec);
}

export function outcome(sim: Sim, app: string, spec: Record<string, unknown>) {
  return control(sim, 'POST', `/_sim/applications/${app}/outcome`, spec);
}

export async function requests(sim: Sim): Promise<Array<{ method: string; path: string; status: number }>> {
  return control(sim, 'GET', '/_sim/requests');
}

export async function simApp(sim: Sim, name: string): Promise<any> {
  const state = await control(sim, 'GET', '/_sim/state');
  return state.applications.find((a: any) => a.metadata.name === name);
}

export type { RunOptions, RunResult } from '@baton/plugin-sdk/testing';
export { runPluginTask as run } from '@baton/plugin-sdk/testing';

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { server: sim.url, token: TOKEN, ...extra };
}
