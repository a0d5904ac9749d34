// One owner of execution state: the state machine as data (execution-states.ts), its transitions
// as SQL (transitions.ts) and the log writers (logs.ts). Nothing else writes these rows' states.
export * from './execution-states';
export * from './transitions';
export * from './logs';
export * from './locks';
