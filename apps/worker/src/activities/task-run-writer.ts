import type { Db } from '@baton/db';
import { upsertTaskRun, type RunTaskInput } from '@baton/engine';

interface AttemptRecord {
  state: 'RUNNING' | 'SUCCESS' | 'FAILED' | 'KILLED';
  startedAt: Date;
  endedAt?: Date;
  error?: string;
  outputs?: Record<string, unknown>;
  renderedProps?: Record<string, unknown>;
  /** The RUNNING write never happened (a quick task): record RUNNING in the history now. */
  runningSkipped?: boolean;
}

/**
 * Records one attempt of a runnable task on its task run (one SQL upsert), creating the task run
 * on the first attempt. A successful attempt also ends the task run, saving the workflow a
 * projection round trip; a failed one leaves it RETRYING until the workflow records the outcome.
 */
export async function recordAttempt(
  db: Db,
  input: RunTaskInput,
  attempt: number,
  record: AttemptRecord,
  /** Masks secrets in the loop value (a ForEach value may derive from a SECRET input). */
  maskText: (text: string) => string = (text) => text,
): Promise<void> {
  const at = (record.endedAt ?? record.startedAt).toISOString();
  const state = record.state === 'RUNNING' ? 'RUNNING' : record.state === 'SUCCESS' ? 'SUCCESS' : record.state === 'KILLED' ? 'KILLING' : 'RETRYING';
  const value = input.context.taskrun.value;
  await upsertTaskRun(db, {
    id: input.taskRunId,
    executionId: input.executionId,
    taskId: input.task.id,
    parentTaskRunId: input.parentTaskRunId,
    value: value === undefined ? undefined : maskText(typeof value === 'string' ? value : JSON.stringify(value)),
    seq: input.seq,
    state,
    at,
    startedAt: record.startedAt.toISOString(),
    outputs: record.outputs,
    renderedProps: record.renderedProps,
    error: record.error,
    priorStates: record.runningSkipped && state !== 'RUNNING' ? [{ state: 'RUNNING', date: record.startedAt.toISOString() }] : undefined,
    attempt: {
      attempt,
      state: { current: record.state, startDate: record.startedAt.toISOString(), endDate: record.endedAt?.toISOString() },
      ...(record.error ? { error: record.error } : {}),
    },
  });
}
