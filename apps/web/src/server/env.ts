// The web app's configuration, read once. Nothing else in apps/web reads process.env.
export interface WebEnv {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  pluginDefaultsFile?: string;
  /** BATON_ENCRYPTION_KEY and BATON_ENCRYPTION_KEYS_OLD (see README, Security). */
  encryptionKey: string;
  encryptionKeysOld?: string;
  /** Origins allowed to call the codec endpoint (the Temporal UI); BATON_TEMPORAL_UI_URL's by default. */
  codecCorsOrigins: string[];
}

let cached: WebEnv | undefined;

export function webEnv(): WebEnv {
  if (cached) return cached;
  const env = process.env;
  if (!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) {
    throw new Error('DATABASE_URL and TEMPORAL_ADDRESS must be set; `npm start` sets them.');
  }
  cached = {
    databaseUrl: env.DATABASE_URL,
    temporalAddress: env.TEMPORAL_ADDRESS,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalUiUrl: env.BATON_TEMPORAL_UI_URL,
    adminEmail: env.BATON_ADMIN_EMAIL,
    adminPassword: env.BATON_ADMIN_PASSWORD,
    pluginDefaultsFile: env.BATON_PLUGIN_DEFAULTS,
    encryptionKey: env.BATON_ENCRYPTION_KEY ?? '',
    encryptionKeysOld: env.BATON_ENCRYPTION_KEYS_OLD,
    codecCorsOrigins: (env.BATON_CODEC_CORS_ORIGINS ?? env.BATON_TEMPORAL_UI_URL ?? '')
      .split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean),
  };
  return cached;
}
