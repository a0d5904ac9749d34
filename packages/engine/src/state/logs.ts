// Log lines: the other rows an execution writes while it runs. Both writers are idempotent, so a
// retried activity or projection never doubles a line.
import type { Db } from '@baton/db';
import type { LogLevel } from '../states';
import type { Sql } from './transitions';

/**
 * A log line from the workflow. Workflow lines use attempt 0 (activities number theirs from 1) and
 * are numbered after the lines already there; the (execution, task run, attempt, message,
 * timestamp) check makes a retried projection write the line once.
 */
export async function appendWorkflowLog(db: Sql, e: { executionId: string; taskRunId: string; taskId: string; level: LogLevel; message: string; at: string }): Promise<void> {
  await db.$executeRaw`
    INSERT INTO logs (execution_id, task_run_id, task_id, attempt, seq, level, message, timestamp)
    SELECT ${e.executionId}, ${e.taskRunId}, ${e.taskId}, 0,
           coalesce((SELECT max(seq) + 1 FROM logs WHERE execution_id = ${e.executionId} AND task_run_id = ${e.taskRunId} AND attempt = 0), 0),
           ${e.level}, ${e.message}, (${e.at}::timestamptz AT TIME ZONE 'UTC')
    WHERE NOT EXISTS (SELECT 1 FROM logs WHERE execution_id = ${e.executionId} AND task_run_id = ${e.taskRunId} AND attempt = 0
                      AND message = ${e.message} AND timestamp = (${e.at}::timestamptz AT TIME ZONE 'UTC'))
    ON CONFLICT DO NOTHING`;
}

export interface AttemptLogLine {
  seq: number;
  level: string;
  /** Already masked by the caller. */
  message: string;
  timestamp: Date;
}

/**
 * A batch of an attempt's lines (runTask's LogWriter). Lines are numbered per attempt and
 * (execution, task run, attempt, seq) is unique, so a retried flush never duplicates a line.
 */
export async function appendAttemptLogs(db: Db, attempt: { executionId: string; taskRunId: string; taskId: string; attempt: number }, lines: AttemptLogLine[]): Promise<void> {
  if (!lines.length) return;
  await db.logEntry.createMany({
    data: lines.map((line) => ({ ...attempt, ...line })),
    skipDuplicates: true,
  });
}
