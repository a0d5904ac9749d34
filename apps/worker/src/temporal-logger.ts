// The Temporal SDK's log lines, written by Baton's logger. The SDK's metadata names the workflow
// (its id is the execution id) and the activity; they become the same fields Baton's own lines use.
import type { Logger } from '@baton/engine';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';

const RANK: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** Fields of a Baton log line from the SDK's metadata (workflowId → executionId, …). */
export function fieldsOf(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const { workflowId, activityType, activityId, attempt, taskQueue, ...rest } = meta as Record<string, unknown>;
  return {
    ...(workflowId ? { executionId: workflowId } : {}),
    ...(activityType ? { activityType } : {}),
    ...(activityId ? { activityId } : {}),
    ...(attempt !== undefined ? { attempt } : {}),
    ...(taskQueue ? { taskQueue } : {}),
    ...rest,
  };
}

/** A Temporal `Logger` that writes through `log`, keeping lines at `minimum` and above (WARN: the SDK's INFO is chatty). */
export function temporalLogger(log: Logger, minimum: LogLevel = 'WARN'): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    if (RANK[level] < RANK[minimum]) return;
    const fields = { source: 'temporal', ...fieldsOf(meta) };
    if (level === 'ERROR') log.error(fields, message);
    else if (level === 'WARN') log.warn(fields, message);
    else if (level === 'INFO') log.info(fields, message);
    else log.debug(fields, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
