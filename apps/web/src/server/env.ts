// The web app's configuration, read once. Nothing else in apps/web reads process.env.
export interface WebEnv {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  pluginDefaultsFile?: string;
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
  };
  return cached;
}
