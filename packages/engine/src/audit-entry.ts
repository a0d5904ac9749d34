// `@baton/engine/audit`: the append-only audit log and its retention job.
export * from './services/audit';
export * from './services/audit-retention';
