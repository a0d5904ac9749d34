import type { Db } from '@baton/db';
import type { RenderContext } from '@baton/engine';

/** One line of Kestra's errorLogs(): the fields of its LogEntry that Baton has. */
export interface ErrorLogEntry {
  tenantId: string;
  namespace: string;
  flowId: string;
  executionId: string;
  taskId: string | null;
  taskRunId: string | null;
  attemptNumber: number;
  timestamp: string;
  level: 'ERROR';
  message: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Kestra's errorLogs(): the execution's ERROR log lines, oldest first, read from PostgreSQL (so
 * only in activities, as in Kestra only on the worker). The lines of the task that just failed
 * may still be on their way, so an empty answer is asked again for up to two seconds, as Kestra
 * retries for five. Lines are stored masked: no secret comes back through here.
 */
export async function fetchErrorLogs(db: Db, tenant: string, context: RenderContext): Promise<ErrorLogEntry[]> {
  const executionId = context.execution.id;
  for (let waited = 0; ; waited += 200) {
    const rows = await db.$queryRaw<{ task_id: string | null; task_run_id: string | null; attempt: number; timestamp: Date; message: string }[]>`
      SELECT task_id, task_run_id, attempt, timestamp, message FROM logs
      WHERE execution_id = ${executionId} AND level = 'ERROR' ORDER BY timestamp, seq LIMIT 1000`;
    if (rows.length || waited >= 2000) {
      return rows.map((r) => ({
        tenantId: tenant,
        namespace: context.flow.namespace,
        flowId: context.flow.id,
        executionId,
        taskId: r.task_id,
        taskRunId: r.task_run_id,
        attemptNumber: r.attempt,
        timestamp: r.timestamp.toISOString(),
        level: 'ERROR',
        message: r.message,
      }));
    }
    await sleep(200);
  }
}
