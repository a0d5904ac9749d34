import type { Db } from '@baton/db';
import { coerceKvValue, KV_KEY_MAX, KV_KEY_PATTERN, KV_TYPES, type KvAccess, type KvEntry, type KvPurgeRequest, type KvSetOptions, type KvType } from '@baton/plugin-sdk';
import { PluginError, type PluginErrorCode } from '@baton/plugin-sdk';
import { AppError } from './app-error';
import { checkNamespace, printableExcerpt } from './limits';

/** Bytes of one value (JSON): the KV store holds small state, files belong in storage. */
export const KV_VALUE_MAX_BYTES = 256 * 1024;

interface Row {
  namespace: string;
  key: string;
  type: string;
  value: unknown;
  description: string | null;
  expires_at: Date | null;
  updated_at: Date;
}

const view = (r: Row): KvEntry => ({
  namespace: r.namespace,
  key: r.key,
  type: r.type as KvType,
  value: r.value,
  description: r.description,
  expiresAt: r.expires_at ? r.expires_at.toISOString() : null,
  updated: r.updated_at.toISOString(),
});

export function checkKvKey(key: string) {
  if (!key || key.length > KV_KEY_MAX || !KV_KEY_PATTERN.test(key)) {
    throw new AppError(
      'UNPROCESSABLE',
      `KV key '${printableExcerpt(key)}' is not valid: it must match ${KV_KEY_PATTERN.source} and be at most ${KV_KEY_MAX} characters, e.g. orders_file or last-run.date`,
    );
  }
}

/** Kestra's glob: `*` any run, `?` one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

/**
 * The KV store of a tenant (Kestra's namespace KV): typed values per namespace and key, with an
 * optional expiry. Expired entries are invisible at once and deleted when next touched or purged.
 * Used by the API (UI page, `PUT /namespaces/{ns}/kv/{key}`) and by tasks through KvAccess.
 */
export class KvStore {
  constructor(private readonly db: Db) {}

  /** The KvAccess a task of `tenant` gets. */
  forTenant(tenant: string): KvAccess {
    return {
      get: (namespace, key) => asPluginError(this.get(tenant, namespace, key)),
      set: (namespace, key, value, options) => asPluginError(this.set(tenant, namespace, key, value, options)),
      delete: (namespace, key) => asPluginError(this.delete(tenant, namespace, key)),
      keys: async (namespace, prefix) => (await asPluginError(this.list(tenant, namespace, prefix))).map((e) => e.key),
      purge: (request) => asPluginError(this.purge(tenant, request)),
    };
  }

  async get(tenant: string, namespace: string, key: string): Promise<KvEntry | undefined> {
    checkNamespace(namespace);
    checkKvKey(key);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT namespace, key, type, value, description, expires_at, updated_at FROM kv_entries
      WHERE tenant = ${tenant} AND namespace = ${namespace} AND key = ${key} AND (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC')`;
    return rows[0] && view(rows[0]);
  }

  async set(tenant: string, namespace: string, key: string, raw: unknown, options: KvSetOptions = {}): Promise<KvEntry> {
    checkNamespace(namespace);
    checkKvKey(key);
    if (options.type !== undefined && !KV_TYPES.includes(options.type)) {
      throw new AppError('UNPROCESSABLE', `KV type '${printableExcerpt(String(options.type))}' is not one of ${KV_TYPES.join(', ')}`);
    }
    let coerced: { type: KvType; value: unknown };
    try {
      coerced = coerceKvValue(raw, options.type);
    } catch (error) {
      throw new AppError('UNPROCESSABLE', `KV ${namespace}/${key}: ${(error as Error).message}`);
    }
    const json = JSON.stringify(coerced.value);
    if (Buffer.byteLength(json) > KV_VALUE_MAX_BYTES)
      throw new AppError('TOO_LARGE', `a KV value is limited to ${KV_VALUE_MAX_BYTES} bytes of JSON; this one has ${Buffer.byteLength(json)}`);
    if (json.includes('\\u0000')) throw new AppError('UNPROCESSABLE', 'a KV value cannot contain the NUL character');
    const expires = options.ttlMs === undefined ? null : new Date(Date.now() + options.ttlMs).toISOString();
    const overwrite = options.overwrite !== false;
    // One statement: an expired row counts as absent, also for overwrite: false.
    const rows = await this.db.$queryRaw<Row[]>`
      INSERT INTO kv_entries (tenant, namespace, key, type, value, description, expires_at, updated_at)
      VALUES (${tenant}, ${namespace}, ${key}, ${coerced.type}, ${json}::jsonb, ${options.description ?? null},
              (${expires}::timestamptz AT TIME ZONE 'UTC'), now() AT TIME ZONE 'UTC')
      ON CONFLICT (tenant, namespace, key) DO UPDATE SET
        type = EXCLUDED.type, value = EXCLUDED.value, description = EXCLUDED.description,
        expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
      WHERE ${overwrite} OR (kv_entries.expires_at IS NOT NULL AND kv_entries.expires_at <= now() AT TIME ZONE 'UTC')
      RETURNING namespace, key, type, value, description, expires_at, updated_at`;
    if (!rows.length) throw new AppError('CONFLICT', `KV key '${key}' already exists in namespace ${namespace} and overwrite is false`);
    return view(rows[0]);
  }

  async delete(tenant: string, namespace: string, key: string): Promise<boolean> {
    checkNamespace(namespace);
    checkKvKey(key);
    const rows = await this.db.$queryRaw<{ live: boolean }[]>`
      DELETE FROM kv_entries WHERE tenant = ${tenant} AND namespace = ${namespace} AND key = ${key}
      RETURNING (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC') AS live`;
    return rows.some((r) => r.live);
  }

  /** Live entries of a namespace, by key; `prefix` keeps keys starting with it. */
  async list(tenant: string, namespace: string, prefix?: string): Promise<KvEntry[]> {
    checkNamespace(namespace);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT namespace, key, type, value, description, expires_at, updated_at FROM kv_entries
      WHERE tenant = ${tenant} AND namespace = ${namespace} AND (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC')
        AND (${prefix ?? null}::text IS NULL OR starts_with(key, ${prefix ?? ''}))
      ORDER BY key LIMIT 10000`;
    return rows.map(view);
  }

  /** Kestra's PurgeKV: deletes keys of the namespaces (and children), expired only by default. */
  async purge(tenant: string, request: KvPurgeRequest): Promise<number> {
    request.namespaces.forEach(checkNamespace);
    const everywhere = request.namespaces.length === 0;
    const pattern = request.keyPattern ? globToRegExp(request.keyPattern).source : null;
    const children = request.namespaces.map((n) => `${n}.`);
    const rows = await this.db.$queryRaw<{ n: number }[]>`
      WITH gone AS (
        DELETE FROM kv_entries WHERE tenant = ${tenant}
          AND (${everywhere} OR namespace = ANY(${request.namespaces}) OR (${request.includeChildNamespaces} AND EXISTS (SELECT 1 FROM unnest(${children}::text[]) p WHERE starts_with(namespace, p))))
          AND (${pattern}::text IS NULL OR key ~ ${pattern ?? ''})
          AND (NOT ${request.expiredOnly} OR (expires_at IS NOT NULL AND expires_at <= now() AT TIME ZONE 'UTC'))
        RETURNING 1)
      SELECT count(*)::int AS n FROM gone`;
    return rows[0]?.n ?? 0;
  }
}

/** A caller's mistake inside a task is the task's failure (not retried), with the same message. */
async function asPluginError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const code: PluginErrorCode = error.code === 'CONFLICT' ? 'CONFLICT' : error.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'INVALID_PROPERTIES';
    throw new PluginError(code, error.message);
  }
}
