// Everything the interpreter needs from the outside world. The Temporal adapter
// (../execution-workflow.ts) implements it with @temporalio/workflow; unit tests implement it with
// fakes and a fake clock. The interpreter imports nothing else with effects, so it runs without
// Temporal.
import type { RetryPolicy } from '@temporalio/common';
import type {
  ApprovalNotice,
  ExecutionInput,
  ExecutionResult,
  LockAnswer,
  LockRelease,
  LockRequest,
  MergeOutputsRequest,
  ProjectionEvent,
  RunTaskInput,
  RunTaskResult,
  SlotRequest,
  SplitItemsRequest,
  SplitItemsResult,
  SubflowRequest,
} from '../contracts';

/** How one runnable task's activity is scheduled (from the task's timeout, retry and worker group). */
export interface RunTaskOptions {
  taskQueue: string;
  startToCloseTimeoutMs: number;
  scheduleToCloseTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
  retry: RetryPolicy;
}

export interface ChildExecution {
  result(): Promise<ExecutionResult>;
}

export interface Effects {
  /** Writes projection events to PostgreSQL (a local activity), in order. */
  project(events: ProjectionEvent[]): Promise<void>;
  /** Runs a runnable task (an activity, retried by its policy); rejects when every attempt failed. */
  runTask(input: RunTaskInput, options: RunTaskOptions): Promise<RunTaskResult>;
  /** Takes a concurrency slot if one is free, recording the execution RUNNING. */
  acquireSlot(request: SlotRequest): Promise<boolean>;
  /** Resolves a Subflow's flow and inputs into the child execution's input (and creates its row). */
  prepareSubflow(request: SubflowRequest): Promise<ExecutionInput>;
  /** ForEachItem: cuts an items file into batch files in internal storage (an activity: I/O). */
  splitItems(request: SplitItemsRequest): Promise<SplitItemsResult>;
  /** ForEachItem: writes the subflows' outputs as one file (an activity: I/O). */
  mergeSubflowOutputs(request: MergeOutputsRequest): Promise<{ subflowOutputs?: string }>;
  /** Tells an approval's approvers that it waits (an activity; best effort). */
  notifyApprovers(notice: ApprovalNotice): Promise<void>;
  /** Takes resource locks if every key is free (an activity; docs/locks.md). */
  acquireLocks(request: LockRequest): Promise<LockAnswer>;
  /** Gives resource locks back (an activity). */
  releaseLocks(request: LockRelease): Promise<void>;
  /** Starts the child execution; resolves once it started. `wait: false` abandons it to run alone. */
  startChild(input: ExecutionInput, options: { wait: boolean }): Promise<ChildExecution>;
  /** A durable timer. */
  sleep(ms: number): Promise<void>;
  /** Waits until `fn` is true (it is re-checked after every signal); with a timeout, false if it expired. */
  condition(fn: () => boolean): Promise<void>;
  condition(fn: () => boolean, timeoutMs: number): Promise<boolean>;
  /** A deterministic uuid (task-run ids). */
  uuid(): string;
  /** Deterministic time in epoch milliseconds. */
  now(): number;
  /** Whether an error is the kill of the execution reaching the code that was waiting. */
  isCancellation(error: unknown): boolean;
  /** Runs `fn` shielded from the kill (to record the kill itself). */
  nonCancellable<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Temporal's `patched(id)`: true in new histories, false when replaying one written before the
   * change named `id`. Absent (the unit tests' fakes): always the new behaviour.
   */
  patched?(id: string): boolean;
}

/**
 * Marks histories in which a cancel inside Parallel (or a concurrent ForEach) waits for the
 * siblings still running before the block ends. Histories written before ended the block at once.
 */
export const CANCEL_WAITS_FOR_SIBLINGS_PATCH = 'cancel-waits-for-siblings';
