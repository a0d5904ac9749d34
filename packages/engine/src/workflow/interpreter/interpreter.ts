// The interpreter of a flow plan: runs tasks, then errors, then finally, and ends the execution.
// It reaches the outside world only through Effects, so it runs on Temporal (../execution-workflow.ts)
// and in unit tests alike.
import type { State } from '../../states';
import type { ExecutionInput, ExecutionResult, KillSwitchCancelSignal, ResumeSignal } from '../contracts';
import type { Effects } from './effects';
import { Lifecycle } from './lifecycle';
import { CancelExecution, errorMessage, worst } from './outcomes';
import { Scheduler } from './scheduler';
import { ROOT } from './scope';
import { SecretInputs } from './secret-inputs';
import { Variables } from './variables';

export class Interpreter {
  private readonly life: Lifecycle;
  private readonly scheduler: Scheduler;

  constructor(
    private readonly input: ExecutionInput,
    private readonly fx: Effects,
  ) {
    const secrets = new SecretInputs(input);
    this.life = new Lifecycle(input, fx, secrets);
    const startDate = new Date(fx.now()).toISOString();
    const vars = new Variables(
      input,
      startDate,
      () => this.life.state,
      () => this.life.at(),
      secrets,
    );
    this.life.restore(vars);
    this.scheduler = new Scheduler(input, this.life, vars, fx);
  }

  /** The resume signal: kept until a Pause takes it. */
  resume(signal: ResumeSignal) {
    this.life.resumes.push(signal);
  }

  /** A CANCEL kill switch's signal: kept (the first one) and acted on before the next task starts. */
  cancelBySwitch(signal: KillSwitchCancelSignal) {
    this.life.switchCancel ??= signal;
  }

  /** The status query. */
  status(): { state: State; running: string[] } {
    return { state: this.life.state, running: [...this.life.running.values()].map((r) => r.taskId) };
  }

  async run(): Promise<ExecutionResult> {
    const { life, scheduler } = this;
    const plan = this.input.plan;
    try {
      if (plan.concurrency && !(await life.waitForSlot())) {
        return await life.finish(plan.concurrency.behavior === 'FAIL' ? 'FAILED' : 'CANCELLED', {});
      }
      life.start();
      if (!(await scheduler.locks.takeFlowLocks())) return await this.end('FAILED', {});
      let outcome = (await scheduler.runList(plan.tasks, ROOT)).outcome;
      if (outcome === 'FAILED' && plan.errors.length) {
        // The errors branch runs after a failure; the execution stays FAILED whatever it does.
        await scheduler.runList(plan.errors, ROOT);
      }
      // Then what succeeded is undone (docs/compensation.md: after errors, before finally).
      if (outcome === 'FAILED') await scheduler.compensation.afterFailure(scheduler);
      if (plan.finally.length) outcome = worst(outcome, (await scheduler.runList(plan.finally, ROOT)).outcome);
      const outputs = outcome === 'FAILED' ? {} : scheduler.vars.flowOutputs();
      return await this.end(outcome, outputs);
    } catch (error) {
      if (this.fx.isCancellation(error)) {
        const killed = await life.killed();
        await this.fx.nonCancellable(() => scheduler.locks.releaseAll());
        return killed;
      }
      if (error instanceof CancelExecution) {
        life.firstError = error.message;
        return await this.end('CANCELLED', {});
      }
      life.firstError ??= errorMessage(error);
      return await this.end('FAILED', {});
    }
  }

  /** Ends the execution, then gives its locks back (only flows that declare locks call the activity). */
  private async end(state: 'SUCCESS' | 'WARNING' | 'FAILED' | 'CANCELLED', outputs: Record<string, unknown>): Promise<ExecutionResult> {
    const result = await this.life.finish(state, outputs);
    await this.scheduler.locks.releaseAll();
    return result;
  }
}
