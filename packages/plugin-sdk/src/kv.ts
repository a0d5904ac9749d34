// Kestra's KV store as tasks see it. The worker provides it (PostgreSQL behind it); plugins and
// the kv() expression function use only this interface.

export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
export type KvType = (typeof KV_TYPES)[number];

/** Kestra's key rule: a letter or digit, then letters, digits, dots, dashes and underscores. */
export const KV_KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const KV_KEY_MAX = 255;

export interface KvEntry {
  namespace: string;
  key: string;
  type: KvType;
  value: unknown;
  description: string | null;
  /** ISO date-time after which the entry no longer exists, or null. */
  expiresAt: string | null;
  updated: string;
}

export interface KvSetOptions {
  type?: KvType;
  /** Time to live in milliseconds. */
  ttlMs?: number;
  /** false: fail when the key exists (default true). */
  overwrite?: boolean;
  description?: string;
}

export interface KvPurgeRequest {
  /** Namespaces to purge (with their children when includeChildNamespaces). */
  namespaces: string[];
  includeChildNamespaces: boolean;
  /** Glob on keys, e.g. `AI_*`. */
  keyPattern?: string;
  /** Only keys past their expiry (default true). */
  expiredOnly: boolean;
}

export interface KvAccess {
  get(namespace: string, key: string): Promise<KvEntry | undefined>;
  set(namespace: string, key: string, value: unknown, options?: KvSetOptions): Promise<KvEntry>;
  delete(namespace: string, key: string): Promise<boolean>;
  keys(namespace: string, prefix?: string): Promise<string[]>;
  purge(request: KvPurgeRequest): Promise<number>;
}

/**
 * A value converted to `type` as Kestra's kv.Set does when the value is text (`"42"` with NUMBER
 * is 42), and the type inferred from the value otherwise. Throws with a readable reason.
 */
export function coerceKvValue(value: unknown, type?: KvType): { type: KvType; value: unknown } {
  if (type === undefined) {
    if (typeof value === 'number') return { type: 'NUMBER', value };
    if (typeof value === 'boolean') return { type: 'BOOLEAN', value };
    if (value !== null && typeof value === 'object') return { type: 'JSON', value };
    return { type: 'STRING', value: value === null || value === undefined ? '' : String(value) };
  }
  if (typeof value !== 'string') {
    if (type === 'NUMBER' && typeof value !== 'number') throw new Error(`a NUMBER value must be a number, not ${typeof value}`);
    if (type === 'BOOLEAN' && typeof value !== 'boolean') throw new Error(`a BOOLEAN value must be true or false, not ${typeof value}`);
    return { type, value };
  }
  switch (type) {
    case 'NUMBER': {
      const n = Number(value.trim());
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`'${value.slice(0, 40)}' is not a NUMBER`);
      return { type, value: n };
    }
    case 'BOOLEAN':
      return { type, value: value.trim().toLowerCase() === 'true' };
    case 'DATETIME':
    case 'DATE':
      if (Number.isNaN(Date.parse(value))) throw new Error(`'${value.slice(0, 40)}' is not an ISO-8601 ${type === 'DATE' ? 'date' : 'date-time'}`);
      return { type, value };
    case 'DURATION':
      if (!/^-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/i.test(value)) {
        throw new Error(`'${value.slice(0, 40)}' is not an ISO-8601 duration such as PT5M`);
      }
      return { type, value };
    case 'JSON':
      try {
        return { type, value: JSON.parse(value) };
      } catch {
        throw new Error('the value is not valid JSON');
      }
    default:
      return { type, value };
  }
}
