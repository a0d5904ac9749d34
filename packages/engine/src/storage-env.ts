// Where internal storage lives, read from the environment: the same variables and rules for the
// worker and the web app, which must agree (one writes the files the other serves).
//   BATON_STORAGE=local (default)  files under BATON_STORAGE_DIR, or storage/ in BATON_DATA_DIR
//   BATON_STORAGE=s3               an S3-compatible bucket: BATON_STORAGE_S3_* below
import path from 'node:path';
import { z } from 'zod';
import { EnvError, parseEnv, unsetIfEmpty } from './env-schema';

export type StorageConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      endpoint?: string;
      bucket: string;
      region: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
      prefix: string;
    };

const optional = z.preprocess(unsetIfEmpty, z.string().optional());

/** The storage variables, to spread into a process's env schema (each checked on its own). */
export const storageEnvFields = {
  BATON_STORAGE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['local', 's3'], { error: 'is not a storage: use local (the default, files on disk) or s3 (an S3-compatible bucket, see BATON_STORAGE_S3_*)' }).default('local'),
  ),
  BATON_STORAGE_DIR: optional,
  BATON_STORAGE_S3_ENDPOINT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().replace(/\/+$/, '') : undefined),
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'is not a URL: use the S3 API address, such as http://minio.internal:9000 (leave it unset for AWS S3)')
      .optional(),
  ),
  BATON_STORAGE_S3_BUCKET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a bucket name: 3 to 63 lower-case letters, digits, dots and dashes')
      .optional(),
  ),
  BATON_STORAGE_S3_REGION: optional,
  BATON_STORAGE_S3_ACCESS_KEY_ID: optional,
  BATON_STORAGE_S3_SECRET_ACCESS_KEY: optional,
  BATON_STORAGE_S3_PATH_STYLE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  BATON_STORAGE_S3_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[\w.-]+(\/[\w.-]+)*\/?$/, "is not a key prefix: letters, digits, . _ - separated by '/', such as baton/ (no leading slash, no '..')")
      .refine((v) => !v.split('/').some((s) => s === '..' || s === '.'), "has '.' or '..' segments")
      .optional(),
  ),
};

type StorageEnv = z.output<z.ZodObject<typeof storageEnvFields>>;

/** The rules between the variables, on the raw environment (so they are reported with the others). */
export function storageEnvProblems(env: Record<string, string | undefined>): { variable: string; message: string }[] {
  const has = (k: string) => Boolean(env[k]?.trim());
  const problems: { variable: string; message: string }[] = [];
  const s3 = env.BATON_STORAGE?.trim().toLowerCase() === 's3';
  if (s3 && !has('BATON_STORAGE_S3_BUCKET')) {
    problems.push({ variable: 'BATON_STORAGE_S3_BUCKET', message: 'is not set, and BATON_STORAGE=s3 needs it: the bucket that holds the files (create it first)' });
  }
  if (has('BATON_STORAGE_S3_ACCESS_KEY_ID') !== has('BATON_STORAGE_S3_SECRET_ACCESS_KEY')) {
    const set = has('BATON_STORAGE_S3_ACCESS_KEY_ID') ? 'BATON_STORAGE_S3_ACCESS_KEY_ID' : 'BATON_STORAGE_S3_SECRET_ACCESS_KEY';
    problems.push({ variable: set, message: `only ${set} is set: the access key id and secret go together (or set neither, for the AWS SDK's default credentials)` });
  }
  if (!s3) {
    const stray = Object.keys(env).filter((k) => k.startsWith('BATON_STORAGE_S3_') && has(k));
    if (stray.length)
      problems.push({
        variable: stray[0],
        message: `${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but BATON_STORAGE is not s3: set BATON_STORAGE=s3 to use the bucket, or unset them`,
      });
  }
  return problems;
}

/** The checked configuration (call after parseEnv and storageEnvProblems found nothing). */
export function storageConfigFrom(e: StorageEnv, dataDir: string | undefined): StorageConfig {
  if (e.BATON_STORAGE === 's3') {
    const prefix = e.BATON_STORAGE_S3_PREFIX ?? '';
    return {
      kind: 's3',
      endpoint: e.BATON_STORAGE_S3_ENDPOINT,
      bucket: e.BATON_STORAGE_S3_BUCKET!,
      region: e.BATON_STORAGE_S3_REGION?.trim() || 'us-east-1',
      accessKeyId: e.BATON_STORAGE_S3_ACCESS_KEY_ID,
      secretAccessKey: e.BATON_STORAGE_S3_SECRET_ACCESS_KEY,
      // Path style unless told otherwise when an endpoint is set: what self-hosted servers answer.
      forcePathStyle: e.BATON_STORAGE_S3_PATH_STYLE ? e.BATON_STORAGE_S3_PATH_STYLE === 'true' : Boolean(e.BATON_STORAGE_S3_ENDPOINT),
      prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    };
  }
  return { kind: 'local', dir: path.resolve(e.BATON_STORAGE_DIR || path.join(dataDir || '.baton', 'storage')) };
}

/** Where files are, said without secrets (start-up logs). */
export function describeStorage(config: StorageConfig): string {
  return config.kind === 'local' ? `local disk ${config.dir}` : `S3 bucket ${config.bucket}${config.prefix ? ` (prefix ${config.prefix})` : ''} at ${config.endpoint ?? 'AWS S3'}`;
}

/** The storage configuration of an environment on its own (tests, scripts); EnvError when it is not valid. */
export function readStorageConfig(env: Record<string, string | undefined>): StorageConfig {
  const problems = storageEnvProblems(env);
  let e: StorageEnv;
  try {
    e = parseEnv(z.object(storageEnvFields), env);
  } catch (error) {
    throw error instanceof EnvError ? new EnvError([...error.problems, ...problems]) : error;
  }
  if (problems.length) throw new EnvError(problems);
  return storageConfigFrom(e, env.BATON_DATA_DIR);
}
