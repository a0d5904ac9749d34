import { ENCRYPTED_TYPE, isEncryptedString, type EncryptedString } from '@baton/plugin-sdk';
import { open, seal } from './aes-gcm';
import type { Keyring } from './keyring';

// Encrypted task outputs (Kestra's EncryptedString, e.g. http.Request's encryptBody), sealed with
// the same keyring as secrets and Temporal payloads. The ciphertext names its key, so rotation
// works as for secrets; it is bound to the tenant, so it cannot be decrypted as another's output.

const aad = (tenant: string) => Buffer.from(`baton-output\u0000${tenant}`);

export function encryptOutput(keyring: Keyring, tenant: string, plaintext: string): EncryptedString {
  const sealed = seal(keyring.current, Buffer.from(plaintext, 'utf8'), aad(tenant));
  return { type: ENCRYPTED_TYPE, value: `${keyring.current.id}:${sealed.toString('base64')}` };
}

export function decryptOutput(keyring: Keyring, tenant: string, encrypted: EncryptedString): string {
  const at = encrypted.value.indexOf(':');
  return open(keyring, encrypted.value.slice(0, at), Buffer.from(encrypted.value.slice(at + 1), 'base64'), aad(tenant)).toString('utf8');
}

/**
 * A copy of `data` in which every encrypted value is its plaintext; `found` receives each
 * plaintext (the caller masks them). Data without encrypted values is returned as it is.
 */
export function decryptOutputs<T>(keyring: Keyring, tenant: string, data: T, found: (plaintext: string) => void, depth = 0): T {
  if (isEncryptedString(data)) {
    const plaintext = decryptOutput(keyring, tenant, data);
    found(plaintext);
    return plaintext as T;
  }
  if (depth > 64 || data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) {
    const items = data.map((v) => decryptOutputs(keyring, tenant, v, found, depth + 1));
    return (items.some((v, i) => v !== data[i]) ? items : data) as T;
  }
  let changed = false;
  const entries = Object.entries(data as Record<string, unknown>).map(([k, v]) => {
    const out = decryptOutputs(keyring, tenant, v, found, depth + 1);
    if (out !== v) changed = true;
    return [k, out] as const;
  });
  return (changed ? Object.fromEntries(entries) : data) as T;
}
