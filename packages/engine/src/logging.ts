// Baton's own process logs: one JSON line per event (pino), so they can be searched and shipped.
// Lines about an execution carry its ids as fields (`executionId`, `taskRunId`, `taskId`), never
// only inside the message. Task logs that users see are different: those are rows in `logs`.
import pino, { type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export const LOG_LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type ProcessLogLevel = (typeof LOG_LEVEL_NAMES)[number];

/** A process's root logger; `name` is the process (web, worker, simulators). */
export function createLogger(name: string, level: ProcessLogLevel = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { name },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The level as its name ("warn"), which reads better than pino's number in a terminal.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** The ids that tie a line to an execution, as log fields. */
export interface ExecutionLogFields {
  executionId: string;
  taskRunId?: string;
  taskId?: string;
  attempt?: number;
}

/** A child logger whose every line carries the execution's ids. */
export function executionLogger(log: Logger, fields: ExecutionLogFields): Logger {
  return log.child(fields);
}
