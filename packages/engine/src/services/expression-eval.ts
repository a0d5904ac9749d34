import { expressions, nestInputs, type FlowPlan, type TaskSpec } from '@baton/flow';
import { AppError } from './app-error';
import type { ExecutionService } from './executions';
import type { FlowService } from './flows';

/** The longest expression the debugger takes: it is for one expression, not a template file. */
export const EVAL_MAX_CHARS = 10_000;

interface TaskRunRow {
  id: string;
  taskId: string;
  parentTaskRunId: string | null;
  value: string | null;
  state: { current: string; startDate?: string };
  attempts?: unknown[];
  outputs?: Record<string, unknown>;
}

export interface EvalResult {
  /** Kestra's field: the rendered text. */
  result?: string;
  /** The value with its type (a template that is one expression keeps it). */
  value?: unknown;
  error?: string;
}

/**
 * Kestra's "debug expression" (POST /executions/{id}/eval/{taskRunId}): renders a template against
 * what a real execution holds, read from PostgreSQL — inputs, outputs of the task runs that
 * ended, variables, labels, the task and task run when one is given. Values are as stored, that
 * is masked; secret() and kv() are refused, so the debugger can never reveal what logs hide.
 */
export class ExpressionDebugService {
  constructor(
    private readonly executions: ExecutionService,
    private readonly flows: FlowService,
  ) {}

  async evaluate(tenant: string, executionId: string, taskRunId: string | undefined, template: string): Promise<EvalResult> {
    if (!template.trim()) throw new AppError('BAD_REQUEST', 'send the expression as the request body, e.g. {{ outputs.task_id.value }}');
    if (template.length > EVAL_MAX_CHARS) throw new AppError('TOO_LARGE', `an expression to debug is at most ${EVAL_MAX_CHARS} characters`);
    const execution = await this.executions.get(tenant, executionId);
    const runs = execution.taskRunList as TaskRunRow[];
    const run = taskRunId === undefined ? undefined : runs.find((r) => r.id === taskRunId);
    if (taskRunId !== undefined && !run) throw new AppError('NOT_FOUND', `task run ${taskRunId} is not part of execution ${executionId}`);
    let plan: FlowPlan | undefined;
    try {
      plan = await this.flows.plan({ tenant, namespace: execution.namespace, id: execution.flowId }, execution.flowRevision);
    } catch {
      plan = undefined; // a deleted flow: variables and task types are unknown, the rest still works
    }
    const context = this.context(execution, runs, run, plan);
    const refused = (name: string) => () => {
      throw new Error(`${name}() is not available in the expression debugger: it would show values that logs and outputs mask`);
    };
    try {
      const value = expressions.render(template, context, { functions: { secret: refused('secret'), kv: refused('kv'), credential: refused('credential') } });
      return { value, result: typeof value === 'string' ? value : JSON.stringify(value) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private context(execution: Awaited<ReturnType<ExecutionService['get']>>, runs: TaskRunRow[], run: TaskRunRow | undefined, plan: FlowPlan | undefined): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    const tasks: Record<string, unknown> = {};
    for (const r of runs) {
      if (r.value === null) tasks[r.taskId] = { state: r.state.current };
      else ((tasks[r.taskId] ??= {}) as Record<string, unknown>)[r.value] = { state: r.state.current };
      if (!['SUCCESS', 'WARNING'].includes(r.state.current) || !r.outputs || !Object.keys(r.outputs).length) continue;
      if (r.value === null) outputs[r.taskId] = r.outputs;
      else ((outputs[r.taskId] ??= {}) as Record<string, unknown>)[r.value] = r.outputs;
    }
    const labels = Object.fromEntries(execution.labels.map((l) => [l.key, l.value]));
    const spec = run && plan ? findTask(plan, run.taskId) : undefined;
    return {
      inputs: nestInputs((execution.inputs ?? {}) as Record<string, unknown>),
      outputs,
      vars: plan?.variables ?? {},
      labels,
      flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.flowRevision, tenantId: execution.tenantId },
      execution: { id: execution.id, startDate: execution.state.startDate, originalId: labels['system.replayOf'] ?? execution.id, state: execution.state.current },
      tasks,
      ...(run
        ? {
            task: { id: run.taskId, type: spec?.type ?? '' },
            taskrun: {
              id: run.id,
              startDate: run.state.startDate,
              value: run.value ?? undefined,
              attemptsCount: run.attempts?.length ?? 0,
              parentId: run.parentTaskRunId ?? undefined,
            },
          }
        : {}),
    };
  }
}

function findTask(plan: FlowPlan, taskId: string): TaskSpec | undefined {
  const walk = (list: TaskSpec[]): TaskSpec | undefined => {
    for (const t of list) {
      if (t.id === taskId) return t;
      for (const children of Object.values(t.children ?? {})) {
        const found = walk(children);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk([...plan.tasks, ...plan.errors, ...plan.finally]);
}
