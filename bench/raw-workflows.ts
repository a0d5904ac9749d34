// The hand-written baseline: the same no-op activities Baton runs, chained directly with
// proxyActivities, no interpreter, no projection. Bundled by the benchmark's own worker.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(i: number): Promise<{ i: number }> }>({ startToCloseTimeout: '1m' });

export async function rawSequential(n: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < n; i++) last = (await noop(i)).i;
  return last;
}

/** One no-op activity, then a long timer: an open execution held in the worker's cache (B8). */
export async function rawWait(minutes: number): Promise<void> {
  await noop(0);
  await sleep(`${minutes}m`);
}

const { hold } = proxyActivities<{ hold(url: string): Promise<void> }>({ startToCloseTimeout: '10m', heartbeatTimeout: '10s', retry: { maximumAttempts: 1 } });

/** One HTTP call that never answers, from a heartbeating activity: the kill-switch bench's batch-terminate arm. */
export async function rawHold(url: string): Promise<void> {
  await hold(url);
}
