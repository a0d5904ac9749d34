// States and log levels are part of the wire contract (@baton/contract); the engine uses the same
// definitions, re-exported here for the engine's own modules.
export { ACTIVE_STATES, isTerminal, LOG_LEVELS, STATES, TERMINAL_STATES, type LogLevel, type State, type StateHistory } from '@baton/contract';
