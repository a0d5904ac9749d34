// Test helper for plugin authors: runs a task runtime the way the worker does (rendered props,
// masked logger, AbortSignal, heartbeats, deadline) and captures what happened. Use it against a
// simulator or a real peer, never a mock of the remote API.
import { createTaskContext, type ContextOptions, type LogEntry } from './create-context';
import type { PluginRuntime } from './define-plugin';
import { isPluginError, type PluginError } from './errors';
import { SecretMasker } from './masking';

export interface RunResult<O> {
  outputs?: O;
  error?: PluginError;
  logs: LogEntry[];
  heartbeats: number;
  /** The last details passed to heartbeat(), as Temporal would hand them to the next attempt. */
  lastHeartbeatDetails?: unknown;
  elapsedMs: number;
  masker: SecretMasker;
  /** Reasons given to ctx.setWarning(): the worker would end the task run WARNING. */
  warnings: string[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Epoch ms when the attempt times out. */
  deadline?: number;
  /** Abort (as a kill would) after this many milliseconds. */
  abortAfterMs?: number;
  /** Heartbeat details of a previous attempt (a worker restart mid-wait). */
  resumeDetails?: unknown;
  /** ctx.encrypt() (the worker's keyring); absent, encrypting fails as where no key exists. */
  encrypt?: ContextOptions<unknown>['encrypt'];
  /** ctx.storage (internal storage); absent, file access fails as where the worker gives none. */
  storage?: ContextOptions<unknown>['storage'];
  /** Values to mask from the start, as the worker does with the secrets a task's render used. */
  secrets?: string[];
}

export async function runPluginTask<O = any>(runtime: PluginRuntime, props: Record<string, unknown>, options: RunOptions = {}): Promise<RunResult<O>> {
  const controller = new AbortController();
  const logs: LogEntry[] = [];
  let heartbeats = 0;
  let lastHeartbeatDetails: unknown;
  const masker = new SecretMasker();
  for (const secret of options.secrets ?? []) masker.add(secret);
  const warnings: string[] = [];
  const ctx = createTaskContext({
    props,
    masker,
    signal: options.signal ?? controller.signal,
    onLog: (entry) => logs.push(entry),
    heartbeat: (details) => {
      heartbeats++;
      if (details !== undefined) lastHeartbeatDetails = details;
    },
    resumeDetails: options.resumeDetails,
    encrypt: options.encrypt,
    storage: options.storage,
    onWarning: (reason) => warnings.push(reason),
    taskRun: options.deadline !== undefined ? { deadline: options.deadline } : {},
  });
  const timer = options.abortAfterMs !== undefined ? setTimeout(() => controller.abort(), options.abortAfterMs) : undefined;
  const started = Date.now();
  try {
    const outputs = (await runtime.run(ctx as never)) as O;
    return { outputs, logs, heartbeats, lastHeartbeatDetails, elapsedMs: Date.now() - started, masker, warnings };
  } catch (error) {
    if (!isPluginError(error)) throw error;
    return { error, logs, heartbeats, lastHeartbeatDetails, elapsedMs: Date.now() - started, masker, warnings };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
