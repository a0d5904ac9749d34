// One process on the worker, in a process group of its own, its output read line by line as it
// comes. A kill (the AbortSignal) terminates the whole group: SIGTERM, then SIGKILL after a grace
// period. When the process ends on its own, whatever it left running in its group (a background
// job holding the pipes open) is killed too: a task leaves nothing behind on the worker.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PluginError } from '@baton/plugin-sdk';
import type { Stream } from './output-lines';

export interface ProcessSpec {
  /** argv: the program and its arguments (no shell around them). */
  command: string[];
  cwd: string;
  env: Record<string, string>;
  signal: AbortSignal;
  onLine(line: string, stream: Stream): void;
  /** Between SIGTERM and SIGKILL on a kill (default 5 s). */
  killGraceMs?: number;
}

export interface ProcessResult {
  exitCode: number;
  /** The signal that ended the process, when one did. */
  exitSignal?: NodeJS.Signals;
}

/** Lines longer than this are cut (a binary blob on stdout would otherwise fill the worker's memory). */
const MAX_LINE_CHARS = 64 * 1024;
/** After the process ends: how long its pipes may stay open before they are closed by force. */
const DRAIN_MS = 2_000;

export async function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  if (spec.signal.aborted) throw new PluginError('CANCELLED', 'killed before the process started');
  const [program, ...args] = spec.command;
  const child = spawn(program, args, {
    cwd: spec.cwd,
    env: spec.env,
    // A group of its own (setsid): the kill reaches every process the script started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };

  const readers = (['stdout', 'stderr'] as const).map(
    (stream) =>
      new Promise<void>((resolve) => {
        const source = child[stream];
        const lines = createInterface({ input: source, crlfDelay: Infinity });
        lines.on('line', (line) => spec.onLine(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line cut at ${MAX_LINE_CHARS} characters)` : line, stream));
        lines.on('close', resolve);
        source.on('error', () => resolve());
      }),
  );

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    killGroup('SIGTERM');
    killTimer = setTimeout(() => killGroup('SIGKILL'), spec.killGraceMs ?? 5_000);
  };
  spec.signal.addEventListener('abort', onAbort, { once: true });

  try {
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new PluginError('INVALID_PROPERTIES', `${program} was not found on the worker (PATH is ${spec.env.PATH ?? 'unset'}); install it there or give its full path`)
            : new PluginError('INTERNAL', `could not start ${program}: ${error.message}`, { cause: error }),
        );
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    // The process is gone; anything it left in its group goes too (so its pipes close).
    killGroup('SIGKILL');
    const drained = await Promise.race([Promise.all(readers).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), DRAIN_MS).unref())]);
    if (!drained) {
      // A descendant that left the group (setsid, a daemon) still holds the pipes: stop reading.
      child.stdout.destroy();
      child.stderr.destroy();
    }
    if (spec.signal.aborted) throw new PluginError('CANCELLED', `killed: the process group of ${program} was terminated`);
    return { exitCode: ended.code ?? 128 + signalNumber(ended.signal), ...(ended.signal ? { exitSignal: ended.signal } : {}) };
  } finally {
    spec.signal.removeEventListener('abort', onAbort);
    if (killTimer) {
      // The grace period still runs: SIGKILL whatever ignored SIGTERM, then stop the timer.
      killGroup('SIGKILL');
      clearTimeout(killTimer);
    }
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return (signal && numbers[signal]) || 0;
}
