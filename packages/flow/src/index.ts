export * from './flow-schema';
export * from './inputs';
export * from './json-schema';
export * from './model';
export * from './plugin-defaults';
export * from './validate';
export * from './yaml-source';
export * as expressions from './expressions';
export * from './plugin-defaults-document';
