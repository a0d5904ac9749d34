// Resource locks across executions (docs/locks.md): `locks: ["vm:{{ inputs.vm }}"]` on a task or a
// flow. The keys render here (in the workflow, like flowable properties), the acquireLocks
// activity takes all of them or none, and until it does the workflow polls on a durable timer,
// saying once per holder who it waits for. A lock belongs to an execution: one whose execution
// ended in any way (killed, failed, its workers gone and the workflow terminated) is free again,
// so nothing leaks; the explicit release only makes the key free sooner.
import type { TaskSpec } from '@baton/flow/model';
import { parseDuration } from '@baton/plugin-sdk/duration';
import type { ExecutionInput } from '../contracts';
import type { Effects } from './effects';
import type { Lifecycle } from './lifecycle';
import { errorMessage, TaskFailure, type TaskRunEvent } from './outcomes';
import type { Scope } from './scope';
import type { Variables } from './variables';

/** Without `lockTimeout`, a wait gives up after an hour. */
export const DEFAULT_LOCK_TIMEOUT = 'PT1H';
/** The execution itself holds the flow-level locks. */
export const EXECUTION_HOLDER = '';

const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 2000;

export class Locks {
  constructor(
    private readonly input: ExecutionInput,
    private readonly life: Lifecycle,
    private readonly vars: Variables,
    private readonly fx: Effects,
  ) {}

  /** The flow's `locks`, held until the execution ends. False when they could not be taken in time. */
  async takeFlowLocks(): Promise<boolean> {
    const { plan } = this.input;
    if (!plan.locks?.length) return true;
    let keys: string[];
    try {
      keys = plan.locks.map((key, i) => this.renderKey(this.vars.renderFlow(key, `locks[${i}]`)));
    } catch (error) {
      this.life.firstError = `flow locks: ${errorMessage(error)}`;
      return false;
    }
    const waited = await this.wait(keys, EXECUTION_HOLDER, plan.lockTimeout);
    if (waited) this.life.firstError = waited;
    return !waited;
  }

  /** A task's `locks`, taken before it runs; throws a TaskFailure after its lockTimeout. */
  async takeTaskLocks(task: TaskSpec, scope: Scope, run: TaskRunEvent): Promise<boolean> {
    if (!task.locks?.length) return false;
    let keys: string[];
    try {
      keys = task.locks.map((key) => this.renderKey(this.vars.render(key, scope, run.id, task, 'locks')));
    } catch (error) {
      throw new TaskFailure(task.id, `${task.id}: locks: ${errorMessage(error)}`);
    }
    const waited = await this.wait(keys, run.id, task.lockTimeout, run);
    if (waited) throw new TaskFailure(task.id, `${task.id}: ${waited}`);
    return true;
  }

  /** Gives a task's locks back once it ended. */
  async releaseTask(run: TaskRunEvent) {
    await this.fx.releaseLocks({ tenant: this.input.tenant, executionId: this.input.executionId, holder: run.id });
  }

  /** Gives every lock of the execution back (its end, a kill). Best effort: an ended execution's locks are free anyway. */
  async releaseAll() {
    if (!this.usesLocks()) return;
    try {
      await this.fx.releaseLocks({ tenant: this.input.tenant, executionId: this.input.executionId });
    } catch (error) {
      if (this.fx.isCancellation(error)) throw error;
    }
  }

  /** Whether the plan declares any lock (only such executions call the lock activities). */
  usesLocks(): boolean {
    const { plan } = this.input;
    if (plan.locks?.length) return true;
    const walk = (tasks: TaskSpec[]): boolean => tasks.some((t) => !!t.locks?.length || Object.values(t.children ?? {}).some(walk) || (t.compensate ? walk(t.compensate) : false));
    return walk(plan.tasks) || walk(plan.errors) || walk(plan.finally);
  }

  private renderKey(value: unknown): string {
    const key = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : JSON.stringify(value);
    if (!key) throw new Error('a lock key rendered empty');
    return key;
  }

  /** Polls until every key is taken; the reason when the timeout passed first. */
  private async wait(keys: string[], holder: string, timeout: string | undefined, run?: TaskRunEvent): Promise<string | undefined> {
    const { life, fx } = this;
    const timeoutText = timeout ?? DEFAULT_LOCK_TIMEOUT;
    const deadline = fx.now() + (parseDuration(timeoutText) ?? 3_600_000);
    const request = { tenant: this.input.tenant, executionId: this.input.executionId, holder, keys: [...new Set(keys)].sort(), ...(run ? { taskId: run.taskId } : {}) };
    let delay = FIRST_POLL_MS;
    let announced: string | undefined;
    for (;;) {
      const answer = await fx.acquireLocks(request);
      if (answer.acquired) {
        if (announced && run) await life.project([life.logEvent(run, 'INFO', `took lock ${request.keys.join(', ')}`)]);
        return undefined;
      }
      const waiting = `waiting for lock ${answer.key} held by execution ${answer.heldBy}`;
      // Said once per holder, as the task's log line (its task run row is written once it runs; no
      // task-run state means "waiting"); the execution's lockWaits say it meanwhile too.
      if (waiting !== announced && run) await life.project([life.logEvent(run, 'INFO', waiting)]);
      announced = waiting;
      const left = deadline - fx.now();
      if (left <= 0) return `lock ${answer.key} is still held by execution ${answer.heldBy} after ${timeoutText} (lockTimeout)`;
      await fx.sleep(Math.min(delay, left));
      life.stopIfSwitchCancelled();
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  }
}
