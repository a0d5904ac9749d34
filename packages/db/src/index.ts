export { getDb, disconnectAll, type Db } from './client';
export { migrate } from './migrate';
export { Prisma } from './generated/client';
export type { Flow, FlowRevision, FlowTrigger, Execution, TaskRun, LogEntry, Secret, KillSwitch } from './generated/client';
export { ExecutionChangeListener, EXECUTION_CHANGES_CHANNEL, EXECUTION_KILLS_CHANNEL } from './change-listener';
