export * from './app-schema';
export * from './parse-app';
export * from './stages';
export * from './json-schema';
