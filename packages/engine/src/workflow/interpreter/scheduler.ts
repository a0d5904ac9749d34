// Scheduling: task lists in order, task lists side by side, and the life of one task run (runIf,
// restart skip, runnable or flowable, how its end is recorded).
import type { TaskSpec } from '@baton/flow/model';
import { parseDuration } from '@baton/plugin-sdk/duration';
import type { State } from '../../states';
import { taskQueueFor, type ExecutionInput, type ProjectionEvent } from '../contracts';
import { toRetryPolicy } from '../retry-policy';
import { CANCEL_WAITS_FOR_SIBLINGS_PATCH, type Effects } from './effects';
import { Compensation } from './compensation';
import { runFlowable } from './flowables';
import type { Lifecycle } from './lifecycle';
import { Locks } from './locks';
import { CancelExecution, combine, errorMessage, KILL_GRACE_EXPIRED, SUCCEEDED, TaskFailure, truthy, type Outcome, type Result, type TaskEnd, type TaskRunEvent } from './outcomes';
import { runValue, type Scope } from './scope';
import type { Variables } from './variables';

export class Scheduler {
  /** Tasks that succeeded and declare `compensate` (docs/compensation.md). */
  readonly compensation = new Compensation();
  /** Resource locks of tasks and of the flow (docs/locks.md). */
  readonly locks: Locks;

  constructor(
    readonly input: ExecutionInput,
    readonly life: Lifecycle,
    readonly vars: Variables,
    readonly fx: Effects,
  ) {
    this.locks = new Locks(input, life, vars, fx);
  }

  /** Runs tasks in order; stops at the first failure that is not allowed. */
  async runList(tasks: TaskSpec[], scope: Scope): Promise<Result> {
    let result: Result = SUCCEEDED;
    for (const [i, task] of tasks.entries()) {
      // The execution's very last task, after nothing but successes, may end the execution itself.
      const last = tasks === this.input.plan.tasks && i === tasks.length - 1 && result.outcome === 'SUCCESS';
      result = combine(result, await this.runTask(task, scope, last));
      if (result.outcome === 'FAILED') return result;
    }
    return result;
  }

  /**
   * Runs thunks with at most `limit` at a time (0 = all). After a failure no new thunk starts and
   * the running ones finish (Kestra's Parallel and ForEach); the result is decided when all ended.
   */
  async runConcurrently(thunks: (() => Promise<Result>)[], limit: number): Promise<Result> {
    const width = limit > 0 ? Math.min(limit, thunks.length) : thunks.length;
    let next = 0;
    let result: Result = SUCCEEDED;
    // A lane ended by a cancel (a CANCEL kill switch, a rejected approval): no new thunk starts, the
    // running ones finish their current task, and the cancel goes up once every lane has stopped,
    // so the block never ends (nor the execution) while a sibling still runs (docs/kill-switch.md).
    let cancel: CancelExecution | undefined;
    const waitsForSiblings = this.fx.patched?.(CANCEL_WAITS_FOR_SIBLINGS_PATCH) ?? true;
    const lane = async () => {
      while (next < thunks.length && result.outcome !== 'FAILED' && !cancel) {
        const thunk = thunks[next++];
        try {
          // Read the shared result only after the await: other lanes update it meanwhile.
          const ended = await thunk();
          result = combine(result, ended);
        } catch (error) {
          if (!(error instanceof CancelExecution) || !waitsForSiblings) throw error;
          cancel ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: width }, lane));
    if (cancel) throw cancel;
    return result;
  }

  /** One task run, from CREATED to its end; a failure is returned (FAILED), never thrown. */
  async runTask(task: TaskSpec, scope: Scope, lastOfExecution = false): Promise<Result> {
    if (task.disabled) return SUCCEEDED;
    const { life, vars } = this;
    const value = runValue(scope);
    // A restarted execution keeps what succeeded (outputs were preloaded by Lifecycle.restore).
    if (life.isDone(task.id, value)) {
      // What succeeded before the restart is still undone if this run fails.
      this.compensation.note(task, scope);
      return SUCCEEDED;
    }
    // A CANCEL kill switch: the task that was running finished; the next one never starts.
    life.stopIfSwitchCancelled();
    const taskRunId = this.fx.uuid();
    const run: TaskRunEvent = {
      kind: 'taskRun',
      id: taskRunId,
      executionId: this.input.executionId,
      taskId: task.id,
      parentTaskRunId: scope.parentTaskRunId,
      value,
      seq: life.nextSeq(),
      state: 'CREATED',
      at: life.at(),
    };
    let locked = false;
    try {
      if (task.runIf !== undefined && !truthy(vars.render(task.runIf, scope, taskRunId, task, 'runIf'))) {
        vars.noteTaskState(task.id, run.value, 'SKIPPED');
        await life.project([{ ...run, state: 'SKIPPED', at: life.at() }]);
        return SUCCEEDED;
      }
      life.running.set(taskRunId, run);
      locked = await this.locks.takeTaskLocks(task, scope, run);
      const ended = task.kind === 'runnable' ? await this.runRunnable(task, scope, run, lastOfExecution) : await runFlowable(this, task, scope, run);
      life.running.delete(taskRunId);
      if (locked) await this.locks.releaseTask(run);
      vars.setOutput(task.id, scope, ended.result);
      // allowWarning (Kestra): a task that ends WARNING counts as SUCCESS.
      const outcome = task.allowWarning && ended.outcome === 'WARNING' ? 'SUCCESS' : ended.outcome;
      const state: State = outcome;
      vars.noteTaskState(task.id, run.value, state);
      this.compensation.note(task, scope);
      // Runnable tasks project their own SUCCESS from the activity (one write fewer per task).
      if (!(task.kind === 'runnable' && state === 'SUCCESS')) {
        await life.project([{ ...run, state, at: life.at(), outputs: ended.result, error: ended.error }]);
      }
      return { outcome };
    } catch (error) {
      life.running.delete(taskRunId);
      // A kill releases every lock of the execution at its end (Interpreter); here only a failure or a cancel.
      if (locked && !this.fx.isCancellation(error)) await this.locks.releaseTask(run);
      if (this.fx.isCancellation(error)) {
        // Recorded as KILLED by Lifecycle.killed(), with the reason when the task never stopped.
        const message = errorMessage(error);
        life.running.set(taskRunId, message.startsWith(KILL_GRACE_EXPIRED) ? { ...run, error: message } : run);
        throw error;
      }
      if (error instanceof CancelExecution) {
        // finally tasks may read a rejected approval's decision
        if (error.outputs) vars.setOutput(task.id, scope, error.outputs);
        vars.noteTaskState(task.id, run.value, 'CANCELLED');
        await life.project([{ ...run, state: 'CANCELLED', at: life.at(), error: error.message, ...(error.outputs ? { outputs: error.outputs } : {}) }]);
        throw error;
      }
      const message = error instanceof TaskFailure ? error.message : `${task.id}: ${errorMessage(error)}`;
      // allowFailure turns the failure into WARNING, and allowWarning that WARNING into SUCCESS.
      const allowed: State = task.allowWarning ? 'SUCCESS' : 'WARNING';
      const state: State = task.allowFailure ? allowed : 'FAILED';
      vars.noteTaskState(task.id, run.value, state);
      // The error passed up names the task that failed (Kestra's messages, such as "Task failure",
      // do not), so a parent and the execution say where it happened; a flowable failing because
      // of a child passes the child's error up as it is.
      const propagated = error instanceof TaskFailure && error.logged;
      const named = propagated || message.startsWith(`${task.id}:`) ? message : `${task.id}: ${message}`;
      if (!task.allowFailure) life.firstError ??= named;
      const outputs = error instanceof TaskFailure ? error.outputs : undefined;
      if (outputs) vars.setOutput(task.id, scope, outputs);
      const events: ProjectionEvent[] = [{ ...run, state, at: life.at(), error: message, ...(outputs ? { outputs } : {}) }];
      // Runnable tasks log their own failure from the activity; a flowable's is logged here.
      if (task.kind !== 'runnable' && !(error instanceof TaskFailure && error.logged)) events.unshift(life.logEvent(run, 'ERROR', message));
      await life.project(events);
      return task.allowFailure ? { outcome: allowed as Outcome } : { outcome: 'FAILED', error: named };
    }
  }

  /** A runnable task: one activity, retried by Temporal according to the task's retry. */
  private async runRunnable(task: TaskSpec, scope: Scope, run: TaskRunEvent, lastOfExecution: boolean): Promise<TaskEnd> {
    const { plan } = this.input;
    const warnsOnRetry = (task.retry ?? plan.retry)?.warningOnRetry === true;
    // Its SUCCESS would end the execution SUCCESS with no outputs: the activity may write that too.
    const endExecutionOnSuccess = lastOfExecution && !warnsOnRetry && this.life.mayEndWithLastTask();
    // Flows speak ISO-8601 (PT10M); Temporal takes milliseconds.
    const timeout = task.timeout ?? task.activity.timeout ?? 'PT1H';
    const timeoutMs = parseDuration(timeout) ?? 3_600_000;
    const { policy, maxDurationMs } = toRetryPolicy(task, plan.retry);
    const result = await this.fx.runTask(
      {
        tenant: this.input.tenant,
        executionId: this.input.executionId,
        taskRunId: run.id,
        parentTaskRunId: run.parentTaskRunId,
        seq: run.seq,
        task: { id: task.id, type: task.type, pluginId: task.pluginId, props: task.props, timeout: task.timeout, logLevel: task.logLevel },
        context: this.vars.forActivity(task, scope, run),
        timeoutMs,
        markExecutionRunning: this.life.takeRunningPending(),
        ...(endExecutionOnSuccess ? { endExecutionOnSuccess } : {}),
        ...(this.vars.secretValues() ? { secretValues: this.vars.secretValues() } : {}),
      },
      {
        taskQueue: taskQueueFor(task.workerGroup),
        startToCloseTimeoutMs: timeoutMs,
        scheduleToCloseTimeoutMs: maxDurationMs,
        heartbeatTimeoutMs: parseDuration(task.activity.heartbeatTimeout ?? 'PT30S'),
        retry: policy,
      },
    );
    if (result.executionEnded) this.life.endedByLastTask();
    // warningOnRetry: a success that needed retries is worth a look, so it ends in WARNING.
    const retried = result.attempt > 1 && warnsOnRetry;
    // A task may end WARNING on its own (a script that wrote to stderr: warningOnStdErr).
    const warning = result.warning ? `${task.id}: ${result.warning}` : retried ? `${task.id}: succeeded on attempt ${result.attempt} (warningOnRetry)` : undefined;
    return {
      outcome: warning ? 'WARNING' : 'SUCCESS',
      result: result.outputs,
      error: warning,
    };
  }
}
