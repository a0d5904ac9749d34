// Declared compensation (docs/compensation.md). A task of `tasks` may declare `compensate:`, the
// tasks that undo it. Each such task that ends SUCCESS or WARNING is noted, in the order the
// tasks ended (side by side in a Parallel: the order they finished). When the execution's tasks
// fail, after the `errors` branch and before `finally`, the noted tasks are undone in reverse
// order: each compensation task is a task run of its own under one `_compensation` task run,
// whose end and outputs say what was undone. Nothing is undone after a kill or a cancel, and a
// kill during compensation stops it like any task (its runs end KILLED).
import type { TaskSpec } from '@baton/flow/model';
import type { State } from '../../states';
import { COMPENSATION_ASK_INPUTS, COMPENSATION_ASK_TASK_ID } from '../contracts';
import { CancelExecution, type TaskRunEvent } from './outcomes';
import type { Scheduler } from './scheduler';
import type { Scope } from './scope';

/** The task run that holds the compensation runs (not a task id a flow can use: ids start with a letter or digit). */
export const COMPENSATION_TASK_ID = '_compensation';

interface Undoable {
  task: TaskSpec;
  scope: Scope;
}

/** One compensation task run's end, as the `_compensation` outputs list it. */
interface Undone {
  /** The task undone and its ForEach value. */
  taskId: string;
  value?: string;
  /** The compensation task that ran. */
  by: string;
  state: State;
}

export class Compensation {
  private readonly done: Undoable[] = [];

  /** A task that ended SUCCESS or WARNING (or was kept by a restart): undone if the execution fails. */
  note(task: TaskSpec, scope: Scope) {
    if (task.compensate?.length) this.done.push({ task, scope });
  }

  /** What would be undone, most recent first (`create-vm`, `snapshot[web-1]`). */
  pending(): string[] {
    return [...this.done].reverse().map(({ task, scope }) => (scope.values.length ? `${task.id}[${String(scope.values.at(-1))}]` : task.id));
  }

  /** Runs after the tasks failed (and after `errors`): undoes what succeeded, most recent first. */
  async afterFailure(s: Scheduler): Promise<void> {
    const mode = s.input.plan.compensation?.mode ?? 'ON_FAILURE';
    if (mode === 'NEVER' || !this.done.length) return;
    const { life, fx } = s;
    const pending = this.pending();
    const undo = [...this.done].reverse();
    this.done.length = 0;
    const run: TaskRunEvent = {
      kind: 'taskRun',
      id: fx.uuid(),
      executionId: s.input.executionId,
      taskId: COMPENSATION_TASK_ID,
      seq: life.nextSeq(),
      state: 'RUNNING',
      at: life.at(),
    };
    // In `running`, so a kill records it KILLED with the compensation run it interrupted.
    life.running.set(run.id, run);
    await life.project([run, life.logEvent(run, 'INFO', `the execution failed: undoing ${pending.join(', ')} (most recent first)`)]);
    const under: Scope = { parentTaskRunId: run.id, values: [], parents: [{ taskId: COMPENSATION_TASK_ID }] };
    try {
      if (mode === 'ASK' && !(await this.approved(s, run, under, pending))) {
        life.running.delete(run.id);
        await life.project([{ ...run, state: 'SUCCESS', at: life.at(), outputs: { compensated: [], declined: pending } }]);
        return;
      }
      const undone: Undone[] = [];
      for (const { task, scope } of undo) {
        // The compensation runs with the undone task's loop values, so `outputs.x[taskrun.value]` reads its outputs.
        const childScope: Scope = { ...under, values: scope.values };
        for (const step of task.compensate ?? []) {
          const ended = await s.runTask(step, childScope);
          undone.push({ taskId: task.id, ...(scope.values.length ? { value: String(scope.values.at(-1)) } : {}), by: step.id, state: ended.outcome });
          // The next steps of this undo depend on this one; the other tasks' undos are independent.
          if (ended.outcome === 'FAILED') break;
        }
      }
      const failed = undone.filter((u) => u.state === 'FAILED');
      const error = failed.length ? `compensation failed: ${failed.map((u) => `${u.by} (undoing ${u.taskId})`).join(', ')}` : undefined;
      life.running.delete(run.id);
      await life.project([{ ...run, state: failed.length ? 'FAILED' : 'SUCCESS', at: life.at(), outputs: { compensated: undone }, ...(error ? { error } : {}) }]);
      // The execution stays FAILED either way; its error says when the undo did not complete.
      if (error) life.firstError = life.firstError ? `${life.firstError}; ${error}` : error;
    } catch (error) {
      if (error instanceof CancelExecution) {
        life.running.delete(run.id);
        await life.project([{ ...run, state: 'CANCELLED', at: life.at(), error: error.message }]);
      }
      throw error;
    }
  }

  /** `mode: ASK`: a Pause that lists what would be undone; resumed with `compensate: false` it undoes nothing. */
  private async approved(s: Scheduler, run: TaskRunEvent, under: Scope, pending: string[]): Promise<boolean> {
    const ask: TaskSpec = {
      id: COMPENSATION_ASK_TASK_ID,
      type: 'io.kestra.plugin.core.flow.Pause',
      pluginId: 'core.Pause',
      kind: 'flowable',
      description: `Undo ${pending.join(', ')}?`,
      props: {
        onResume: COMPENSATION_ASK_INPUTS,
      },
      activity: {},
    };
    await s.life.project([s.life.logEvent(run, 'INFO', `waiting for a person: resume with compensate=true to undo ${pending.join(', ')}, false to leave them`)]);
    await s.runTask(ask, under);
    const decided = s.vars.outputs[COMPENSATION_ASK_TASK_ID] as { onResume?: { compensate?: unknown } } | undefined;
    return decided?.onResume?.compensate !== false;
  }
}
