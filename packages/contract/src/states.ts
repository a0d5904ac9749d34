import { z } from 'zod';

/** Execution and task-run states, named as Kestra names them. The one list of them. */
export const STATES = ['CREATED', 'QUEUED', 'RESTARTED', 'RUNNING', 'PAUSED', 'RETRYING', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED', 'CANCELLED', 'SKIPPED'] as const;
export const StateSchema = z.enum(STATES);
export type State = z.infer<typeof StateSchema>;

/** States an execution or a task run never leaves (except by a restart, which starts a new run). */
export const TERMINAL_STATES: ReadonlySet<State> = new Set<State>(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED']);
/** The terminal states as a list, in display order. */
export const TERMINAL_STATE_LIST: readonly State[] = STATES.filter((s) => TERMINAL_STATES.has(s));
/** States that hold a concurrency slot. PAUSED holds it, as in Kestra. */
export const ACTIVE_STATES: readonly State[] = ['RUNNING', 'PAUSED', 'RETRYING', 'KILLING'];

export function isTerminal(state: string | undefined | null): boolean {
  return !!state && TERMINAL_STATES.has(state as State);
}

export function isState(value: string): value is State {
  return (STATES as readonly string[]).includes(value);
}

/** Log levels, lowest first (a level filter keeps this level and those after it). */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
