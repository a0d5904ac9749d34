import type { Db } from '@baton/db';
import { appendHistory, isTerminal, type RunTaskInput } from '@baton/engine';

interface AttemptRecord {
  state: 'RUNNING' | 'SUCCESS' | 'FAILED' | 'KILLED';
  startedAt: Date;
  endedAt?: Date;
  error?: string;
  outputs?: Record<string, unknown>;
  renderedProps?: Record<string, unknown>;
  /** Success ends the task run here, saving the workflow a projection round trip. */
  final?: boolean;
}

interface AttemptJson {
  attempt: number;
  state: { current: string; startDate: string; endDate?: string };
  error?: string;
}

/**
 * Records one attempt of a runnable task on its task run, creating the task run on the first
 * attempt. Idempotent per (task run, attempt): a retried write replaces the same entry.
 */
export async function recordAttempt(db: Db, input: RunTaskInput, attempt: number, record: AttemptRecord): Promise<void> {
  const existing = await db.taskRun.findUnique({ where: { id: input.taskRunId }, select: { state: true, histories: true, attempts: true } });
  if (existing && isTerminal(existing.state)) return; // killed or ended meanwhile: never resurrect
  const at = (record.endedAt ?? record.startedAt).toISOString();
  const runState = record.state === 'RUNNING' ? 'RUNNING' : record.state === 'SUCCESS' ? 'SUCCESS' : record.state === 'KILLED' ? 'KILLING' : 'RETRYING';
  const attempts = ((existing?.attempts as unknown as AttemptJson[]) ?? []).filter((a) => a.attempt !== attempt);
  attempts.push({
    attempt,
    state: { current: record.state, startDate: record.startedAt.toISOString(), endDate: record.endedAt?.toISOString() },
    ...(record.error ? { error: record.error } : {}),
  });
  attempts.sort((a, b) => a.attempt - b.attempt);
  const data = {
    state: runState,
    histories: appendHistory(existing?.histories, runState, at) as object,
    attempts: attempts as unknown as object,
    ...(record.outputs ? { outputs: record.outputs as object } : {}),
    ...(record.renderedProps ? { renderedProps: record.renderedProps as object } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.final ? { endedAt: record.endedAt } : {}),
  };
  await db.taskRun.upsert({
    where: { id: input.taskRunId },
    create: {
      id: input.taskRunId,
      executionId: input.executionId,
      taskId: input.task.id,
      parentTaskRunId: input.parentTaskRunId ?? null,
      value: input.context.taskrun.value === undefined ? null : typeof input.context.taskrun.value === 'string' ? input.context.taskrun.value : JSON.stringify(input.context.taskrun.value),
      seq: input.seq,
      startedAt: record.startedAt,
      ...data,
    },
    update: data,
  });
}
