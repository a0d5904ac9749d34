export * from './conditions';
export * from './ids';
export * from './store';
export * from './fire';
export * from './schedules';
export * from './flow-triggers';
export * from './webhooks';
export * from './triggers';
