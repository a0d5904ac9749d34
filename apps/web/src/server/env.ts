// The web app's configuration, read and checked once (zod, like the worker's). Nothing else in
// apps/web reads process.env. A bad start names every bad variable at once (EnvError).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  EnvError,
  LOG_LEVEL_NAMES,
  parseEnv,
  storageConfigFrom,
  storageEnvFields,
  storageEnvProblems,
  unsetIfEmpty,
  type ProcessLogLevel,
  type StorageConfig,
} from '@baton/engine';

type EnvProblem = EnvError['problems'][number];

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
  /** Internal storage (FILE inputs, task files): local disk or an S3-compatible bucket (BATON_STORAGE), as the worker writes it. */
  storage: StorageConfig;
  /** The shipped blueprints' folder: BATON_BLUEPRINTS_DIR, or blueprints/ of the checkout (docs/blueprints.md). */
  blueprintsDir: string;
  /** BATON_LOG_LEVEL of the web app's own JSON logs (info by default). */
  logLevel: ProcessLogLevel;
  /** Where people open Baton (BATON_PUBLIC_URL): the OIDC callback URL is built on it. */
  publicUrl: string;
  /** Sign-in with an OpenID Connect provider, when BATON_OIDC_ISSUER and its client are set. */
  oidc?: OidcEnv;
  /** BATON_SERVER_TIMING=true: API answers carry a Server-Timing header of their steps (the engine benchmark's breakdown). */
  serverTiming: boolean;
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

const optional = z.preprocess(unsetIfEmpty, z.string().optional());
const required = (hint: string) => z.preprocess(unsetIfEmpty, z.string({ error: `is not set; ${hint}` }));
const OIDC_REQUIRED = ['BATON_OIDC_ISSUER', 'BATON_OIDC_CLIENT_ID', 'BATON_OIDC_CLIENT_SECRET'] as const;
const OIDC_OPTIONAL = ['BATON_OIDC_GROUPS_CLAIM', 'BATON_OIDC_NAME', 'BATON_OIDC_SCOPES', 'BATON_OIDC_TENANT'] as const;

/**
 * Each variable is checked on its own first, then the rules that tie several together (the admin
 * pair, OIDC all or nothing): every problem is named in one EnvError, as in the worker.
 */
const WebEnvSchema = z.object({
  DATABASE_URL: required('`npm start` sets it; otherwise set a postgresql:// URL').refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgresql:// URL'),
  TEMPORAL_ADDRESS: required('`npm start` sets it; otherwise set host:port of the Temporal frontend'),
  TEMPORAL_NAMESPACE: optional,
  BATON_TEMPORAL_UI_URL: optional,
  BATON_AUTH: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['password', 'none'], { error: 'is not understood: use none (local use only) or leave it unset' }).default('password'),
  ),
  BATON_ADMIN_EMAIL: optional,
  BATON_ADMIN_PASSWORD: optional,
  BATON_SETUP_TOKEN: optional,
  BATON_PLUGIN_DEFAULTS: optional,
  BATON_ENCRYPTION_KEY: optional,
  BATON_ENCRYPTION_KEYS_OLD: optional,
  BATON_CODEC_CORS_ORIGINS: optional,
  BATON_LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v ? v.toLowerCase() : undefined),
    z.enum(LOG_LEVEL_NAMES, { error: `is not a level: use one of ${LOG_LEVEL_NAMES.join(', ')}` }).default('info'),
  ),
  PORT: optional,
  BATON_PUBLIC_URL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().replace(/\/+$/, '') : undefined),
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+$/, 'is not an origin: use the address people open Baton at, such as https://baton.example.com (no path)')
      .optional(),
  ),
  BATON_DATA_DIR: optional,
  // BATON_STORAGE, BATON_STORAGE_DIR, BATON_STORAGE_S3_*: the same rules as the worker's.
  ...storageEnvFields,
  BATON_BLUEPRINTS_DIR: optional,
  BATON_OIDC_ISSUER: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().replace(/\/+$/, '') : undefined),
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+/, "is not a URL: use the provider's issuer, such as https://keycloak.example.com/realms/ops (its /.well-known/openid-configuration must answer)")
      .optional(),
  ),
  BATON_OIDC_CLIENT_ID: optional,
  BATON_OIDC_CLIENT_SECRET: optional,
  BATON_OIDC_GROUPS_CLAIM: optional,
  BATON_OIDC_NAME: optional,
  BATON_OIDC_SCOPES: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined),
    z
      .string()
      .refine((v) => v.split(/\s+/).includes('openid'), 'lacks openid, without which the provider sends no id_token')
      .optional(),
  ),
  BATON_OIDC_TENANT: optional,
  BATON_SERVER_TIMING: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined),
    z.enum(['true', 'false'], { error: 'is not understood: use true or false' }).default('false'),
  ),
});

/**
 * The rules that tie several variables together, checked on the raw environment so that they are
 * reported alongside the per-variable problems (a zod refinement would not run while any field fails).
 */
function crossVariableProblems(env: Record<string, string | undefined>): EnvProblem[] {
  const problems: EnvProblem[] = [...storageEnvProblems(env)];
  const has = (k: string) => Boolean(env[k]?.trim());
  if (has('BATON_ADMIN_EMAIL') !== has('BATON_ADMIN_PASSWORD')) {
    const set = has('BATON_ADMIN_EMAIL') ? 'BATON_ADMIN_EMAIL' : 'BATON_ADMIN_PASSWORD';
    problems.push({
      variable: set,
      message: `only ${set} is set: BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD go together. Set both, or neither (then npm start prints a one-time setup link)`,
    });
  }
  // All or nothing, like the admin: a half-configured provider is an error at start, not a broken button.
  const set = [...OIDC_REQUIRED, ...OIDC_OPTIONAL].filter(has);
  if (!set.length) return problems;
  const missing = OIDC_REQUIRED.filter((k) => !has(k));
  if (missing.length) {
    problems.push({
      variable: missing[0],
      message: `OIDC sign-in is half configured: ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but not ${missing.join(', ')}. Set BATON_OIDC_ISSUER, BATON_OIDC_CLIENT_ID and BATON_OIDC_CLIENT_SECRET together, or none of the BATON_OIDC_* variables`,
    });
  }
  if (env.BATON_AUTH?.trim().toLowerCase() === 'none') {
    problems.push({ variable: 'BATON_AUTH', message: 'BATON_AUTH=none turns sign-in off, so BATON_OIDC_* cannot apply: unset one or the other' });
  }
  return problems;
}

let cached: WebEnv | undefined;

/** Reads and checks the configuration; a half configuration is an error (EnvError naming every bad variable), never an open door. */
export function readWebEnv(env: Record<string, string | undefined>): WebEnv {
  const cross = crossVariableProblems(env);
  let e: z.output<typeof WebEnvSchema>;
  try {
    e = parseEnv(WebEnvSchema, env);
  } catch (error) {
    throw error instanceof EnvError ? new EnvError([...error.problems, ...cross]) : error;
  }
  if (cross.length) throw new EnvError(cross);
  return {
    databaseUrl: e.DATABASE_URL,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE ?? 'default',
    temporalUiUrl: e.BATON_TEMPORAL_UI_URL,
    authMode: e.BATON_AUTH,
    adminEmail: e.BATON_ADMIN_EMAIL,
    adminPassword: e.BATON_ADMIN_PASSWORD,
    setupToken: e.BATON_SETUP_TOKEN,
    pluginDefaultsFile: e.BATON_PLUGIN_DEFAULTS,
    encryptionKey: e.BATON_ENCRYPTION_KEY ?? '',
    encryptionKeysOld: e.BATON_ENCRYPTION_KEYS_OLD,
    logLevel: e.BATON_LOG_LEVEL,
    codecCorsOrigins: (e.BATON_CODEC_CORS_ORIGINS ?? e.BATON_TEMPORAL_UI_URL ?? '')
      .split(',')
      .map((s) => s.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    publicUrl: e.BATON_PUBLIC_URL ?? `http://localhost:${e.PORT || 3000}`,
    oidc: e.BATON_OIDC_ISSUER
      ? {
          issuer: e.BATON_OIDC_ISSUER,
          clientId: e.BATON_OIDC_CLIENT_ID!.trim(),
          clientSecret: e.BATON_OIDC_CLIENT_SECRET!,
          groupsClaim: e.BATON_OIDC_GROUPS_CLAIM?.trim() || 'groups',
          name: e.BATON_OIDC_NAME?.trim().slice(0, 60) || 'OIDC',
          scopes: e.BATON_OIDC_SCOPES ?? 'openid email profile',
          tenant: e.BATON_OIDC_TENANT?.trim() || 'main',
        }
      : undefined,
    storage: storageConfigFrom(e, e.BATON_DATA_DIR),
    serverTiming: e.BATON_SERVER_TIMING === 'true',
    blueprintsDir: blueprintsDirFrom(env),
  };
}

export function webEnv(): WebEnv {
  return (cached ??= readWebEnv(process.env));
}

/**
 * BATON_BLUEPRINTS_DIR, else the first blueprints/ folder at or above the working directory (the web
 * app runs in apps/web of the checkout, so this finds the repository's).
 */
export function blueprintsDirFrom(env: Record<string, string | undefined>, cwd = process.cwd()): string {
  if (env.BATON_BLUEPRINTS_DIR) return path.resolve(env.BATON_BLUEPRINTS_DIR);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'blueprints'))) return path.join(dir, 'blueprints');
    if (path.dirname(dir) === dir) return path.resolve(cwd, 'blueprints');
  }
}

/**
 * next-auth 4 takes its own address from process.env.NEXTAUTH_URL only (it builds the OIDC
 * redirect_uri on it): the one place that hands it Baton's, so the env module stays the only
 * reader and writer of process.env.
 */
export function configureNextAuthUrl(publicUrl: string) {
  process.env.NEXTAUTH_URL = `${publicUrl}/api/auth`;
}
