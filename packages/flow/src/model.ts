import type { ActivityDefaults, TaskKind, TriggerKind } from '@baton/plugin-sdk';
import type { FlowInput, PluginDefault } from './flow-schema';

export interface RetrySpec {
  type: 'constant' | 'exponential' | 'random';
  interval?: string;
  maxInterval?: string;
  minInterval?: string;
  delayFactor?: number;
  maxAttempt?: number;
  maxDuration?: string;
  warningOnRetry?: boolean;
}

/**
 * One task of a validated flow, normalised for the engine: the plugin is resolved, common keys
 * are separated from plugin properties, and child tasks of flowable tasks are nested.
 * Properties stay unrendered: expressions are evaluated when the task runs.
 */
export interface TaskSpec {
  id: string;
  /** The type as written in the flow (maybe a Kestra alias). */
  type: string;
  /** Baton's plugin id. */
  pluginId: string;
  kind: TaskKind;
  props: Record<string, unknown>;
  /** Flowable tasks: child task lists by key (`tasks`, `then`, `cases.<value>`...). */
  children?: Record<string, TaskSpec[]>;
  /** A task of a Dag: ids of the sibling tasks that must end before it starts. */
  dependsOn?: string[];
  description?: string;
  timeout?: string;
  retry?: RetrySpec;
  disabled?: boolean;
  allowFailure?: boolean;
  /** A WARNING end counts as SUCCESS (Kestra's allowWarning). */
  allowWarning?: boolean;
  runIf?: string | boolean;
  workerGroup?: string;
  /** Minimum level of the task's logs that are kept. */
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  activity: ActivityDefaults;
  /** Tasks that undo this one when the execution fails after it succeeded (docs/compensation.md). */
  compensate?: TaskSpec[];
  /** Resource lock keys, unrendered (docs/locks.md). */
  locks?: string[];
  /** ISO-8601: how long to wait for the locks. */
  lockTimeout?: string;
}

/** What an execution runs: a flow revision, validated and normalised. Plain JSON. */
export interface FlowPlan {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  labels: Record<string, string>;
  inputs: FlowInput[];
  variables: Record<string, unknown>;
  tasks: TaskSpec[];
  errors: TaskSpec[];
  finally: TaskSpec[];
  outputs: { id: string; value: unknown }[];
  pluginDefaults: PluginDefault[];
  concurrency?: { limit: number; behavior: 'QUEUE' | 'CANCEL' | 'FAIL' };
  /** When compensations run; absent: ON_FAILURE (docs/compensation.md). */
  compensation?: { mode: 'ON_FAILURE' | 'NEVER' | 'ASK' };
  /** Locks held for the whole execution, unrendered (docs/locks.md). */
  locks?: string[];
  lockTimeout?: string;
  retry?: RetrySpec;
  disabled: boolean;
  triggers: TriggerSpec[];
  /** Sent by the worker once an execution of this revision ends (docs/notifications.md). */
  notifications?: NotificationSpec[];
}

/** One entry of a flow's `notifications`: a notification task and the end states it is sent on. */
export interface NotificationSpec {
  /** End states that send it (SUCCESS, WARNING, FAILED, KILLED, CANCELLED); FAILED when not written. */
  states: string[];
  /** The task, validated like any task (plugin defaults merged), its properties unrendered. */
  task: TaskSpec;
}

/** One trigger of a validated flow: its type resolved, common keys apart from its own properties. */
export interface TriggerSpec {
  id: string;
  /** The type as written (maybe a Kestra name). */
  type: string;
  /** Baton's trigger id, e.g. core.trigger.Schedule. */
  triggerId: string;
  kind: TriggerKind;
  description?: string;
  disabled: boolean;
  conditions: ConditionSpec[];
  /** Kestra's stopAfter: the trigger disables itself when one of its executions ends in one of these. */
  stopAfter?: string[];
  /** A polling trigger polls from a worker of this group (`workerGroup.key`). */
  workerGroup?: string;
  /** The type's own properties, unrendered. */
  props: Record<string, unknown>;
}

export interface ConditionSpec {
  type: string;
  /** Baton's condition id, e.g. core.condition.DayWeek. */
  conditionId: string;
  props: Record<string, unknown>;
  /** Not, Or, And: the conditions they combine. */
  conditions?: ConditionSpec[];
}

/** Every task of a plan, depth first, including errors and finally branches. */
export function allTasks(plan: Pick<FlowPlan, 'tasks' | 'errors' | 'finally'>): TaskSpec[] {
  const out: TaskSpec[] = [];
  const walk = (list: TaskSpec[]) => {
    for (const t of list) {
      out.push(t);
      for (const children of Object.values(t.children ?? {})) walk(children);
      if (t.compensate) walk(t.compensate);
    }
  };
  walk(plan.tasks);
  walk(plan.errors);
  walk(plan.finally);
  return out;
}
