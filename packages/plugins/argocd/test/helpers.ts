import { SecretMasker, createTaskContext, isPluginError, type LogEntry, type PluginError, type PluginRuntime } from '@baton/plugin-sdk';
import { startArgoCdSimulator } from '../../../simulators/src/index';

export type Sim = Awaited<ReturnType<typeof startArgoCdSimulator>>;

export const TOKEN = 'argocd-test-token';

export async function startSim(options: { syncDurationMs?: number } = {}): Promise<Sim> {
  return startArgoCdSimulator({ port: 0, syncDurationMs: options.syncDurationMs ?? 300 });
}

/** Control API of the simulator (no auth). */
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

export interface RunResult<O> {
  outputs?: O;
  error?: PluginError;
  logs: LogEntry[];
  heartbeats: number;
  elapsedMs: number;
  masker: SecretMasker;
}

export interface RunOptions {
  signal?: AbortSignal;
  deadline?: number;
  abortAfterMs?: number;
}

/** Runs a task runtime like the worker does, capturing logs, heartbeats and the error. */
export async function run<O>(runtime: PluginRuntime, props: Record<string, unknown>, options: RunOptions = {}): Promise<RunResult<O>> {
  const controller = new AbortController();
  const logs: LogEntry[] = [];
  let heartbeats = 0;
  const masker = new SecretMasker();
  const ctx = createTaskContext({
    props,
    masker,
    signal: options.signal ?? controller.signal,
    onLog: (entry) => logs.push(entry),
    heartbeat: () => heartbeats++,
    taskRun: options.deadline !== undefined ? { deadline: options.deadline } : {},
  });
  const timer = options.abortAfterMs !== undefined ? setTimeout(() => controller.abort(), options.abortAfterMs) : undefined;
  const started = Date.now();
  try {
    const outputs = (await runtime.run(ctx as never)) as O;
    return { outputs, logs, heartbeats, elapsedMs: Date.now() - started, masker };
  } catch (error) {
    if (!isPluginError(error)) throw error;
    return { error, logs, heartbeats, elapsedMs: Date.now() - started, masker };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function connection(sim: Sim, extra: Record<string, unknown> = {}) {
  return { server: sim.url, token: TOKEN, ...extra };
}
