import type { TaskContext } from './context';
import { formatDuration } from './duration';
import { PluginError } from './errors';

// Helpers for tasks that wait on a remote system: a deadline-aware budget, heartbeating during slow
// calls, and one 429 policy shared by every plugin family.

/** Stop this long before the task deadline so our own error (with context) wins over Temporal's. */
export const DEADLINE_MARGIN_MS = 1_000;

export interface WaitBudget {
  /** Epoch ms when waiting must stop, or undefined for no bound. */
  endsAt?: number;
  /** What sets the bound, for messages: "waitTimeout PT5M" or "the task timeout". */
  reason: string;
  /** The duration of the bound, for messages. */
  limitMs?: number;
  startedAt: number;
}

/** The earlier of the task deadline (minus a margin) and `startedAt + waitTimeoutMs`. */
export function waitBudget(ctx: TaskContext<unknown>, waitTimeoutMs: number | undefined, waitTimeoutText?: string): WaitBudget {
  const startedAt = Date.now();
  const fromTask = ctx.taskRun.deadline !== undefined ? ctx.taskRun.deadline - DEADLINE_MARGIN_MS : undefined;
  const fromProp = waitTimeoutMs !== undefined ? startedAt + waitTimeoutMs : undefined;
  if (fromProp !== undefined && (fromTask === undefined || fromProp <= fromTask)) {
    return { endsAt: fromProp, reason: `waitTimeout ${waitTimeoutText ?? formatDuration(waitTimeoutMs!)}`, limitMs: waitTimeoutMs, startedAt };
  }
  if (fromTask !== undefined) {
    return { endsAt: fromTask, reason: 'the task timeout', limitMs: Math.max(0, fromTask - startedAt), startedAt };
  }
  return { reason: 'no limit', startedAt };
}

export function remainingMs(budget: { endsAt?: number }): number {
  return budget.endsAt === undefined ? Number.POSITIVE_INFINITY : budget.endsAt - Date.now();
}

/** Runs `work` while heartbeating, so a slow request does not look like a dead worker. */
export async function withHeartbeat<T>(ctx: TaskContext<unknown>, work: Promise<T>, everyMs = 2_000): Promise<T> {
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Throws CANCELLED if the execution was killed. */
export function throwIfCancelled(ctx: TaskContext<unknown>, what: string): void {
  if (ctx.signal.aborted) throw new PluginError('CANCELLED', `${what} was cancelled`, { retryable: false });
}

/**
 * Rate limiting, one policy for the whole package: when the server answers 429, wait in the task
 * for Retry-After (default 1 s, then 2 s, 4 s) if that wait is at most MAX_RATE_LIMIT_WAIT_MS and
 * ends before the deadline, up to MAX_RATE_LIMIT_RETRIES times. Otherwise raise RATE_LIMITED with
 * retryAfterMs, so Temporal retries the activity later instead of holding a worker slot.
 */
export const MAX_RATE_LIMIT_WAIT_MS = 30_000;
export const MAX_RATE_LIMIT_RETRIES = 3;

export async function waitOutRateLimit(ctx: TaskContext<unknown>, error: PluginError, retriesSoFar: number, endsAt: number | undefined): Promise<void> {
  const waitMs = error.retryAfterMs ?? 1_000 * 2 ** retriesSoFar;
  const fits = endsAt === undefined || Date.now() + waitMs < endsAt;
  if (retriesSoFar >= MAX_RATE_LIMIT_RETRIES || waitMs > MAX_RATE_LIMIT_WAIT_MS || !fits) throw error;
  ctx.logger.warn(`${error.message}; waiting ${formatDuration(waitMs)} before retrying (${retriesSoFar + 1}/${MAX_RATE_LIMIT_RETRIES})`);
  await ctx.sleep(waitMs);
}
