// Where a task runs: under which flowable task run, inside which ForEach iterations.

export interface Scope {
  parentTaskRunId?: string;
  /** Values of enclosing ForEach loops, outermost first. */
  values: unknown[];
  /** Enclosing flowable task runs, closest first (Kestra's `parents`). */
  parents?: { taskId: string; value?: string }[];
}

/** The scope of the top-level lists (tasks, errors, finally). */
export const ROOT: Scope = { values: [] };

/** The scope of a flowable's children: it becomes their closest parent. */
export function childScope(scope: Scope, run: { id: string; taskId: string; value?: string }, values = scope.values): Scope {
  return { parentTaskRunId: run.id, values, parents: [{ taskId: run.taskId, value: run.value }, ...(scope.parents ?? [])] };
}

/** A loop value as a task run's `value` and as a key of `outputs` and `tasks`. */
export function valueKey(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The closest ForEach value, as the task run's `value`. */
export function runValue(scope: Scope): string | undefined {
  const value = scope.values.length ? scope.values[scope.values.length - 1] : undefined;
  return value === undefined ? undefined : valueKey(value);
}
