// @baton/contract: the REST API's shapes, one definition for the engine, the web app, the CLI and
// the tests. zod only, so it is safe in browser bundles.
export * from './states';
export * from './views';
export * from './filters';
export * from './credential-types';
export * from './kill-switches';
export * from './blueprints';
