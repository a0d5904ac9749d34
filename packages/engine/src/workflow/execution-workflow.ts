// The execution workflow: interprets a flow plan deterministically on Temporal.
// Runnable tasks become activities; flowable tasks (Sequential, Parallel, If, Switch, ForEach,
// Subflow, Pause, Sleep, Fail, Assert) run here. No I/O and no Node built-ins in this file:
// everything with side effects goes through activities (projection to PostgreSQL included).
import * as wf from '@temporalio/workflow';
import { ActivityCancellationType } from '@temporalio/common';
import { findFunctionCalls, findReferences, render } from '@baton/flow/expressions/index';
import { resolveInputs } from '@baton/flow/inputs';
import type { FlowInput } from '@baton/flow/flow-schema';
import type { TaskSpec } from '@baton/flow/model';
import { parseDuration } from '@baton/plugin-sdk/duration';
import type { LogLevel, State } from '../states';
import {
  RESUME_SIGNAL, STATUS_QUERY, taskQueueFor, WORKFLOW_NAME,
  type EngineActivities, type ExecutionInput, type ExecutionResult, type ProjectionEvent, type RenderContext, type ResumeSignal,
} from './contracts';
import { toRetryPolicy } from './retry-policy';
import { searchAttributesFor } from '../services/search-attributes';

export const resumeSignal = wf.defineSignal<[ResumeSignal]>(RESUME_SIGNAL);
export const statusQuery = wf.defineQuery<{ state: State; running: string[] }>(STATUS_QUERY);

const { project } = wf.proxyLocalActivities<EngineActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 20, initialInterval: '200ms', maximumInterval: '5s' },
});
const { acquireSlot, prepareSubflow } = wf.proxyActivities<EngineActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 10, initialInterval: '500ms' },
});

/** How long a kill waits for running activities to acknowledge before the workflow ends anyway. */
const KILL_GRACE_MS = 10_000;

type Outcome = 'SUCCESS' | 'WARNING' | 'FAILED';

/** What a task or a list of tasks ended with; `error` is the failure of *this* branch, never another's. */
interface Result {
  outcome: Outcome;
  error?: string;
}

const SUCCEEDED: Result = { outcome: 'SUCCESS' };

/** Flowables that run child task lists, and so can be retried as a whole. */
const FLOWABLES_WITH_CHILDREN = new Set(['core.Sequential', 'core.Parallel', 'core.If', 'core.Switch', 'core.ForEach', 'core.Subflow']);

interface Scope {
  parentTaskRunId?: string;
  /** Values of enclosing ForEach loops, outermost first. */
  values: unknown[];
  /** Enclosing flowable task runs, closest first (Kestra's `parents`). */
  parents?: { taskId: string; value?: string }[];
}

/** The scope of a flowable's children: it becomes their closest parent. */
function childScope(scope: Scope, run: { id: string; taskId: string; value?: string }, values = scope.values): Scope {
  return { parentTaskRunId: run.id, values, parents: [{ taskId: run.taskId, value: run.value }, ...(scope.parents ?? [])] };
}

/** A task failed; the message is what the person debugging needs. */
class TaskFailure extends Error {
  /** `logged`: the failure was already written as an ERROR log line (a child's, usually). */
  constructor(readonly taskId: string, message: string, readonly logged = false) {
    super(message);
  }
}

/** Ends the whole execution as CANCELLED (a Pause whose behavior is CANCEL). */
class CancelExecution extends Error {}

function errorMessage(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  // Temporal wraps activity errors (ActivityFailure → ApplicationFailure): the innermost says why.
  while (e?.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return e?.message ?? String(error);
}

function doneKey(taskId: string, value: string | undefined): string {
  return value === undefined ? taskId : `${taskId}\u0000${value}`;
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

function worst(a: Outcome, b: Outcome): Outcome {
  const rank = { SUCCESS: 0, WARNING: 1, FAILED: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

/** A duration as Java's Duration.toString() prints it (PT1M30S, PT0.5S), as Kestra logs it. */
export function javaDuration(ms: number): string {
  if (ms === 0) return 'PT0S';
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
}

/** Combines two results: the worse outcome wins, and the first failure keeps its message. */
function combine(a: Result, b: Result): Result {
  const outcome = worst(a.outcome, b.outcome);
  return { outcome, error: a.outcome === 'FAILED' ? a.error : b.outcome === 'FAILED' ? b.error : undefined };
}

export async function executionWorkflow(input: ExecutionInput): Promise<ExecutionResult> {
  return new Interpreter(input).run();
}

class Interpreter {
  private readonly plan: ExecutionInput['plan'];
  private readonly outputs: Record<string, unknown> = {};
  private readonly taskStates: Record<string, unknown> = {};
  private readonly running = new Map<string, Extract<ProjectionEvent, { kind: 'taskRun' }>>();
  private readonly resumes: ResumeSignal[] = [];
  private state: State = 'CREATED';
  private seq = 0;
  private firstError: string | undefined;
  private executionRunningPending = false;
  private readonly outputNeeds = new WeakMap<TaskSpec, Set<string> | 'all'>();
  private readonly taskStateReaders = new WeakMap<TaskSpec, boolean>();
  private readonly startDate = new Date().toISOString();

  /** Restart: task ids (with their loop value) that already succeeded and are not run again. */
  private readonly alreadyDone = new Set<string>();

  constructor(private readonly input: ExecutionInput) {
    this.plan = input.plan;
    if (input.restart) {
      this.seq = input.restart.seqStart;
      for (const run of input.restart.done) {
        this.alreadyDone.add(doneKey(run.taskId, run.value));
        if (run.outputs === undefined) continue;
        if (run.value === undefined) this.outputs[run.taskId] = run.outputs;
        else ((this.outputs[run.taskId] ??= {}) as Record<string, unknown>)[run.value] = run.outputs;
      }
    }
    wf.setHandler(resumeSignal, (signal) => {
      this.resumes.push(signal);
    });
    wf.setHandler(statusQuery, () => ({ state: this.state, running: [...this.running.values()].map((r) => r.taskId) }));
  }

  async run(): Promise<ExecutionResult> {
    try {
      if (this.plan.concurrency && !(await this.waitForSlot())) {
        return await this.finish(this.plan.concurrency.behavior === 'FAIL' ? 'FAILED' : 'CANCELLED', {});
      }
      // RUNNING is recorded with the first write the execution makes anyway (see project()).
      this.state = 'RUNNING';
      this.executionRunningPending = !this.plan.concurrency; // acquireSlot already recorded it
      let outcome = (await this.runList(this.plan.tasks, { values: [] })).outcome;
      if (outcome === 'FAILED' && this.plan.errors.length) {
        // The errors branch runs after a failure; the execution stays FAILED whatever it does.
        await this.runList(this.plan.errors, { values: [] });
      }
      if (this.plan.finally.length) outcome = worst(outcome, (await this.runList(this.plan.finally, { values: [] })).outcome);
      const outputs = outcome === 'FAILED' ? {} : this.flowOutputs();
      return await this.finish(outcome, outputs);
    } catch (error) {
      if (wf.isCancellation(error)) return await this.killed();
      if (error instanceof CancelExecution) {
        this.firstError = error.message;
        return await this.finish('CANCELLED', {});
      }
      this.firstError ??= errorMessage(error);
      return await this.finish('FAILED', {});
    }
  }

  // ---- execution-level ---------------------------------------------------------------------

  private async waitForSlot(): Promise<boolean> {
    const { limit, behavior } = this.plan.concurrency!;
    const request = { executionId: this.input.executionId, tenant: this.input.tenant, namespace: this.plan.namespace, flowId: this.plan.id, limit };
    // acquireSlot atomically checks the count of active executions and marks this one RUNNING.
    // Slots are derived from execution states, so an execution that ends in any way (killed,
    // failed, cancelled) frees its slot: nothing can leak.
    if (await acquireSlot(request)) return true;
    if (behavior !== 'QUEUE') {
      this.firstError = `concurrency limit of ${limit} reached for ${this.plan.namespace}.${this.plan.id} (behavior ${behavior})`;
      return false;
    }
    await this.setState('QUEUED');
    let delay = 250;
    for (;;) {
      await wf.sleep(delay);
      if (await acquireSlot(request)) return true;
      delay = Math.min(delay * 2, 2000);
    }
  }

  private async setState(state: State, extra: { outputs?: Record<string, unknown>; error?: string } = {}) {
    this.state = state;
    await this.project([{ kind: 'execution', id: this.input.executionId, state, at: new Date().toISOString(), ...extra }]);
  }

  private takeRunningPending(): boolean {
    const pending = this.executionRunningPending;
    this.executionRunningPending = false;
    return pending;
  }

  /** Writes projection events, first recording RUNNING if no write has done it yet. */
  private async project(events: ProjectionEvent[]) {
    if (this.executionRunningPending) {
      this.executionRunningPending = false;
      events = [{ kind: 'execution', id: this.input.executionId, state: 'RUNNING', at: new Date().toISOString() }, ...events];
    }
    await project(events);
  }

  /**
   * The outputs a task's properties refer to. Activities receive only those, so Temporal history
   * grows with what tasks use, not with every output of the execution so far.
   */
  private outputsFor(task: TaskSpec): Record<string, unknown> {
    let needs = this.outputNeeds.get(task);
    if (!needs) {
      try {
        const refs = findReferences(task.props).filter((r) => r[0] === 'outputs');
        const dynamic = refs.some((r) => r.length < 2) || findFunctionCalls(task.props, ['render']).length > 0;
        needs = dynamic ? 'all' : new Set(refs.map((r) => r[1]));
      } catch {
        needs = 'all';
      }
      this.outputNeeds.set(task, needs);
    }
    if (needs === 'all') return this.outputs;
    const out: Record<string, unknown> = {};
    for (const id of needs) if (id in this.outputs) out[id] = this.outputs[id];
    return out;
  }

  private async finish(state: State, outputs: Record<string, unknown>): Promise<ExecutionResult> {
    await this.setState(state, { outputs, error: state === 'SUCCESS' ? undefined : this.firstError });
    return { state, outputs, error: state === 'SUCCESS' ? undefined : this.firstError };
  }

  private async killed(): Promise<ExecutionResult> {
    // The kill cancelled this workflow; record it without being cancelled ourselves.
    return wf.CancellationScope.nonCancellable(async () => {
      const at = new Date().toISOString();
      const events: ProjectionEvent[] = [...this.running.values()].map((run) => ({ ...run, state: 'KILLED' as State, at }));
      events.push({ kind: 'execution', id: this.input.executionId, state: 'KILLED', at, error: 'killed' });
      this.state = 'KILLED';
      await this.project(events);
      return { state: 'KILLED' as State, outputs: {}, error: 'killed' };
    });
  }

  private flowOutputs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const o of this.plan.outputs) {
      try {
        out[o.id] = render(o.value, this.context({ values: [] }, 'outputs') as unknown as Record<string, unknown>, { location: { property: `outputs.${o.id}` } });
      } catch (error) {
        // An output that cannot be computed fails the execution with the reason; never a silent null.
        throw new Error(`flow output '${o.id}' could not be rendered: ${errorMessage(error)}`);
      }
    }
    return out;
  }

  // ---- task lists and tasks ----------------------------------------------------------------

  /** Runs tasks in order; stops at the first failure that is not allowed. */
  private async runList(tasks: TaskSpec[], scope: Scope): Promise<Result> {
    let result: Result = SUCCEEDED;
    for (const task of tasks) {
      result = combine(result, await this.runTask(task, scope));
      if (result.outcome === 'FAILED') return result;
    }
    return result;
  }

  private async runTask(task: TaskSpec, scope: Scope): Promise<Result> {
    if (task.disabled) return SUCCEEDED;
    const loopValue = scope.values.length ? scope.values[scope.values.length - 1] : undefined;
    // A restarted execution keeps what succeeded (outputs were preloaded in the constructor).
    if (this.alreadyDone.has(doneKey(task.id, loopValue === undefined ? undefined : typeof loopValue === 'string' ? loopValue : JSON.stringify(loopValue)))) return SUCCEEDED;
    const taskRunId = wf.uuid4();
    const value = scope.values.length ? scope.values[scope.values.length - 1] : undefined;
    const run: Extract<ProjectionEvent, { kind: 'taskRun' }> = {
      kind: 'taskRun',
      id: taskRunId,
      executionId: this.input.executionId,
      taskId: task.id,
      parentTaskRunId: scope.parentTaskRunId,
      value: value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value),
      seq: this.seq++,
      state: 'CREATED',
      at: new Date().toISOString(),
    };
    try {
      if (task.runIf !== undefined && !truthy(this.renderProp(task.runIf, scope, taskRunId, task, 'runIf'))) {
        this.noteTaskState(task.id, run.value, 'SKIPPED');
        await this.project([{ ...run, state: 'SKIPPED', at: new Date().toISOString() }]);
        return SUCCEEDED;
      }
      this.running.set(taskRunId, run);
      const outputs = task.kind === 'runnable' ? await this.runActivity(task, scope, run) : await this.runFlowable(task, scope, run);
      this.running.delete(taskRunId);
      this.setOutput(task.id, scope, outputs.result);
      const state: State = outputs.outcome === 'SUCCESS' ? 'SUCCESS' : outputs.outcome;
      this.noteTaskState(task.id, run.value, state);
      // Runnable tasks project their own SUCCESS from the activity (one write fewer per task).
      if (!(task.kind === 'runnable' && state === 'SUCCESS')) {
        await this.project([{ ...run, state, at: new Date().toISOString(), outputs: outputs.result, error: outputs.error }]);
      }
      return { outcome: outputs.outcome };
    } catch (error) {
      this.running.delete(taskRunId);
      if (wf.isCancellation(error)) {
        this.running.set(taskRunId, run); // recorded as KILLED by killed()
        throw error;
      }
      if (error instanceof CancelExecution) {
        this.noteTaskState(task.id, run.value, 'CANCELLED');
        await this.project([{ ...run, state: 'CANCELLED', at: new Date().toISOString(), error: error.message }]);
        throw error;
      }
      const message = error instanceof TaskFailure ? error.message : `${task.id}: ${errorMessage(error)}`;
      const state: State = task.allowFailure ? 'WARNING' : 'FAILED';
      this.noteTaskState(task.id, run.value, state);
      // The execution's error names the task (Kestra's messages, such as "Task failure", do not).
      if (!task.allowFailure) this.firstError ??= message.startsWith(`${task.id}:`) ? message : `${task.id}: ${message}`;
      const events: ProjectionEvent[] = [{ ...run, state, at: new Date().toISOString(), error: message }];
      // Runnable tasks log their own failure from the activity; a flowable's is logged here.
      if (task.kind !== 'runnable' && !(error instanceof TaskFailure && error.logged)) events.unshift(this.logEvent(run, 'ERROR', message));
      await this.project(events);
      return task.allowFailure ? { outcome: 'WARNING' } : { outcome: 'FAILED', error: message };
    }
  }

  private setOutput(taskId: string, scope: Scope, result: unknown) {
    if (result === undefined) return;
    if (!scope.values.length) {
      this.outputs[taskId] = result;
      return;
    }
    // Inside ForEach, outputs are keyed by the loop value(s): outputs.task[value].prop
    let node = (this.outputs[taskId] ??= {}) as Record<string, unknown>;
    scope.values.forEach((v, i) => {
      const key = typeof v === 'string' ? v : JSON.stringify(v);
      if (i === scope.values.length - 1) node[key] = result;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }

  /** Kestra's run-time variables for one task run (RunVariables in Kestra's source). */
  private context(scope: Scope, taskRunId: string, task?: TaskSpec, startDate = new Date().toISOString()): RenderContext {
    const parents = (scope.parents ?? []).map((p) => (p.value === undefined ? { task: { id: p.taskId } } : { task: { id: p.taskId }, taskrun: { value: p.value } }));
    return {
      inputs: this.input.inputs,
      outputs: this.outputs,
      vars: this.plan.variables,
      labels: { ...this.plan.labels, ...this.input.labels },
      flow: { id: this.plan.id, namespace: this.plan.namespace, revision: this.plan.revision, tenantId: this.input.tenant },
      execution: { id: this.input.executionId, startDate: this.startDate, originalId: this.input.originalId ?? this.input.labels['system.replayOf'] ?? this.input.executionId, state: this.state },
      task: { id: task?.id ?? '', type: task?.type ?? '' },
      taskrun: { id: taskRunId, startDate, value: scope.values[scope.values.length - 1], attemptsCount: 0, parentId: scope.parentTaskRunId },
      parents,
      parent: parents[0],
      tasks: this.taskStates,
    };
  }

  /** Only tasks that read `tasks` (or render dynamically) get the states: history stays small. */
  private readsTaskStates(task: TaskSpec): boolean {
    let reads = this.taskStateReaders.get(task);
    if (reads === undefined) {
      try {
        reads = findReferences(task.props).some((r) => r[0] === 'tasks') || findFunctionCalls(task.props, ['render']).length > 0;
      } catch {
        reads = true;
      }
      this.taskStateReaders.set(task, reads);
    }
    return reads;
  }

  /** Records a task run's state for the `tasks` variable (keyed by loop value inside ForEach). */
  private noteTaskState(taskId: string, value: string | undefined, state: State) {
    if (value === undefined) this.taskStates[taskId] = { state };
    else ((this.taskStates[taskId] ??= {}) as Record<string, unknown>)[value] = { state };
  }

  private renderProp(value: unknown, scope: Scope, taskRunId: string, task: TaskSpec, property: string): unknown {
    return render(value, this.context(scope, taskRunId, task) as unknown as Record<string, unknown>, {
      location: { taskId: task.id, property },
      functions: {
        secret: () => {
          throw new Error(`secret() is only available in the properties of runnable tasks, not in ${task.type}.${property}`);
        },
      },
    });
  }

  private async runActivity(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }) {
    // Flows speak ISO-8601 (PT10M); Temporal takes milliseconds.
    const timeout = task.timeout ?? task.activity.timeout ?? 'PT1H';
    const timeoutMs = parseDuration(timeout) ?? 3_600_000;
    const { policy, maxDurationMs } = toRetryPolicy(task, this.plan.retry);
    const activities = wf.proxyActivities<EngineActivities>({
      taskQueue: taskQueueFor(task.workerGroup),
      startToCloseTimeout: timeoutMs,
      scheduleToCloseTimeout: maxDurationMs,
      heartbeatTimeout: parseDuration(task.activity.heartbeatTimeout ?? 'PT30S'),
      retry: policy,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
    const cancelled = wf.CancellationScope.current();
    // A kill must not wait forever on an activity whose worker is gone: after the grace period
    // the workflow stops waiting (Temporal still times the activity out on its own).
    const result = await Promise.race([
      activities.runTask({
        tenant: this.input.tenant,
        executionId: this.input.executionId,
        taskRunId: run.id,
        parentTaskRunId: run.parentTaskRunId,
        seq: run.seq,
        task: { id: task.id, type: task.type, pluginId: task.pluginId, props: task.props, timeout: task.timeout, logLevel: task.logLevel },
        context: { ...this.context(scope, run.id, task, run.at), outputs: this.outputsFor(task), tasks: this.readsTaskStates(task) ? this.taskStates : {} },
        timeoutMs,
        markExecutionRunning: this.takeRunningPending(),
      }),
      cancelled.cancelRequested.then(() => wf.sleep(KILL_GRACE_MS)).then(() => {
        throw new wf.CancelledFailure('killed: the task did not stop within the grace period');
      }),
    ]);
    // warningOnRetry: a success that needed retries is worth a look, so it ends in WARNING.
    const retried = result.attempt > 1 && (task.retry ?? this.plan.retry)?.warningOnRetry === true;
    return {
      outcome: (retried ? 'WARNING' : 'SUCCESS') as Outcome,
      result: result.outputs,
      error: retried ? `${task.id}: succeeded on attempt ${result.attempt} (warningOnRetry)` : (undefined as string | undefined),
    };
  }

  // ---- flowable tasks ----------------------------------------------------------------------

  private async runFlowable(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }): Promise<{ outcome: Outcome; result?: Record<string, unknown>; error?: string }> {
    await this.project([{ ...run, state: 'RUNNING', at: new Date().toISOString() }]);
    if (!task.retry || !FLOWABLES_WITH_CHILDREN.has(task.pluginId)) return this.runFlowableOnce(task, scope, run);
    // Kestra (0.15+) retries a flowable as a whole: every child runs again, as new task runs.
    const { policy, maxDurationMs } = toRetryPolicy(task, undefined);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runFlowableOnce(task, scope, run);
      } catch (error) {
        if (!(error instanceof TaskFailure)) throw error;
        const delay = Math.min(Number(policy.initialInterval) * (policy.backoffCoefficient ?? 2) ** (attempt - 1), Number(policy.maximumInterval ?? Infinity));
        const attemptsLeft = !policy.maximumAttempts || attempt < policy.maximumAttempts;
        const timeLeft = maxDurationMs === undefined || Date.now() - started + delay < maxDurationMs;
        if (!attemptsLeft || !timeLeft) throw error;
        await this.project([
          this.logEvent(run, 'WARN', `${task.id}: attempt ${attempt} failed (${error.message}); retrying the whole ${task.type.split('.').pop()} in ${delay} ms`),
          { ...run, state: 'RETRYING', at: new Date().toISOString(), error: error.message },
        ]);
        await wf.sleep(delay);
        await this.project([{ ...run, state: 'RUNNING', at: new Date().toISOString() }]);
      }
    }
  }

  private async runFlowableOnce(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }): Promise<{ outcome: Outcome; result?: Record<string, unknown>; error?: string }> {
    const child = childScope(scope, run);
    const prop = (name: string) => this.renderProp(task.props[name], scope, run.id, task, name);
    const children = (key: string) => task.children?.[key] ?? [];
    switch (task.pluginId) {
      case 'core.Sequential':
        return this.failWithChildren(task, await this.runList(children('tasks'), child));
      case 'core.Parallel':
        return this.failWithChildren(task, await this.runConcurrently(children('tasks').map((t) => () => this.runTask(t, child)), Number(task.props.concurrent ?? 0)));
      case 'core.If': {
        const evaluationResult = truthy(prop('condition'));
        const ended = this.failWithChildren(task, await this.runList(children(evaluationResult ? 'then' : 'else'), child));
        return { ...ended, result: { evaluationResult } };
      }
      case 'core.Switch': {
        const value = String(prop('value'));
        const matched = task.children?.[`cases.${value}`];
        const ended = this.failWithChildren(task, await this.runList(matched ?? children('defaults'), child));
        return { ...ended, result: { value, defaults: matched === undefined } };
      }
      case 'core.ForEach':
        return this.runForEach(task, scope, run, prop('values'));
      case 'core.Sleep': {
        const ms = parseDuration(String(prop('duration'))) ?? 0;
        await this.project([this.logEvent(run, 'INFO', `Waiting for ${javaDuration(ms)}`)]);
        await wf.sleep(ms);
        return { outcome: 'SUCCESS' };
      }
      case 'core.Fail':
        return this.runFail(task, scope, run);
      case 'core.Assert':
        return this.runAssert(task, scope, run);
      case 'core.Pause':
        return this.runPause(task, scope, run);
      case 'core.Subflow':
        return this.runSubflow(task, scope, run);
      default:
        throw new TaskFailure(task.id, `${task.id}: flowable type ${task.pluginId} is not supported by this engine version`);
    }
  }

  /** A flowable whose children failed fails with their error (already logged by the child). */
  private failWithChildren(task: TaskSpec, result: Result) {
    if (result.outcome === 'FAILED') throw new TaskFailure(task.id, result.error ?? `${task.id}: a child task failed`, true);
    return { outcome: result.outcome };
  }

  /**
   * Runs thunks with at most `limit` at a time (0 = all). After a failure no new thunk starts and
   * the running ones finish (Kestra's Parallel and ForEach); the result is decided when all ended.
   */
  private async runConcurrently(thunks: (() => Promise<Result>)[], limit: number): Promise<Result> {
    const width = limit > 0 ? Math.min(limit, thunks.length) : thunks.length;
    let next = 0;
    let result: Result = SUCCEEDED;
    const lane = async () => {
      while (next < thunks.length && result.outcome !== 'FAILED') {
        const thunk = thunks[next++];
        // Read the shared result only after the await: other lanes update it meanwhile.
        const ended = await thunk();
        result = combine(result, ended);
      }
    };
    await Promise.all(Array.from({ length: width }, lane));
    return result;
  }

  private async runForEach(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }, raw: unknown) {
    let values = raw;
    if (typeof values === 'string') {
      try {
        values = JSON.parse(values);
      } catch {
        throw new TaskFailure(task.id, `${task.id}: values must be a list or a JSON array, got ${JSON.stringify(raw).slice(0, 100)}`);
      }
    }
    if (!Array.isArray(values)) throw new TaskFailure(task.id, `${task.id}: values must be a list, got ${typeof values}`);
    // Kestra iterates over distinct values and refuses nulls.
    const nulls = values.filter((v) => v === null || v === undefined).length;
    if (nulls) throw new TaskFailure(task.id, `${task.id}: found ${nulls} null value(s) in values ${JSON.stringify(values).slice(0, 200)}`);
    const seen = new Set<string>();
    const distinct = values.filter((v) => {
      const key = typeof v === 'string' ? `s:${v}` : `j:${JSON.stringify(v)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const limit = Number(task.props.concurrencyLimit ?? 1);
    const result = await this.runConcurrently(
      distinct.map((value) => () => this.runList(task.children?.tasks ?? [], childScope(scope, run, [...scope.values, value]))),
      limit,
    );
    return this.failWithChildren(task, result);
  }

  /** Kestra's Fail: "Task failure" by default; with a condition, logs errorMessage and fails "Fail on a condition". */
  private async runFail(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }) {
    const message = task.props.errorMessage === undefined ? 'Task failure' : String(this.renderProp(task.props.errorMessage, scope, run.id, task, 'errorMessage'));
    if (task.props.condition === undefined) throw new TaskFailure(task.id, message);
    if (!truthy(this.renderProp(task.props.condition, scope, run.id, task, 'condition'))) return { outcome: 'SUCCESS' as Outcome };
    await this.project([this.logEvent(run, 'ERROR', message)]);
    throw new TaskFailure(task.id, 'Fail on a condition');
  }

  private logEvent(run: ProjectionEvent & { kind: 'taskRun' }, level: LogLevel, message: string): ProjectionEvent {
    return { kind: 'log', executionId: this.input.executionId, taskRunId: run.id, taskId: run.taskId, level, message, at: new Date().toISOString() };
  }

  /** Kestra's Assert: each false condition is logged at ERROR; fails with "N assertion(s) failed!". */
  private async runAssert(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }) {
    const conditions = (task.props.conditions as unknown[]) ?? [];
    const logs: ProjectionEvent[] = [];
    conditions.forEach((condition, i) => {
      const text = typeof condition === 'string' ? condition : JSON.stringify(condition);
      try {
        if (!truthy(this.renderProp(condition, scope, run.id, task, `conditions[${i}]`))) logs.push(this.logEvent(run, 'ERROR', `Assertion \`${text}\` failed!`));
      } catch (error) {
        logs.push(this.logEvent(run, 'ERROR', `Assertion \`${text}\` failed, failed to render \`${errorMessage(error)}\``));
      }
    });
    if (logs.length) {
      await this.project(logs);
      const custom = task.props.errorMessage === undefined ? '' : `\n${String(this.renderProp(task.props.errorMessage, scope, run.id, task, 'errorMessage'))}`;
      throw new TaskFailure(task.id, `${logs.length} assertion${logs.length > 1 ? 's' : ''} failed!${custom}`);
    }
    return { outcome: 'SUCCESS' as Outcome };
  }

  private async runPause(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }) {
    const durationText = (task.props.pauseDuration ?? task.props.delay) as string | undefined;
    const durationMs = durationText ? parseDuration(String(this.renderProp(durationText, scope, run.id, task, 'pauseDuration'))) : undefined;
    await this.project([
      { ...run, state: 'PAUSED', at: new Date().toISOString() },
      { kind: 'execution', id: this.input.executionId, state: 'PAUSED', at: new Date().toISOString() },
    ]);
    this.state = 'PAUSED';
    const matches = (s: ResumeSignal) => !s.taskRunId || s.taskRunId === run.id;
    let resumed = true;
    if (durationMs !== undefined) resumed = await wf.condition(() => this.resumes.some(matches), durationMs);
    else await wf.condition(() => this.resumes.some(matches));
    const signal = resumed ? this.resumes.splice(this.resumes.findIndex(matches), 1)[0] : undefined;
    await this.setState('RUNNING');
    await this.project([{ ...run, state: 'RUNNING', at: new Date().toISOString() }]);
    if (!signal) {
      const behavior = (task.props.behavior as string) ?? 'RESUME';
      if (behavior === 'FAIL') throw new TaskFailure(task.id, `${task.id}: pause expired after ${durationText} (behavior FAIL)`);
      if (behavior === 'CANCEL') throw new CancelExecution(`${task.id}: pause expired after ${durationText} (behavior CANCEL)`);
      const defaults = resolveInputs((task.props.onResume as FlowInput[]) ?? [], {});
      return { outcome: (behavior === 'WARN' ? 'WARNING' : 'SUCCESS') as Outcome, result: { onResume: defaults.values, timedOut: true } };
    }
    const { values, errors } = resolveInputs((task.props.onResume as FlowInput[]) ?? [], signal.inputs ?? {});
    if (errors.length) throw new TaskFailure(task.id, `${task.id}: invalid resume inputs: ${errors.map((e) => e.message).join('; ')}`);
    return { outcome: 'SUCCESS' as Outcome, result: { onResume: values, resumedBy: signal.by, timedOut: false } };
  }

  private async runSubflow(task: TaskSpec, scope: Scope, run: ProjectionEvent & { kind: 'taskRun' }) {
    const prop = (name: string) => this.renderProp(task.props[name], scope, run.id, task, name);
    const childInput = await prepareSubflow({
      tenant: this.input.tenant,
      namespace: String(prop('namespace')),
      flowId: String(prop('flowId')),
      revision: task.props.revision as number | undefined,
      inputs: (prop('inputs') as Record<string, unknown>) ?? {},
      labels: (prop('labels') as Record<string, string>) ?? {},
      parent: { executionId: this.input.executionId, taskRunId: run.id },
    });
    const wait = task.props.wait !== false;
    const handle = await wf.startChild(WORKFLOW_NAME, {
      workflowId: childInput.executionId,
      args: [childInput],
      parentClosePolicy: wait ? wf.ParentClosePolicy.TERMINATE : wf.ParentClosePolicy.ABANDON,
      typedSearchAttributes: searchAttributesFor(childInput.tenant, childInput.plan.namespace, childInput.plan.id),
      cancellationType: wf.ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
    if (!wait) return { outcome: 'SUCCESS' as Outcome, result: { executionId: childInput.executionId } };
    const result = (await handle.result()) as ExecutionResult;
    const outputs = { executionId: childInput.executionId, state: result.state, outputs: result.outputs };
    if (result.state !== 'SUCCESS' && result.state !== 'WARNING' && task.props.transmitFailed !== false) {
      throw new TaskFailure(task.id, `${task.id}: subflow ${childInput.plan.namespace}.${childInput.plan.id} ended ${result.state}${result.error ? `: ${result.error}` : ''}`);
    }
    return { outcome: (result.state === 'WARNING' ? 'WARNING' : 'SUCCESS') as Outcome, result: outputs };
  }
}

