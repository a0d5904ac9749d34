import type { Db } from '@baton/db';
import { open, seal } from '../../crypto/aes-gcm';
import type { Keyring } from '../../crypto/keyring';
import { AppError } from '../app-error';
import { checkNamespace, checkSecretName, checkSecretValue } from '../limits';
import { secretScopes } from '../secrets';
import { MintError, mintCredential, readCertificate, type MintedCredential } from './mint';
import { credentialTypeSpec, CREDENTIAL_TYPES, type CredentialTypeSpec } from './types';

/** A credential as the API shows it: non-secret settings, and only the names of the secret fields that are set. */
export interface CredentialMetadata {
  name: string;
  /** Where it is defined: this namespace, a parent (inherited), or '' (tenant-wide). */
  namespace: string;
  inherited: boolean;
  type: string;
  description: string | null;
  owner: string | null;
  settings: Record<string, string>;
  /** The write-only fields of its type: a form shows them as "stored, leave empty to keep". */
  secretFields: string[];
  revision: number;
  lastUsedAt: string | null;
  rotatedAt: string;
  expiresAt: string | null;
  updated: string;
}

export interface CredentialInput {
  type: string;
  description?: string;
  /** ISO date the secret material stops working (a client secret's expiry), shown in the UI. */
  expiresAt?: string | null;
  /** Every field of the type; secret ones may be left out on an update to keep the stored ones. */
  values: Record<string, unknown>;
}

/** A credential as the worker loads it to mint: decrypted, never leaves the process. */
export interface LoadedCredential {
  tenant: string;
  /** The namespace it is defined in ('' tenant-wide). */
  definedIn: string;
  name: string;
  type: string;
  revision: number;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export type TestResult = { ok: true; type: string; expiresAt?: string; info: Record<string, unknown> } | { ok: false; type: string; error: string };

const MAX_DESCRIPTION = 1000;

/** Binds a ciphertext to its row, like secrets (a different prefix: a secret's ciphertext is no credential's). */
function rowBinding(tenant: string, namespace: string, name: string): Buffer {
  return Buffer.from(`baton-credential\u0000${tenant}\u0000${namespace}\u0000${name}`, 'utf8');
}

/** The error every failed resolution or test carries: names the credential, its scope and what the provider said. */
export function credentialError(name: string, namespace: string, type: string, error: unknown): MintError {
  const spec = credentialTypeSpec(type);
  const message = error instanceof Error ? error.message : String(error);
  const retryable = error instanceof MintError ? error.retryable : false;
  return new MintError(
    `credential '${name}' (${spec?.title ?? type}, ${namespace || 'tenant-wide'}): ${message}`,
    retryable,
    error instanceof MintError ? error.status : undefined,
  );
}

/**
 * Credentials: reusable server-to-server authentication per namespace (inherited by child
 * namespaces, closest wins, like secrets). Secret fields are sealed with the secrets' keyring and
 * are write-only; tokens minted from them are never stored (see CredentialTokens for the worker's cache).
 */
export class CredentialStore {
  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
  ) {}

  /** Creates or updates (rotates) a credential defined in exactly `namespace` ('' tenant-wide). */
  async put(tenant: string, namespace: string, name: string, input: CredentialInput, owner?: string): Promise<CredentialMetadata> {
    checkScope(namespace, name);
    const spec = credentialTypeSpec(input.type);
    if (!spec) throw new AppError('UNPROCESSABLE', `unknown credential type '${String(input.type)}'; one of: ${CREDENTIAL_TYPES.map((t) => t.type).join(', ')}`);
    if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > MAX_DESCRIPTION)) {
      throw new AppError('UNPROCESSABLE', `description must be text of at most ${MAX_DESCRIPTION} characters`);
    }
    const expiresAt = parseExpiry(input.expiresAt);
    const existing = await this.db.credential.findUnique({ where: { tenant_namespace_name: { tenant, namespace, name } } });
    // A field left out of an update keeps its stored value (the API never shows secret fields, so a
    // form that edits the scopes cannot resend them; a rotation sends the new secret alone); an
    // empty string clears an optional field. Nothing is kept across a change of type.
    const kept = existing && existing.type === spec.type ? { ...(existing.settings as Record<string, string>), ...this.decrypt(existing) } : {};
    const { settings, secrets, secretsGiven } = splitValues(spec, input.values ?? {}, kept);
    let derivedExpiry: Date | undefined;
    if (spec.type === 'tls_client_certificate') {
      try {
        derivedExpiry = new Date(readCertificate(settings.certificate, secrets.privateKey).expiresAt);
      } catch (error) {
        throw new AppError('UNPROCESSABLE', `credential '${name}': ${(error as Error).message}`);
      }
    }
    const sealed = this.encrypt(tenant, namespace, name, secrets);
    const now = new Date();
    const data = {
      type: spec.type,
      settings,
      ...sealed,
      description: input.description ?? existing?.description ?? null,
      expiresAt: expiresAt === undefined ? (derivedExpiry ?? existing?.expiresAt ?? null) : (expiresAt ?? derivedExpiry ?? null),
    };
    const row = existing
      ? await this.db.credential.update({
          where: { tenant_namespace_name: { tenant, namespace, name } },
          data: { ...data, revision: { increment: 1 }, ...(secretsGiven || existing.type !== spec.type ? { rotatedAt: now } : {}) },
        })
      : await this.db.credential.create({ data: { tenant, namespace, name, ...data, owner: owner ?? null, rotatedAt: now } });
    return toMetadata(row, namespace);
  }

  async delete(tenant: string, namespace: string, name: string): Promise<void> {
    checkScope(namespace, name);
    const { count } = await this.db.credential.deleteMany({ where: { tenant, namespace, name } });
    if (count === 0) throw new AppError('NOT_FOUND', `no credential '${name}' is defined in ${namespace || 'the tenant'} (inherited ones are deleted where they are defined)`);
  }

  /** The credentials a namespace sees (its own and inherited, closest wins): metadata only. */
  async list(tenant: string, namespace: string): Promise<CredentialMetadata[]> {
    if (namespace !== '') checkNamespace(namespace);
    const scopes = secretScopes(namespace);
    const rows = await this.db.credential.findMany({ where: { tenant, namespace: { in: scopes } } });
    const closest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      const seen = closest.get(row.name);
      if (!seen || scopes.indexOf(row.namespace) < scopes.indexOf(seen.namespace)) closest.set(row.name, row);
    }
    return [...closest.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => toMetadata(r, namespace));
  }

  /** One credential as `namespace` sees it (closest wins); 404 naming where it looked. */
  async describe(tenant: string, namespace: string, name: string): Promise<CredentialMetadata> {
    const found = await this.find(tenant, namespace, name);
    return toMetadata(found, namespace);
  }

  /** Decrypted, for minting in this process. Never hand the answer to an API response. */
  async load(tenant: string, namespace: string, name: string): Promise<LoadedCredential> {
    const row = await this.find(tenant, namespace, name);
    return { tenant, definedIn: row.namespace, name, type: row.type, revision: row.revision, settings: row.settings as Record<string, string>, secrets: this.decrypt(row) };
  }

  /** Records a use; a failed write only loses the timestamp, never the task. */
  async markUsed(tenant: string, definedIn: string, name: string): Promise<void> {
    await this.db.credential.updateMany({ where: { tenant, namespace: definedIn, name }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }

  /** The UI's "test" button: mints once, bypassing any cache, and reports success or the provider's error. */
  async test(tenant: string, namespace: string, name: string): Promise<TestResult> {
    const loaded = await this.load(tenant, namespace, name);
    try {
      const minted: MintedCredential = await mintCredential(loaded.type, loaded.settings, loaded.secrets);
      await this.markUsed(tenant, loaded.definedIn, name);
      return { ok: true, type: loaded.type, expiresAt: minted.expiresAt ? new Date(minted.expiresAt).toISOString() : undefined, info: minted.info };
    } catch (error) {
      return { ok: false, type: loaded.type, error: credentialError(name, loaded.definedIn, loaded.type, error).message };
    }
  }

  /**
   * Re-seals rows under an old key with the current one (after a key rotation), each only if it did
   * not change meanwhile; the worker runs it at start, as for secrets. Unreadable rows are reported.
   */
  async reencrypt(): Promise<{ rotated: number; failed: { tenant: string; namespace: string; name: string; reason: string }[] }> {
    const report = { rotated: 0, failed: [] as { tenant: string; namespace: string; name: string; reason: string }[] };
    const stale = await this.db.credential.findMany({ where: { keyId: { not: this.keyring.current.id } } });
    for (const row of stale) {
      let secrets: Record<string, string>;
      try {
        secrets = this.decrypt(row);
      } catch (error) {
        report.failed.push({ tenant: row.tenant, namespace: row.namespace, name: row.name, reason: (error as Error).message });
        continue;
      }
      const { count } = await this.db.credential.updateMany({
        where: { tenant: row.tenant, namespace: row.namespace, name: row.name, sealed: row.sealed, keyId: row.keyId },
        data: this.encrypt(row.tenant, row.namespace, row.name, secrets),
      });
      report.rotated += count;
    }
    return report;
  }

  private async find(tenant: string, namespace: string, name: string) {
    checkScope(namespace, name);
    const scopes = secretScopes(namespace);
    const rows = await this.db.credential.findMany({ where: { tenant, name, namespace: { in: scopes } } });
    for (const scope of scopes) {
      const row = rows.find((r) => r.namespace === scope);
      if (row) return row;
    }
    throw new AppError('NOT_FOUND', `credential '${name}' not found for namespace ${namespace || '(tenant-wide)'}: define it in this namespace, a parent, or tenant-wide`);
  }

  private encrypt(tenant: string, namespace: string, name: string, secrets: Record<string, string>) {
    const key = this.keyring.current;
    return { sealed: seal(key, Buffer.from(JSON.stringify(secrets), 'utf8'), rowBinding(tenant, namespace, name)).toString('base64'), keyId: key.id };
  }

  private decrypt(row: { tenant: string; namespace: string; name: string; sealed: string; keyId: string }): Record<string, string> {
    return JSON.parse(open(this.keyring, row.keyId, Buffer.from(row.sealed, 'base64'), rowBinding(row.tenant, row.namespace, row.name)).toString('utf8')) as Record<string, string>;
  }
}

function checkScope(namespace: string, name: string) {
  if (namespace !== '') checkNamespace(namespace);
  checkSecretName(name);
}

function parseExpiry(value: unknown): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new AppError('UNPROCESSABLE', `expiresAt must be an ISO date such as 2027-01-31T00:00:00Z, not '${String(value)}'`);
  return date;
}

/** Checks the values against the type and splits them into clear settings and sealed secrets. */
function splitValues(spec: CredentialTypeSpec, values: Record<string, unknown>, kept: Record<string, string>) {
  const known = new Set(spec.fields.map((f) => f.name));
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (unknown.length) throw new AppError('UNPROCESSABLE', `${spec.title} has no field ${unknown.map((k) => `'${k}'`).join(', ')}; its fields: ${[...known].join(', ')}`);
  const settings: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  let secretsGiven = false;
  for (const field of spec.fields) {
    const raw = values[field.name];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') throw new AppError('UNPROCESSABLE', `${field.name} must be text`);
    const given = typeof raw === 'string' && raw !== '' ? raw : undefined;
    const value = raw === '' ? undefined : (given ?? kept[field.name]);
    if (value === undefined) {
      if (field.required) throw new AppError('UNPROCESSABLE', `${spec.title} needs ${field.name} (${field.label})`);
      continue;
    }
    checkSecretValue(value);
    if (field.secret) {
      secrets[field.name] = value;
      if (given !== undefined) secretsGiven = true;
    } else settings[field.name] = value;
  }
  if (spec.type === 'maas_api_key' && secrets.apiKey.split(':').length !== 3) {
    throw new AppError('UNPROCESSABLE', 'a MAAS API key has three parts, consumer_key:token_key:token_secret');
  }
  if (settings.tokenUrl !== undefined && !/^https?:\/\/[^\s]+$/i.test(settings.tokenUrl)) {
    throw new AppError('UNPROCESSABLE', `tokenUrl must be an http(s) URL, not '${settings.tokenUrl}'`);
  }
  if (settings.algorithm !== undefined && !['RS256', 'ES256', 'HS256'].includes(settings.algorithm)) {
    throw new AppError('UNPROCESSABLE', `algorithm must be RS256, ES256 or HS256, not '${settings.algorithm}'`);
  }
  if (settings.clientAuth !== undefined && !['basic', 'body'].includes(settings.clientAuth)) {
    throw new AppError('UNPROCESSABLE', `clientAuth must be basic or body, not '${settings.clientAuth}'`);
  }
  return { settings, secrets, secretsGiven };
}

function toMetadata(
  row: {
    namespace: string;
    name: string;
    type: string;
    description: string | null;
    owner: string | null;
    settings: unknown;
    revision: number;
    lastUsedAt: Date | null;
    rotatedAt: Date;
    expiresAt: Date | null;
    updatedAt: Date;
  },
  asSeenFrom: string,
): CredentialMetadata {
  const spec = credentialTypeSpec(row.type);
  return {
    name: row.name,
    namespace: row.namespace,
    inherited: row.namespace !== asSeenFrom,
    type: row.type,
    description: row.description,
    owner: row.owner,
    settings: row.settings as Record<string, string>,
    secretFields: (spec?.fields ?? []).filter((f) => f.secret).map((f) => f.name),
    revision: row.revision,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    rotatedAt: row.rotatedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    updated: row.updatedAt.toISOString(),
  };
}
