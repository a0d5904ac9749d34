// Types shared by the workflow (deterministic) and the activities (I/O). No runtime code with
// side effects may live here: the workflow bundle imports it.
import type { FlowPlan, TaskSpec } from '@baton/flow/model';
import type { LogLevel, State } from '../states';
import type { ApprovalOutcome, ApprovalRequest } from './approval';

export const DEFAULT_TASK_QUEUE = 'baton';
export const WORKFLOW_NAME = 'executionWorkflow';
export type { ApprovalDecision, ApprovalOutcome, ApprovalRequest } from './approval';
export const RESUME_SIGNAL = 'resume';
export const STATUS_QUERY = 'status';
/** A CANCEL kill switch reached the execution: it ends CANCELLED before its next task. */
export const KILL_SWITCH_CANCEL_SIGNAL = 'killSwitchCancel';

export function taskQueueFor(workerGroup: string | undefined): string {
  return workerGroup ? `${DEFAULT_TASK_QUEUE}.${workerGroup}` : DEFAULT_TASK_QUEUE;
}

export interface ExecutionInput {
  executionId: string;
  tenant: string;
  plan: FlowPlan;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  parent?: { executionId: string; taskRunId: string };
  /** A replay: the execution it was replayed from (Kestra's `execution.originalId`). */
  originalId?: string;
  /** A restart of a failed execution: what already succeeded is kept and not run again. */
  restart?: RestartInput;
  /**
   * A subflow's share of its parent's SECRET inputs (and what was derived from them): inputs that
   * carry one are masked when stored and treated as SECRET inputs by the child.
   */
  secretValues?: string[];
  /** The trigger that started the execution (docs/triggers.md); its variables are `trigger.*`. */
  trigger?: ExecutionTrigger;
}

/** Kestra's ExecutionTrigger: which trigger of the flow fired, its type and its variables. */
export interface ExecutionTrigger {
  id: string;
  type: string;
  variables: Record<string, unknown>;
}

export interface RestartInput {
  /** Task runs that ended SUCCESS or WARNING in the previous run, with their (masked) outputs. */
  done: { taskId: string; value?: string; outputs?: Record<string, unknown> }[];
  /** Task-run sequence numbers continue after the previous run's. */
  seqStart: number;
}

export interface ExecutionResult {
  state: State;
  outputs: Record<string, unknown>;
  error?: string;
}

export interface ResumeSignal {
  /** The paused task run to resume; any paused task when absent. */
  taskRunId?: string;
  by: string;
  inputs: Record<string, unknown>;
  /** An approval Pause: how it was decided, with every decision (so Temporal history keeps them). */
  approval?: ApprovalOutcome;
}

/** Who to notify that an approval waits, and with what (the worker's notifyApprovers activity). */
export interface ApprovalNotice {
  tenant: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  taskRunId: string;
  request: ApprovalRequest;
}

/** What a CANCEL kill switch tells the executions in its scope. */
export interface KillSwitchCancelSignal {
  switchId: string;
  /** The message the execution ends with (names the switch, its reason and who set it). */
  message: string;
}

/** Everything a runnable task's expressions may read. */
export interface RenderContext {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  vars: Record<string, unknown>;
  labels: Record<string, string>;
  flow: { id: string; namespace: string; revision: number; tenantId: string };
  /** Kestra's `execution`: `originalId` is the execution a replay came from (else the id itself). */
  execution: { id: string; startDate: string; originalId: string; state: State };
  /** The task being rendered. */
  task: { id: string; type: string };
  /** Kestra's `taskrun`: `attemptsCount` is the attempt number in the activity, 0 in the workflow. */
  taskrun: { id: string; startDate: string; value?: unknown; attemptsCount: number; parentId?: string };
  /** Every enclosing flowable task run, closest first (Kestra's `parents`); `parent` is the first. */
  parents: ParentVariables[];
  parent?: ParentVariables;
  /** Kestra's `tasks`: each task's state so far, keyed by loop value inside ForEach. */
  tasks: Record<string, unknown>;
  /** Kestra's `trigger`: the variables of the trigger that started the execution. */
  trigger?: Record<string, unknown>;
}

export interface ParentVariables {
  task: { id: string };
  /** Present only when the parent task run has a value (it runs inside a ForEach). */
  taskrun?: { value: unknown };
}

export interface RunTaskInput {
  tenant: string;
  executionId: string;
  taskRunId: string;
  parentTaskRunId?: string;
  seq: number;
  task: Pick<TaskSpec, 'id' | 'type' | 'pluginId' | 'props' | 'timeout' | 'logLevel'>;
  context: RenderContext;
  /** Attempt timeout in milliseconds. */
  timeoutMs?: number;
  /**
   * The execution is still CREATED: the activity marks it RUNNING alongside its own first write,
   * sparing the workflow a projection round trip before its first task.
   */
  markExecutionRunning?: boolean;
  /**
   * This is the execution's last task and nothing follows it (no finally, no flow outputs, every
   * task before succeeded): on SUCCESS the activity also ends the execution SUCCESS and evaluates
   * Flow triggers, sparing the workflow its final projection (RunTaskResult.executionEnded).
   */
  endExecutionOnSuccess?: boolean;
  /**
   * Values of the execution's SECRET inputs and strings derived from them in the workflow: the
   * activity taints them in expressions and masks them everywhere it writes. Absent when none.
   */
  secretValues?: string[];
}

export interface RunTaskResult {
  outputs: Record<string, unknown>;
  attempt: number;
  /** The activity ended the execution SUCCESS (it was asked to: endExecutionOnSuccess). */
  executionEnded?: boolean;
  /** The task asked to end WARNING (ctx.setWarning, e.g. a script's stderr); the reason, masked. */
  warning?: string;
}

export type ProjectionEvent =
  | {
      kind: 'execution';
      id: string;
      state: State;
      at: string;
      outputs?: Record<string, unknown>;
      error?: string;
      /** The kill switch that ended it (a CANCEL switch's end, docs/kill-switch.md). */
      killSwitch?: string;
    }
  | {
      kind: 'taskRun';
      id: string;
      executionId: string;
      taskId: string;
      parentTaskRunId?: string;
      value?: string;
      seq: number;
      state: State;
      at: string;
      outputs?: Record<string, unknown>;
      error?: string;
    }
  | {
      /** The execution's labels after a Labels task (all of them: the row is replaced). */
      kind: 'labels';
      executionId: string;
      labels: Record<string, string>;
      at: string;
    }
  | {
      /** A log line written by the workflow itself (a flowable's failure, a Fail or Assert). */
      kind: 'log';
      executionId: string;
      taskRunId: string;
      taskId: string;
      level: LogLevel;
      message: string;
      at: string;
    };

export interface SlotRequest {
  executionId: string;
  tenant: string;
  namespace: string;
  flowId: string;
  limit: number;
}

export interface SubflowRequest {
  tenant: string;
  namespace: string;
  flowId: string;
  revision?: number;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  parent: { executionId: string; taskRunId: string };
  /** The parent's SECRET input values and what derives from them (see ExecutionInput.secretValues). */
  secretValues?: string[];
}

/**
 * Resource locks (docs/locks.md): take every key or none. `holder` is the task run that holds
 * them, or '' for the execution itself (flow-level `locks`); the same execution's flow-level lock
 * lets its tasks through. `waitingTaskRunId` is shown while the request waits.
 */
export interface LockRequest {
  tenant: string;
  executionId: string;
  holder: string;
  keys: string[];
  /** The task that waits (the execution page links the holder); absent for flow-level locks. */
  taskId?: string;
}

/** Taken, or the first key held by someone else, and who holds it. */
export type LockAnswer = { acquired: true } | { acquired: false; key: string; heldBy: string };

/** Gives back a holder's locks, or every lock (and wait) of the execution when `holder` is absent. */
export interface LockRelease {
  tenant: string;
  executionId: string;
  holder?: string;
}

/** `compensation.mode: ASK`'s Pause (docs/compensation.md): not a task of the flow, so the API knows its resume input here. */
export const COMPENSATION_ASK_TASK_ID = '_compensation_ask';
export const COMPENSATION_ASK_INPUTS = [
  { id: 'compensate', type: 'BOOLEAN' as const, defaults: true, description: 'Undo what succeeded (most recent first); false leaves everything as it is' },
];

/** The task run (of ForEachItem's internal tasks) whose storage folder an items activity writes to. */
export interface ItemsTaskRun {
  tenant: string;
  namespace: string;
  flowId: string;
  executionId: string;
  taskId: string;
  taskRunId: string;
}

/** ForEachItem's `_split`: the items file (a kestra:// URI the execution may read) cut into batch files. */
export interface SplitItemsRequest extends ItemsTaskRun {
  items: string;
  batch: { rows?: number; bytes?: string | number; partitions?: number; separator?: string };
}

export interface SplitItemsResult {
  /** Kestra's output: a file listing the batch URIs, one a line. */
  splits: string;
  /** The batch files' URIs, in order (the workflow starts one subflow per URI). */
  uris: string[];
}

/** ForEachItem's `_merge`: the outputs of these subflow executions, one line each, in this order. */
export interface MergeOutputsRequest extends ItemsTaskRun {
  executionIds: string[];
}

/** Baton's ceiling on ForEachItem batches: each one is a child execution in the parent's history. */
export const FOR_EACH_ITEM_MAX_BATCHES = 1000;

/** Activities the workflow calls. Implemented in apps/worker/src/activities. */
export interface EngineActivities {
  runTask(input: RunTaskInput): Promise<RunTaskResult>;
  project(events: ProjectionEvent[]): Promise<void>;
  acquireSlot(request: SlotRequest): Promise<boolean>;
  prepareSubflow(request: SubflowRequest): Promise<ExecutionInput>;
  splitItems(request: SplitItemsRequest): Promise<SplitItemsResult>;
  mergeSubflowOutputs(request: MergeOutputsRequest): Promise<{ subflowOutputs?: string }>;
  /** Tells an approval's approvers it waits (webhook, e-mail); best effort, never fails the pause. */
  notifyApprovers(notice: ApprovalNotice): Promise<void>;
  /** Takes resource locks if all are free (docs/locks.md); records the wait otherwise. */
  acquireLocks(request: LockRequest): Promise<LockAnswer>;
  releaseLocks(request: LockRelease): Promise<void>;
}
