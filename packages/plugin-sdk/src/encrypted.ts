// Kestra's EncryptedString: an output value encrypted with the instance's key, shaped as Kestra
// shapes it ({type, value}). Tasks produce one with ctx.encrypt(); the worker decrypts it when a
// later task renders it, and masks the plaintext like a secret.

export const ENCRYPTED_TYPE = 'io.kestra.datatype:aes_encrypted';

export interface EncryptedString {
  type: typeof ENCRYPTED_TYPE;
  /** Opaque ciphertext (Baton: `<key id>:<base64 of AES-256-GCM nonce, tag and data>`). */
  value: string;
}

export function isEncryptedString(value: unknown): value is EncryptedString {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  return o.type === ENCRYPTED_TYPE && typeof o.value === 'string' && Object.keys(o).length === 2;
}
