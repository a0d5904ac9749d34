export * from './uris';
export * from './file-storage';
export * from './execution-files';
