// The integration stack's workers, for the tests that crash one. Several files SIGKILL "the worker"
// and start a replacement that serves the rest of the run (the global teardown stops it), so after
// the first such file the stack's worker is a replacement: a test that wants no worker alive must
// kill every one of them, not only the pid the stack started with.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

/** The file where a test records a worker it started to replace the stack's (one pid a line). */
export const REPLACEMENT_WORKERS = 'replacement-workers.txt';

export function replacementWorkers(dataDir: string): number[] {
  const file = path.join(dataDir, REPLACEMENT_WORKERS);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** SIGKILLs every live worker of the stack (the one it started and any replacement), as a crash would; resolves once all are gone. */
export async function killStackWorkers(workerPid: number, dataDir: string, timeoutMs = 30_000): Promise<void> {
  const alive = () => [workerPid, ...replacementWorkers(dataDir)].filter((pid) => stack.groupAlive(pid));
  for (const pid of alive()) stack.signalGroup(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (alive().length) {
    if (Date.now() > deadline) throw new Error(`workers ${alive().join(', ')} still alive ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a worker with the stack's environment, recorded for the teardown; resolves once it polls. */
export async function startReplacementWorker(dataDir: string): Promise<ChildProcess> {
  const env = JSON.parse(fs.readFileSync(path.join(dataDir, 'worker-env.json'), 'utf8'));
  const replacement: ChildProcess = stack.startWorker({ env, quiet: true, name: 'replacement-worker' });
  fs.appendFileSync(path.join(dataDir, REPLACEMENT_WORKERS), `${replacement.pid}\n`);
  await stack.waitForOutput(replacement, /polling/, 'replacement worker');
  return replacement;
}
