// The execution's own life: its state, the concurrency slot, projection batching, restart
// bookkeeping, the task runs in flight, and how it ends (finished or killed).
import type { FlowPlan, TaskSpec } from '@baton/flow/model';
import type { LogLevel, State } from '../../states';
import type { ExecutionInput, ExecutionResult, KillSwitchCancelSignal, ProjectionEvent, ResumeSignal } from '../contracts';
import { CancelExecution } from './outcomes';
import type { Effects } from './effects';
import type { TaskRunEvent } from './outcomes';
import type { SecretInputs } from './secret-inputs';
import type { Variables } from './variables';

function doneKey(taskId: string, value: string | undefined): string {
  return value === undefined ? taskId : `${taskId}\u0000${value}`;
}

export class Lifecycle {
  state: State = 'CREATED';
  /** The execution's error: the first failure that was not allowed. */
  firstError: string | undefined;
  /** Task runs started and not ended, recorded KILLED if the execution is killed. */
  readonly running = new Map<string, TaskRunEvent>();
  /** Resume signals not yet taken by a Pause. */
  readonly resumes: ResumeSignal[] = [];
  /**
   * A CANCEL kill switch reached the execution (its signal): no new task starts, a Pause or a
   * concurrency queue stops waiting, and the execution ends CANCELLED. The first switch counts.
   */
  switchCancel: KillSwitchCancelSignal | undefined;
  private seq = 0;
  private runningPending = false;
  /** The last task's activity ended the execution SUCCESS: finish() has nothing to write. */
  private endedByTask = false;
  /** Restart: task ids (with their loop value) that already succeeded and are not run again. */
  private readonly alreadyDone = new Set<string>();

  constructor(
    private readonly input: ExecutionInput,
    private readonly fx: Effects,
    /** SECRET inputs: masked in everything projected (rows the API reads). */
    private readonly secrets?: SecretInputs,
  ) {}

  /** Restart bookkeeping: sequence numbers continue, and what succeeded is kept (outputs too). */
  restore(vars: Variables) {
    const restart = this.input.restart;
    if (!restart) return;
    this.seq = restart.seqStart;
    const variableTasks = variableTaskTypes(this.input.plan);
    for (const run of restart.done) {
      this.alreadyDone.add(doneKey(run.taskId, run.value));
      if (run.outputs !== undefined) vars.restoreOutputs(run.taskId, run.value, run.outputs);
      // SetVariables/UnsetVariables that succeeded are not rerun: apply what they did again.
      const kind = variableTasks.get(run.taskId);
      if (kind === 'core.SetVariables' && run.outputs?.variables) vars.setVariables(run.outputs.variables as Record<string, unknown>, true);
      if (kind === 'core.UnsetVariables' && Array.isArray(run.outputs?.unset)) vars.unsetVariables(run.outputs.unset as string[], true);
    }
  }

  isDone(taskId: string, value: string | undefined): boolean {
    return this.alreadyDone.has(doneKey(taskId, value));
  }

  nextSeq(): number {
    return this.seq++;
  }

  at(): string {
    return new Date(this.fx.now()).toISOString();
  }

  /**
   * The execution runs. Without a concurrency limit, RUNNING is recorded with the first write the
   * execution makes anyway (see project()); acquireSlot has already recorded it otherwise.
   */
  start() {
    this.state = 'RUNNING';
    this.runningPending = !this.input.plan.concurrency;
  }

  /**
   * Whether the first activity should record RUNNING itself (runTask does, alongside its own
   * first write), sparing a projection round trip before the first task.
   */
  takeRunningPending(): boolean {
    const pending = this.runningPending;
    this.runningPending = false;
    return pending;
  }

  /**
   * Whether the execution's last task may end it (RunTaskInput.endExecutionOnSuccess): nothing
   * runs or is computed after it (no finally tasks, no flow outputs), no CANCEL switch arrived, and
   * its secrets need no masking in what it would write (a SUCCESS without outputs or error).
   */
  mayEndWithLastTask(): boolean {
    const { plan } = this.input;
    return !plan.finally.length && !plan.outputs.length && !this.switchCancel && !this.firstError;
  }

  /** The last task's activity ended the execution SUCCESS. */
  endedByLastTask() {
    this.endedByTask = true;
  }

  /** Writes projection events, first recording RUNNING if no write has done it yet. */
  async project(events: ProjectionEvent[]) {
    if (this.runningPending) {
      this.runningPending = false;
      events = [{ kind: 'execution', id: this.input.executionId, state: 'RUNNING', at: this.at() }, ...events];
    }
    await this.fx.project(this.secrets ? this.secrets.mask(events) : events);
  }

  /** Throws CancelExecution when a CANCEL switch arrived: checked before each task starts. */
  stopIfSwitchCancelled() {
    if (this.switchCancel) throw new CancelExecution(this.switchCancel.message);
  }

  async setState(state: State, extra: { outputs?: Record<string, unknown>; error?: string; killSwitch?: string } = {}) {
    this.state = state;
    await this.project([{ kind: 'execution', id: this.input.executionId, state, at: this.at(), ...extra }]);
  }

  logEvent(run: TaskRunEvent, level: LogLevel, message: string): ProjectionEvent {
    return { kind: 'log', executionId: this.input.executionId, taskRunId: run.id, taskId: run.taskId, level, message, at: this.at() };
  }

  /** Waits for a concurrency slot; false when the flow's behavior refuses this execution. */
  async waitForSlot(): Promise<boolean> {
    const { plan } = this.input;
    const { limit, behavior } = plan.concurrency!;
    const request = { executionId: this.input.executionId, tenant: this.input.tenant, namespace: plan.namespace, flowId: plan.id, limit };
    // acquireSlot atomically checks the count of active executions and marks this one RUNNING.
    // Slots are derived from execution states, so an execution that ends in any way (killed,
    // failed, cancelled) frees its slot: nothing can leak.
    if (await this.fx.acquireSlot(request)) return true;
    if (behavior !== 'QUEUE') {
      this.firstError = `concurrency limit of ${limit} reached for ${plan.namespace}.${plan.id} (behavior ${behavior})`;
      return false;
    }
    await this.setState('QUEUED');
    let delay = 250;
    for (;;) {
      await this.fx.sleep(delay);
      this.stopIfSwitchCancelled();
      if (await this.fx.acquireSlot(request)) return true;
      delay = Math.min(delay * 2, 2000);
    }
  }

  async finish(state: State, outputs: Record<string, unknown>): Promise<ExecutionResult> {
    // A CANCELLED end caused by a CANCEL switch records which one (executions.kill_switch_id).
    const killSwitch = state === 'CANCELLED' ? this.switchCancel?.switchId : undefined;
    if (state === 'SUCCESS' && this.endedByTask && !Object.keys(outputs).length) {
      // Already written by the last task's activity, in its own write: no final projection.
      this.state = state;
      return { state, outputs, error: undefined };
    }
    await this.setState(state, { outputs, error: state === 'SUCCESS' ? undefined : this.firstError, ...(killSwitch ? { killSwitch } : {}) });
    return { state, outputs, error: state === 'SUCCESS' ? undefined : this.firstError };
  }

  async killed(): Promise<ExecutionResult> {
    // The kill cancelled this execution; record it without being cancelled ourselves.
    return this.fx.nonCancellable(async () => {
      const at = this.at();
      const events: ProjectionEvent[] = [...this.running.values()].map((run) => ({ ...run, state: 'KILLED' as State, at }));
      events.push({ kind: 'execution', id: this.input.executionId, state: 'KILLED', at, error: 'killed' });
      this.state = 'KILLED';
      await this.project(events);
      return { state: 'KILLED' as State, outputs: {}, error: 'killed' };
    });
  }
}

/** Ids of the plan's SetVariables and UnsetVariables tasks, wherever they are nested. */
function variableTaskTypes(plan: FlowPlan): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (tasks: TaskSpec[]) => {
    for (const t of tasks) {
      if (t.pluginId === 'core.SetVariables' || t.pluginId === 'core.UnsetVariables') out.set(t.id, t.pluginId);
      for (const list of Object.values(t.children ?? {})) walk(list);
    }
  };
  walk([...plan.tasks, ...plan.errors, ...plan.finally]);
  return out;
}
