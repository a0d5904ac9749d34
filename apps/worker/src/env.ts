// The worker's configuration, read and checked once (zod). Nothing else in the worker reads
// process.env. A bad start names every bad variable at once (EnvError).
import path from 'node:path';
import { z } from 'zod';
import { EnvError, LOG_LEVEL_NAMES, parseEnv, storageConfigFrom, storageEnvFields, storageEnvProblems, unsetIfEmpty, type StorageConfig } from '@baton/engine';
import { parseAuditRetentionDays } from '@baton/engine/audit';

const optional = z.preprocess(unsetIfEmpty, z.string().optional());
const required = (hint: string) => z.preprocess(unsetIfEmpty, z.string({ error: `is not set; ${hint}` }));

const WorkerEnvSchema = z.object({
  DATABASE_URL: required('run the worker through `npm start`, which sets it, or set a postgresql:// URL').refine(
    (v) => /^postgres(ql)?:\/\//.test(v),
    'must be a postgresql:// URL',
  ),
  TEMPORAL_ADDRESS: required('run the worker through `npm start`, which sets it, or set host:port of the Temporal frontend'),
  TEMPORAL_NAMESPACE: optional,
  BATON_DATA_DIR: optional,
  // BATON_STORAGE, BATON_STORAGE_DIR, BATON_STORAGE_S3_*: the same rules as the web app's.
  ...storageEnvFields,
  BATON_WORKER_GROUPS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[\w.-]+(\s*,\s*[\w.-]+)*$/, 'must be a comma-separated list of group names (letters, digits, . _ -)')
      .optional(),
  ),
  BATON_WORKER_DEFAULT_QUEUE: z.preprocess(unsetIfEmpty, z.enum(['true', 'false'], { error: 'must be true or false' }).optional()),
  BATON_PLUGIN_DEFAULTS: optional,
  BATON_ENCRYPTION_KEY: optional,
  BATON_ENCRYPTION_KEYS_OLD: optional,
  BATON_LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v ? v.toLowerCase() : undefined),
    z.enum(LOG_LEVEL_NAMES, { error: `must be one of ${LOG_LEVEL_NAMES.join(', ')}` }).optional(),
  ),
  BATON_APPROVAL_WEBHOOK_URL: z.preprocess(unsetIfEmpty, z.url({ error: 'must be an http(s) URL (a Slack incoming webhook, say)' }).optional()),
  BATON_SMTP_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'must be smtp://[user:pass@]host:port (smtps:// for TLS)')
      .optional(),
  ),
  BATON_SMTP_FROM: optional,
  BATON_PUBLIC_URL: z.preprocess(unsetIfEmpty, z.url({ error: 'must be the URL people open Baton at, such as https://baton.example.com' }).optional()),
  BATON_AUDIT_RETENTION_DAYS: optional.transform((v, ctx) => {
    try {
      return parseAuditRetentionDays(v);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^BATON_AUDIT_RETENTION_DAYS=\S* /, '') });
      return z.NEVER;
    }
  }),
});

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
  /** Internal storage (FILE inputs, task files): local disk or an S3-compatible bucket (BATON_STORAGE), as the web app reads it. */
  storage: StorageConfig;
  /** BATON_LOG_LEVEL of the worker's own JSON logs (info by default). */
  logLevel: (typeof LOG_LEVEL_NAMES)[number];
  /** BATON_AUDIT_RETENTION_DAYS (365 by default; null = forever): the worker purges older audit events. */
  auditRetentionDays: number | null;
  /** Approval notifications: BATON_APPROVAL_WEBHOOK_URL, BATON_SMTP_URL, BATON_SMTP_FROM, BATON_PUBLIC_URL (docs/approvals.md). */
  notifications: { webhookUrl?: string; smtpUrl?: string; mailFrom: string; publicUrl: string };
}

export function readWorkerEnv(env: Record<string, string | undefined> = process.env): WorkerEnv {
  const cross = storageEnvProblems(env);
  let e: z.output<typeof WorkerEnvSchema>;
  try {
    e = parseEnv(WorkerEnvSchema, env);
  } catch (error) {
    throw error instanceof EnvError ? new EnvError([...error.problems, ...cross]) : error;
  }
  if (cross.length) throw new EnvError(cross);
  return {
    databaseUrl: e.DATABASE_URL,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE ?? 'default',
    dataDir: path.resolve(e.BATON_DATA_DIR ?? '.baton'),
    workerGroups: (e.BATON_WORKER_GROUPS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    serveDefaultQueue: e.BATON_WORKER_DEFAULT_QUEUE !== 'false',
    pluginDefaultsFile: e.BATON_PLUGIN_DEFAULTS,
    encryptionKey: e.BATON_ENCRYPTION_KEY ?? '',
    encryptionKeysOld: e.BATON_ENCRYPTION_KEYS_OLD,
    logLevel: e.BATON_LOG_LEVEL ?? 'info',
    storage: storageConfigFrom(e, e.BATON_DATA_DIR),
    auditRetentionDays: e.BATON_AUDIT_RETENTION_DAYS,
    notifications: {
      webhookUrl: e.BATON_APPROVAL_WEBHOOK_URL,
      smtpUrl: e.BATON_SMTP_URL,
      mailFrom: e.BATON_SMTP_FROM ?? 'Baton <baton@localhost>',
      publicUrl: e.BATON_PUBLIC_URL ?? 'http://localhost:3000',
    },
  };
}
