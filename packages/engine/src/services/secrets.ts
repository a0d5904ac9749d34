import type { Db } from '@baton/db';
import { PluginError } from '@baton/plugin-sdk';
import { checkNamespace, checkSecretName, checkSecretValue } from './limits';

/**
 * Resolves `secret('NAME')`. Order: the `secrets` table (namespace, then its parents, then
 * tenant-wide), then the `SECRET_<NAME>` environment variable, base64-encoded as Kestra does.
 * Encryption at rest, scoping and the UI come with the governance work.
 */
export class SecretStore {
  constructor(private readonly db: Db, private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(tenant: string, namespace: string, name: string): Promise<string> {
    const parts = namespace.split('.');
    const scopes = parts.map((_, i) => parts.slice(0, parts.length - i).join('.')).concat('');
    const rows = await this.db.secret.findMany({ where: { tenant, name, namespace: { in: scopes } } });
    for (const scope of scopes) {
      const row = rows.find((r) => r.namespace === scope);
      if (row) return row.value;
    }
    const fromEnv = this.env[`SECRET_${name}`];
    if (fromEnv !== undefined) return Buffer.from(fromEnv, 'base64').toString('utf8');
    throw new PluginError('NOT_FOUND', `secret '${name}' not found for namespace ${namespace}: add it to the secrets store or set SECRET_${name} (base64) in the worker's environment`, { retryable: false });
  }

  /** `namespace` '' is tenant-wide. Names, namespaces and values are checked: see FIELD_LIMITS. */
  async put(tenant: string, namespace: string, name: string, value: string): Promise<void> {
    if (namespace !== '') checkNamespace(namespace);
    checkSecretName(name);
    checkSecretValue(value);
    await this.db.secret.upsert({
      where: { tenant_namespace_name: { tenant, namespace, name } },
      create: { tenant, namespace, name, value },
      update: { value },
    });
  }
}
