// The one place that turns the storage configuration (BATON_STORAGE, storage-env.ts) into a
// backend: the worker and the web app call it with the same configuration.
import type { StorageConfig } from '../../storage-env';
import { LocalFileStorage, type FileStorage } from './file-storage';
import { S3FileStorage } from './s3-file-storage';

export function createFileStorage(config: StorageConfig): FileStorage {
  return config.kind === 's3' ? new S3FileStorage(config) : new LocalFileStorage(config.dir);
}
