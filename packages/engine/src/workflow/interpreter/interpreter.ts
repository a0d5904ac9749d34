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
      let outcome = (await scheduler.runList(plan.tasks, ROOT)).outcome;
      if (outcome === 'FAILED' && plan.errors.length) {
        // The errors branch runs after a failure; the execution stays FAILED whatever it does.
        await scheduler.runList(plan.errors, ROOT);
      }
      if (plan.finally.length) outcome = worst(outcome, (await scheduler.runList(plan.finally, ROOT)).outcome);
      const outputs = outcome === 'FAILED' ? {} : scheduler.vars.flowOutputs();
      return await life.finish(outcome, outputs);
    } catch (error) {
      if (this.fx.isCancellation(error)) return await life.killed();
      if (error instanceof CancelExecution) {
        life.firstError = error.message;
        return await life.finish('CANCELLED', {});
      }
      life.firstError ??= errorMessage(error);
      return await life.finish('FAILED', {});
    }
  }
}
