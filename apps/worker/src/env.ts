// The worker's configuration, read once. Nothing else in the worker reads process.env.
import path from 'node:path';

export interface WorkerEnv {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  dataDir: string;
  /** Extra task queues: `BATON_WORKER_GROUPS=hypervisor-a,dc2` serves baton.hypervisor-a and baton.dc2. */
  workerGroups: string[];
  /** Also serve the default queue (set BATON_WORKER_DEFAULT_QUEUE=false for a group-only worker). */
  serveDefaultQueue: boolean;
  /** Instance-wide plugin defaults file (YAML or JSON list). */
  pluginDefaultsFile?: string;
  /** BATON_ENCRYPTION_KEY (base64, 32 bytes): encrypts Temporal payloads and stored secrets. */
  encryptionKey: string;
  /** BATON_ENCRYPTION_KEYS_OLD: comma-separated keys that still decrypt after a rotation. */
  encryptionKeysOld?: string;
  /** Internal storage (FILE inputs, task files): BATON_STORAGE_DIR, or storage/ in the data dir (as the web app reads it). */
  storageDir: string;
}

export function readWorkerEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const missing = ['DATABASE_URL', 'TEMPORAL_ADDRESS'].filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(`Missing ${missing.join(', ')}. Run the worker through \`npm start\`, which sets them, or set them yourself.`);
  }
  return {
    databaseUrl: env.DATABASE_URL!,
    temporalAddress: env.TEMPORAL_ADDRESS!,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    dataDir: path.resolve(env.BATON_DATA_DIR ?? '.baton'),
    workerGroups: (env.BATON_WORKER_GROUPS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    serveDefaultQueue: env.BATON_WORKER_DEFAULT_QUEUE !== 'false',
    pluginDefaultsFile: env.BATON_PLUGIN_DEFAULTS,
    encryptionKey: env.BATON_ENCRYPTION_KEY ?? '',
    encryptionKeysOld: env.BATON_ENCRYPTION_KEYS_OLD,
    storageDir: path.resolve(env.BATON_STORAGE_DIR || path.join(env.BATON_DATA_DIR ?? '.baton', 'storage')),
  };
}
