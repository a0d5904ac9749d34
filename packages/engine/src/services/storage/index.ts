export * from './uris';
export * from './file-storage';
export * from './execution-files';
export * from './split-items';
export * from './for-each-item-files';
export * from './namespace-files';
export * from './s3-file-storage';
export * from './create-file-storage';
