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
import type { State } from '../states';
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

interface Scope {
  parentTaskRunId?: string;
  /** Values of enclosing ForEach loops, outermost first. */
  values: unknown[];
}

/** A task failed; the message is what the person debugging needs. */
class TaskFailure extends Error {
  constructor(readonly taskId: string, message: string) {
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

function truthy(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '' && value.trim().toLowerCase() !== 'false';
  return Boolean(value);
}

function worst(a: Outcome, b: Outcome): Outcome {
  const rank = { SUCCESS: 0, WARNING: 1, FAILED: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

export async function executionWorkflow(input: ExecutionInput): Promise<ExecutionResult> {
  return new Interpreter(input).run();
}

class Interpreter {
  private readonly plan: ExecutionInput['plan'];
  private readonly outputs: Record<string, unknown> = {};
  private readonly running = new Map<string, Extract<ProjectionEvent, { kind: 'taskRun' }>>();
  private readonly resumes: ResumeSignal[] = [];
  private state: State = 'CREATED';
  private seq = 0;
  private firstError: string | undefined;
  private executionRunningPending = false;
  private readonly outputNeeds = new WeakMap<TaskSpec, Set<string> | 'all'>();
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
      let outcome = await this.runList(this.plan.tasks, { values: [] });
      if (outcome === 'FAILED' && this.plan.errors.length) {
        // The errors branch runs after a failure; the execution stays FAILED whatever it does.
        await this.runList(this.plan.errors, { values: [] });
      }
      if (this.plan.finally.length) outcome = worst(outcome, await this.runList(this.plan.finally, { values: [] }));
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
        out[o.id] = null;
        this.firstError ??= errorMessage(error);
      }
    }
    return out;
  }

  // ---- task lists and tasks ----------------------------------------------------------------

  /** Runs tasks in order; stops at the first failure that is not allowed. */
  private async runList(tasks: TaskSpec[], scope: Scope): Promise<Outcome> {
    let outcome: Outcome = 'SUCCESS';
    for (const task of tasks) {
      const result = await this.runTask(task, scope);
      outcome = worst(outcome, result);
      if (result === 'FAILED') return 'FAILED';
    }
    return outcome;
  }

  private async runTask(task: TaskSpec, scope: Scope): Promise<Outcome> {
    if (task.disabled) return 'SUCCESS';
    const loopValue = scope.values.length ? scope.values[scope.values.length - 1] : undefined;
    // A restarted execution keeps what succeeded (outputs were preloaded in the constructor).
    if (this.alreadyDone.has(doneKey(task.id, loopValue === undefined ? undefined : typeof loopValue === 'string' ? loopValue : JSON.stringify(loopValue)))) return 'SUCCESS';
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
        await this.project([{ ...run, state: 'SKIPPED', at: new Date().toISOString() }]);
        return 'SUCCESS';
      }
      this.running.set(taskRunId, run);
      const outputs = task.kind === 'runnable' ? await this.runActivity(task, scope, run) : await this.runFlowable(task, scope, run);
      this.running.delete(taskRunId);
      this.setOutput(task.id, scope, outputs.result);
      const state: State = outputs.outcome === 'SUCCESS' ? 'SUCCESS' : outputs.outcome;
      // Runnable tasks project their own SUCCESS from the activity (one write fewer per task).
      if (!(task.kind === 'runnable' && state === 'SUCCESS')) {
        await this.project([{ ...run, state, at: new Date().toISOString(), outputs: outputs.result, error: outputs.error }]);
      }
      return outputs.outcome;
    } catch (error) {
      this.running.delete(taskRunId);
      if (wf.isCancellation(error)) {
        this.running.set(taskRunId, run); // recorded as KILLED by killed()
        throw error;
      }
      if (error instanceof CancelExecution) {
        await this.project([{ ...run, state: 'CANCELLED', at: new Date().toISOString(), error: error.message }]);
        throw error;
      }
      const message = error instanceof TaskFailure ? error.message : `${task.id}: ${errorMessage(error)}`;
      const state: State = task.allowFailure ? 'WARNING' : 'FAILED';
      if (!task.allowFailure) this.firstError ??= message;
      await this.project([{ ...run, state, at: new Date().toISOString(), error: message }]);
      return task.allowFailure ? 'WARNING' : 'FAILED';
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

  private context(scope: Scope, taskRunId: string): RenderContext {
    const parents = scope.values.map((value) => ({ taskrun: { value } })).reverse();
    return {
      inputs: this.input.inputs,
      outputs: this.outputs,
      vars: this.plan.variables,
      labels: { ...this.plan.labels, ...this.input.labels },
      flow: { id: this.plan.id, namespace: this.plan.namespace, revision: this.plan.revision, tenantId: this.input.tenant },
      execution: { id: this.input.executionId, startDate: this.startDate },
      taskrun: { id: taskRunId, value: scope.values[scope.values.length - 1], parentId: scope.parentTaskRunId },
      parents: parents.slice(1),
      parent: parents[1],
    };
  }

  private renderProp(value: unknown, scope: Scope, taskRunId: string, task: TaskSpec, property: string): unknown {
    return render(value, this.context(scope, taskRunId) as unknown as Record<string, unknown>, {
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
        context: { ...this.context(scope, run.id), outputs: this.outputsFor(task) },
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
    const child: Scope = { parentTaskRunId: run.id, values: scope.values };
    const prop = (name: string) => this.renderProp(task.props[name], scope, run.id, task, name);
    const children = (key: string) => task.children?.[key] ?? [];
    switch (task.pluginId) {
      case 'core.Sequential':
        return this.failWithChildren(task, await this.runList(children('tasks'), child));
      case 'core.Parallel':
        return this.failWithChildren(task, await this.runConcurrently(children('tasks').map((t) => () => this.runTask(t, child)), Number(task.props.concurrent ?? 0)));
      case 'core.If': {
        const branch = truthy(prop('condition')) ? 'then' : 'else';
        return this.failWithChildren(task, await this.runList(children(branch), child));
      }
      case 'core.Switch': {
        const value = String(prop('value'));
        const list = task.children?.[`cases.${value}`] ?? children('defaults');
        return this.failWithChildren(task, await this.runList(list, child));
      }
      case 'core.ForEach':
        return this.runForEach(task, scope, run.id, prop('values'));
      case 'core.Sleep':
        await wf.sleep(parseDuration(String(prop('duration'))) ?? 0);
        return { outcome: 'SUCCESS' };
      case 'core.Fail': {
        const condition = task.props.condition === undefined ? true : truthy(prop('condition'));
        if (condition) throw new TaskFailure(task.id, String(prop('errorMessage') ?? `${task.id}: failed by a Fail task`));
        return { outcome: 'SUCCESS' };
      }
      case 'core.Assert':
        return this.runAssert(task, scope, run.id);
      case 'core.Pause':
        return this.runPause(task, scope, run);
      case 'core.Subflow':
        return this.runSubflow(task, scope, run);
      default:
        throw new TaskFailure(task.id, `${task.id}: flowable type ${task.pluginId} is not supported by this engine version`);
    }
  }

  private failWithChildren(task: TaskSpec, outcome: Outcome) {
    if (outcome === 'FAILED') throw new TaskFailure(task.id, this.firstError ?? `${task.id}: a child task failed`);
    return { outcome };
  }

  /** Runs thunks with at most `limit` at a time (0 = all); waits for all before deciding. */
  private async runConcurrently(thunks: (() => Promise<Outcome>)[], limit: number): Promise<Outcome> {
    const width = limit > 0 ? Math.min(limit, thunks.length) : thunks.length;
    let next = 0;
    let outcome: Outcome = 'SUCCESS';
    const lane = async () => {
      while (next < thunks.length) {
        const thunk = thunks[next++];
        outcome = worst(outcome, await thunk());
      }
    };
    await Promise.all(Array.from({ length: width }, lane));
    return outcome;
  }

  private async runForEach(task: TaskSpec, scope: Scope, taskRunId: string, raw: unknown) {
    let values = raw;
    if (typeof values === 'string') {
      try {
        values = JSON.parse(values);
      } catch {
        throw new TaskFailure(task.id, `${task.id}: values must be a list or a JSON array, got ${JSON.stringify(raw).slice(0, 100)}`);
      }
    }
    if (!Array.isArray(values)) throw new TaskFailure(task.id, `${task.id}: values must be a list, got ${typeof values}`);
    const limit = Number(task.props.concurrencyLimit ?? 1);
    const outcome = await this.runConcurrently(
      values.map((value) => () => this.runList(task.children?.tasks ?? [], { parentTaskRunId: taskRunId, values: [...scope.values, value] })),
      limit,
    );
    return this.failWithChildren(task, outcome);
  }

  private runAssert(task: TaskSpec, scope: Scope, taskRunId: string) {
    const conditions = (task.props.conditions as unknown[]) ?? [];
    const failed: string[] = [];
    conditions.forEach((condition, i) => {
      const value = this.renderProp(condition, scope, taskRunId, task, `conditions[${i}]`);
      if (!truthy(value)) failed.push(typeof condition === 'string' ? condition : String(condition));
    });
    if (failed.length) {
      const custom = task.props.errorMessage ? `${String(this.renderProp(task.props.errorMessage, scope, taskRunId, task, 'errorMessage'))}: ` : '';
      throw new TaskFailure(task.id, `${task.id}: ${custom}${failed.length} of ${conditions.length} condition(s) false: ${failed.join('; ')}`);
    }
    return { outcome: 'SUCCESS' as Outcome, result: { failed: 0 } };
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

