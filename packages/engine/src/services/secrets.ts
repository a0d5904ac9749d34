import type { Db } from '@baton/db';
import { PluginError } from '@baton/plugin-sdk';
import { open, seal } from '../crypto/aes-gcm';
import type { Keyring } from '../crypto/keyring';
import { AppError } from './app-error';
import { checkNamespace, checkSecretName, checkSecretValue } from './limits';

/** A secret as the API shows it: never its value. */
export interface SecretMetadata {
  key: string;
  /** Where it is defined: this namespace, a parent (inherited), or '' (tenant-wide). */
  namespace: string;
  inherited: boolean;
  description: string | null;
  updated: string;
  /** Who last stored the value (an e-mail); null for values stored before this was recorded. */
  updatedBy: string | null;
}

export interface ReencryptReport {
  /** Rows stored in clear (before encryption existed) now encrypted. */
  encrypted: number;
  /** Rows under an old key now under the current one. */
  rotated: number;
  /** Rows that could not be read (a key no longer configured): left as they are. */
  failed: { tenant: string; namespace: string; name: string; reason: string }[];
}

/** The scopes a namespace reads secrets from, closest first: itself, each parent, then tenant-wide. */
export function secretScopes(namespace: string): string[] {
  if (namespace === '') return [''];
  const parts = namespace.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.')).concat('');
}

/** Binds a ciphertext to its row: one row's value pasted into another fails authentication. */
function rowBinding(tenant: string, namespace: string, name: string): Buffer {
  return Buffer.from(`baton-secret\u0000${tenant}\u0000${namespace}\u0000${name}`, 'utf8');
}

/**
 * Secrets, encrypted at rest with AES-256-GCM under BATON_ENCRYPTION_KEY (the key id is stored per
 * row, so old keys still decrypt after a rotation). Resolves `secret('NAME')`: the namespace, then
 * its parents, then tenant-wide (closest wins), then the `SECRET_<NAME>` environment variable,
 * base64-encoded as Kestra does. Write-only through the API: nothing here returns a value to it.
 */
export class SecretStore {
  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(tenant: string, namespace: string, name: string): Promise<string> {
    const scopes = secretScopes(namespace);
    const rows = await this.db.secret.findMany({ where: { tenant, name, namespace: { in: scopes } } });
    for (const scope of scopes) {
      const row = rows.find((r) => r.namespace === scope);
      if (row) return this.decrypt(row);
    }
    const fromEnv = this.env[`SECRET_${name}`];
    if (fromEnv !== undefined) return Buffer.from(fromEnv, 'base64').toString('utf8');
    throw new PluginError(
      'NOT_FOUND',
      `secret '${name}' not found for namespace ${namespace}: add it to the secrets store or set SECRET_${name} (base64) in the worker's environment`,
      { retryable: false },
    );
  }

  /** `namespace` '' is tenant-wide. Names, namespaces and values are checked: see FIELD_LIMITS. */
  async put(tenant: string, namespace: string, name: string, value: string, description?: string, by?: string): Promise<void> {
    if (namespace !== '') checkNamespace(namespace);
    checkSecretName(name);
    checkSecretValue(value);
    const sealed = this.encrypt(tenant, namespace, name, value);
    const desc = description === undefined ? {} : { description };
    const who = by === undefined ? {} : { updatedBy: by };
    await this.db.secret.upsert({
      where: { tenant_namespace_name: { tenant, namespace, name } },
      create: { tenant, namespace, name, ...sealed, ...desc, ...who },
      update: { ...sealed, ...desc, ...who },
    });
  }

  /** Deletes the secret defined in exactly this namespace; 404 when there is none. */
  async delete(tenant: string, namespace: string, name: string): Promise<void> {
    if (namespace !== '') checkNamespace(namespace);
    checkSecretName(name);
    const { count } = await this.db.secret.deleteMany({ where: { tenant, namespace, name } });
    if (count === 0) throw new AppError('NOT_FOUND', `no secret '${name}' is defined in ${namespace || 'the tenant'} (inherited ones are deleted where they are defined)`);
  }

  /** The secrets a namespace sees (its own and inherited, closest wins), names and metadata only. */
  async list(tenant: string, namespace: string): Promise<SecretMetadata[]> {
    if (namespace !== '') checkNamespace(namespace);
    const scopes = secretScopes(namespace);
    const rows = await this.db.secret.findMany({
      where: { tenant, namespace: { in: scopes } },
      select: { namespace: true, name: true, description: true, updatedAt: true, updatedBy: true },
    });
    const closest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      const seen = closest.get(row.name);
      if (!seen || scopes.indexOf(row.namespace) < scopes.indexOf(seen.namespace)) closest.set(row.name, row);
    }
    return [...closest.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({
        key: r.name,
        namespace: r.namespace,
        inherited: r.namespace !== namespace,
        description: r.description,
        updated: r.updatedAt.toISOString(),
        updatedBy: r.updatedBy,
      }));
  }

  /**
   * Encrypts rows still in clear and re-encrypts rows under an old key with the current one. Each
   * row is updated only if it did not change meanwhile, so it runs while Baton serves (a rotation
   * without downtime): the worker runs it at every start; POST /api/v1/secrets/re-encrypt on demand.
   */
  async reencrypt(): Promise<ReencryptReport> {
    const report: ReencryptReport = { encrypted: 0, rotated: 0, failed: [] };
    const current = this.keyring.current.id;
    const stale = await this.db.secret.findMany({ where: { OR: [{ keyId: null }, { keyId: { not: current } }] } });
    for (const row of stale) {
      let plain: string;
      try {
        plain = this.decrypt(row);
      } catch (error) {
        report.failed.push({ tenant: row.tenant, namespace: row.namespace, name: row.name, reason: (error as Error).message });
        continue;
      }
      const { count } = await this.db.secret.updateMany({
        where: { tenant: row.tenant, namespace: row.namespace, name: row.name, value: row.value, keyId: row.keyId },
        data: this.encrypt(row.tenant, row.namespace, row.name, plain),
      });
      if (count === 1) {
        if (row.keyId === null) report.encrypted++;
        else report.rotated++;
      }
    }
    return report;
  }

  private encrypt(tenant: string, namespace: string, name: string, value: string) {
    const key = this.keyring.current;
    return { value: seal(key, Buffer.from(value, 'utf8'), rowBinding(tenant, namespace, name)).toString('base64'), keyId: key.id };
  }

  private decrypt(row: { tenant: string; namespace: string; name: string; value: string; keyId: string | null }): string {
    // No key id: written before encryption existed, still plain until reencrypt() runs.
    if (row.keyId === null) return row.value;
    return open(this.keyring, row.keyId, Buffer.from(row.value, 'base64'), rowBinding(row.tenant, row.namespace, row.name)).toString('utf8');
  }
}
