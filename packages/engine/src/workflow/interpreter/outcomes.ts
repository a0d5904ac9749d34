// What tasks end with, and the small pure helpers every part of the interpreter shares.
import type { ProjectionEvent } from '../contracts';

export type Outcome = 'SUCCESS' | 'WARNING' | 'FAILED';

/** What a task or a list of tasks ended with; `error` is the failure of *this* branch, never another's. */
export interface Result {
  outcome: Outcome;
  error?: string;
}

/** What one task run ended with: its outcome, its outputs, and the message of a WARNING. */
export interface TaskEnd {
  outcome: Outcome;
  result?: Record<string, unknown>;
  error?: string;
}

export type TaskRunEvent = Extract<ProjectionEvent, { kind: 'taskRun' }>;

export const SUCCEEDED: Result = { outcome: 'SUCCESS' };

/** A task failed; the message is what the person debugging needs. */
export class TaskFailure extends Error {
  /** `logged`: the failure was already written as an ERROR log line (a child's, usually). */
  constructor(
    readonly taskId: string,
    message: string,
    readonly logged = false,
    /** Outputs the failed task run still records (an expired approval's decision). */
    readonly outputs?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * How the Temporal adapter's cancellation says a kill stopped waiting for a task that did not
 * acknowledge it in time: the task run keeps this reason, since the task may still be running.
 */
export const KILL_GRACE_EXPIRED = 'killed: the task did not stop within the';

/** Ends the whole execution as CANCELLED (a Pause whose behavior is CANCEL). */
export class CancelExecution extends Error {
  constructor(
    message: string,
    /** Outputs the cancelled task run records (a rejected approval's decision). */
    readonly outputs?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  // Temporal wraps activity errors (ActivityFailure → ApplicationFailure): the innermost says why.
  while (e?.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return e?.message ?? String(error);
}

export function worst(a: Outcome, b: Outcome): Outcome {
  const rank = { SUCCESS: 0, WARNING: 1, FAILED: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

/** Combines two results: the worse outcome wins, and the first failure keeps its message. */
export function combine(a: Result, b: Result): Result {
  const outcome = worst(a.outcome, b.outcome);
  return { outcome, error: a.outcome === 'FAILED' ? a.error : b.outcome === 'FAILED' ? b.error : undefined };
}

/**
 * Kestra's TruthUtils: a rendered condition is false when it is "false", "0", "-0" or empty (or
 * null). Deliberate difference: surrounding whitespace is ignored, so a trailing newline from a
 * YAML block scalar does not turn "false" into true.
 */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const text = typeof value === 'string' ? value.trim() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return !['false', '0', '-0', ''].includes(text);
}

/** A duration as Java's Duration.toString() prints it (PT1M30S, PT0.5S), as Kestra logs it. */
export function javaDuration(ms: number): string {
  if (ms === 0) return 'PT0S';
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
}
