// Test helper for plugin authors: runs a task runtime the way the worker does (rendered props,
// masked logger, AbortSignal, heartbeats, deadline) and captures what happened. Use it against a
// simulator or a real peer, never a mock of the remote API.
import { createTaskContext, type LogEntry } from './create-context';
import type { PluginRuntime } from './define-plugin';
import { isPluginError, type PluginError } from './errors';
import { SecretMasker } from './masking';

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
  /** Epoch ms when the attempt times out. */
  deadline?: number;
  /** Abort (as a kill would) after this many milliseconds. */
  abortAfterMs?: number;
}

export async function runPluginTask<O = any>(runtime: PluginRuntime, props: Record<string, unknown>, options: RunOptions = {}): Promise<RunResult<O>> {
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
