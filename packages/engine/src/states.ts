/** Execution and task-run states, named as Kestra names them. */
export const STATES = [
  'CREATED', 'QUEUED', 'RESTARTED', 'RUNNING', 'PAUSED', 'RETRYING', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED', 'CANCELLED', 'SKIPPED',
] as const;
export type State = (typeof STATES)[number];

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const TERMINAL_STATES: ReadonlySet<State> = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED']);
/** States that hold a concurrency slot. PAUSED holds it, as in Kestra. */
export const ACTIVE_STATES: readonly State[] = ['RUNNING', 'PAUSED', 'RETRYING', 'KILLING'];

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state as State);
}

export interface StateHistory {
  state: State;
  date: string;
}
