import crypto from 'node:crypto';
import type { EncryptionKey, Keyring } from './keyring';

// Layout of a sealed value: a random 96-bit nonce, the 128-bit tag, then the ciphertext.
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: EncryptionKey, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key.key, iv);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** Opens what seal() produced with the key named `keyId`; fails if the key is unknown or the data altered. */
export function open(keyring: Keyring, keyId: string, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  const key = keyring.get(keyId);
  if (!key) {
    throw new DecryptionError(`data encrypted with key ${keyId}, which is not configured (known: ${keyring.ids.join(', ')}); add the old key to BATON_ENCRYPTION_KEYS_OLD`);
  }
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`encrypted data too short (${sealed.length} bytes)`);
  const data = Buffer.from(sealed);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key.key, data.subarray(0, IV_BYTES));
  decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  if (aad) decipher.setAAD(aad);
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError(`encrypted data failed authentication with key ${keyId} (altered, or sealed for another record)`);
  }
}
