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
  /** Where people open Baton (BATON_PUBLIC_URL): the OIDC callback URL is built on it. */
  publicUrl: string;
  /** Sign-in with an OpenID Connect provider, when BATON_OIDC_ISSUER and its client are set. */
  oidc?: OidcEnv;
}

export interface OidcEnv {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The id_token claim listing the person's groups (BATON_OIDC_GROUPS_CLAIM, `groups`). */
  groupsClaim: string;
  /** The button says "Sign in with <name>" (BATON_OIDC_NAME, `OIDC`). */
  name: string;
  /** BATON_OIDC_SCOPES, `openid email profile` (Dex needs `groups` added to send them). */
  scopes: string;
  /** The tenant whose groups the claim fills (BATON_OIDC_TENANT, `main`). */
  tenant: string;
}

/** All or nothing, like the admin: a half-configured provider is an error at start, not a broken button. */
function readOidcEnv(env: Record<string, string | undefined>, authMode: 'password' | 'none'): OidcEnv | undefined {
  const required = ['BATON_OIDC_ISSUER', 'BATON_OIDC_CLIENT_ID', 'BATON_OIDC_CLIENT_SECRET'] as const;
  const optional = ['BATON_OIDC_GROUPS_CLAIM', 'BATON_OIDC_NAME', 'BATON_OIDC_SCOPES', 'BATON_OIDC_TENANT'] as const;
  const set = [...required, ...optional].filter((k) => env[k]?.trim());
  if (!set.length) return undefined;
  const missing = required.filter((k) => !env[k]?.trim());
  if (missing.length)
    throw new Error(
      `OIDC sign-in is half configured: ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but not ${missing.join(', ')}. Set BATON_OIDC_ISSUER, BATON_OIDC_CLIENT_ID and BATON_OIDC_CLIENT_SECRET together, or none of the BATON_OIDC_* variables`,
    );
  if (authMode === 'none') throw new Error('BATON_AUTH=none turns sign-in off, so BATON_OIDC_* cannot apply: unset one or the other');
  const issuer = env.BATON_OIDC_ISSUER!.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(issuer))
    throw new Error(
      `BATON_OIDC_ISSUER=${issuer.slice(0, 100)} is not a URL: use the provider's issuer, such as https://keycloak.example.com/realms/ops (its /.well-known/openid-configuration must answer)`,
    );
  const scopes = env.BATON_OIDC_SCOPES?.trim() || 'openid email profile';
  if (!scopes.split(/\s+/).includes('openid')) throw new Error(`BATON_OIDC_SCOPES=${scopes.slice(0, 100)} lacks openid, without which the provider sends no id_token`);
  return {
    issuer,
    clientId: env.BATON_OIDC_CLIENT_ID!.trim(),
    clientSecret: env.BATON_OIDC_CLIENT_SECRET!,
    groupsClaim: env.BATON_OIDC_GROUPS_CLAIM?.trim() || 'groups',
    name: env.BATON_OIDC_NAME?.trim().slice(0, 60) || 'OIDC',
    scopes,
    tenant: env.BATON_OIDC_TENANT?.trim() || 'main',
  };
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
    throw new Error(
      `BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD go together: only ${email ? 'BATON_ADMIN_EMAIL' : 'BATON_ADMIN_PASSWORD'} is set. Set both, or neither (then npm start prints a one-time setup link)`,
    );
  }
  const publicUrl = (env.BATON_PUBLIC_URL?.trim() || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(publicUrl))
    throw new Error(`BATON_PUBLIC_URL=${publicUrl.slice(0, 100)} is not an origin: use the address people open Baton at, such as https://baton.example.com (no path)`);
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
      .split(',')
      .map((s) => s.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    publicUrl,
    oidc: readOidcEnv(env, auth),
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

/**
 * next-auth 4 takes its own address from process.env.NEXTAUTH_URL only (it builds the OIDC
 * redirect_uri on it): the one place that hands it Baton's, so the env module stays the only
 * reader and writer of process.env.
 */
export function configureNextAuthUrl(publicUrl: string) {
  process.env.NEXTAUTH_URL = `${publicUrl}/api/auth`;
}
