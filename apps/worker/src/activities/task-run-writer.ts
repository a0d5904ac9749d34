import type { Db } from '@baton/db';
import { recordAttempt as writeAttempt, type AttemptState, type RunTaskInput } from '@baton/engine';

interface AttemptRecord {
  state: AttemptState;
  startedAt: Date;
  endedAt?: Date;
  error?: string;
  outputs?: Record<string, unknown>;
  renderedProps?: Record<string, unknown>;
  /** The RUNNING write never happened (a quick task): record RUNNING in the history now. */
  runningSkipped?: boolean;
}

/**
 * Records one attempt of a runnable task on its task run through the engine's `recordAttempt`
 * transition (one SQL upsert; what the attempt makes of the task run is decided there).
 */
export async function recordAttempt(
  db: Db,
  input: RunTaskInput,
  attempt: number,
  record: AttemptRecord,
  /** Masks secrets in the loop value (a ForEach value may derive from a SECRET input). */
  maskText: (text: string) => string = (text) => text,
): Promise<void> {
  const value = input.context.taskrun.value;
  await writeAttempt(db, {
    id: input.taskRunId,
    executionId: input.executionId,
    taskId: input.task.id,
    parentTaskRunId: input.parentTaskRunId,
    value: value === undefined ? undefined : maskText(typeof value === 'string' ? value : JSON.stringify(value)),
    seq: input.seq,
    attempt,
    state: record.state,
    startedAt: record.startedAt.toISOString(),
    endedAt: record.endedAt?.toISOString(),
    error: record.error,
    outputs: record.outputs,
    renderedProps: record.renderedProps,
    runningSkipped: record.runningSkipped,
  });
}
