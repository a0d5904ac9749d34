// The web app's configuration, read once. Nothing else in apps/web reads process.env.
import path from 'node:path';
import { LOG_LEVEL_NAMES, type ProcessLogLevel } from '@baton/engine';

export interface WebEnv {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl?: string;
  /**
   * `password` (the default): every route but the health probe and the setup/sign-in routes needs
   * a signed-in user. `none`: no sign-in, every caller is the local administrator; only for a
   * web app bound to 127.0.0.1 (npm start always binds there), and the UI shows a banner.
   */
  authMode: 'password' | 'none';
  adminEmail?: string;
  adminPassword?: string;
  /** The one-time token of the setup link `npm start` prints while no user exists. */
  setupToken?: string;
  pluginDefaultsFile?: string;
  /** BATON_ENCRYPTION_KEY and BATON_ENCRYPTION_KEYS_OLD (see README, Security). */
  encryptionKey: string;
  encryptionKeysOld?: string;
  /** Origins allowed to call the codec endpoint (the Temporal UI); BATON_TEMPORAL_UI_URL's by default. */
  codecCorsOrigins: string[];
  /** Internal storage (FILE inputs, task files): BATON_STORAGE_DIR, or storage/ in BATON_DATA_DIR. */
  storageDir: string;
  /** BATON_LOG_LEVEL of the web app's own JSON logs (info by default). */
  logLevel: ProcessLogLevel;
}

let cached: WebEnv | undefined;

/** Reads and checks the configuration; a half configuration is an error, never an open door. */
export function readWebEnv(env: Record<string, string | undefined>): WebEnv {
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    throw new Error('DATABASE_URL and TEMPORAL_ADDRESS must be set; `npm start` sets them.');
  }
  const auth = env.BATON_AUTH?.trim().toLowerCase() || 'password';
  if (auth !== 'password' && auth !== 'none') throw new Error(`BATON_AUTH=${env.BATON_AUTH} is not understood: use none (local use only) or leave it unset`);
  const email = env.BATON_ADMIN_EMAIL || undefined;
  const password = env.BATON_ADMIN_PASSWORD || undefined;
  if (Boolean(email) !== Boolean(password)) {
    throw new Error(`BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD go together: only ${email ? 'BATON_ADMIN_EMAIL' : 'BATON_ADMIN_PASSWORD'} is set. Set both, or neither (then npm start prints a one-time setup link)`);
  }
  return {
    databaseUrl: env.DATABASE_URL,
    temporalAddress: env.TEMPORAL_ADDRESS,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalUiUrl: env.BATON_TEMPORAL_UI_URL,
    authMode: auth,
    adminEmail: email,
    adminPassword: password,
    setupToken: env.BATON_SETUP_TOKEN || undefined,
    pluginDefaultsFile: env.BATON_PLUGIN_DEFAULTS,
    encryptionKey: env.BATON_ENCRYPTION_KEY ?? '',
    encryptionKeysOld: env.BATON_ENCRYPTION_KEYS_OLD,
    logLevel: logLevel(env.BATON_LOG_LEVEL),
    codecCorsOrigins: (env.BATON_CODEC_CORS_ORIGINS ?? env.BATON_TEMPORAL_UI_URL ?? '')
      .split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean),
    storageDir: storageDirFrom(env),
  };
}

function logLevel(v: string | undefined): ProcessLogLevel {
  const level = (v || 'info').toLowerCase();
  if (!(LOG_LEVEL_NAMES as readonly string[]).includes(level)) throw new Error(`BATON_LOG_LEVEL=${v} is not a level: use one of ${LOG_LEVEL_NAMES.join(', ')}`);
  return level as ProcessLogLevel;
}

export function webEnv(): WebEnv {
  return (cached ??= readWebEnv(process.env));
}

/** The same rule in the worker's env module: both processes must agree on where files are. */
export function storageDirFrom(env: Record<string, string | undefined>): string {
  return path.resolve(env.BATON_STORAGE_DIR || path.join(env.BATON_DATA_DIR || '.baton', 'storage'));
}
