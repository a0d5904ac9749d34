// `@baton/engine/ui`: what the web app's pages and live views need beyond the core services.
export * from './services/ui-queries';
export * from './services/execution-follow';
export * from './services/execution-feed';
export * from './services/execution-actions';
export * from './services/tenants';
export * from './services/limits';
