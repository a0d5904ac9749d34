import crypto from 'node:crypto';

/** AES-256 needs exactly this many key bytes. */
export const KEY_BYTES = 32;

export interface EncryptionKey {
  /** Derived from the key itself (not secret): stored beside every ciphertext to pick the key back. */
  id: string;
  key: Buffer;
}

/**
 * The keys Baton encrypts with: `current` encrypts everything new; every key (current and old)
 * decrypts, so a rotation never makes existing ciphertext unreadable.
 */
export class Keyring {
  private readonly byId = new Map<string, EncryptionKey>();

  constructor(
    readonly current: EncryptionKey,
    old: EncryptionKey[] = [],
  ) {
    for (const key of [current, ...old]) this.byId.set(key.id, key);
  }

  get(id: string): EncryptionKey | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }
}

/** A key's id: the first 12 hex digits of SHA-256 over the key, prefixed so it reads as an id. */
export function keyId(key: Buffer): string {
  return `k${crypto.createHash('sha256').update('baton-encryption-key-id').update(key).digest('hex').slice(0, 12)}`;
}

export class InvalidKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyError';
  }
}

/** Parses one base64 key; `what` names where it came from, for the message. */
export function parseKey(base64: string, what: string): EncryptionKey {
  const text = base64.trim();
  const key = Buffer.from(text, 'base64');
  // Buffer.from ignores characters that are not base64: re-encoding catches a mistyped key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new InvalidKeyError(`${what} is not a base64-encoded ${KEY_BYTES}-byte key (it decodes to ${key.length} bytes); generate one with \`openssl rand -base64 32\``);
  }
  return { id: keyId(key), key };
}

/**
 * The keyring from configuration: `current` is BATON_ENCRYPTION_KEY, `old` the comma-separated
 * BATON_ENCRYPTION_KEYS_OLD (keys that only decrypt, kept after a rotation).
 */
export function keyringFrom(current: string | undefined, old: string | undefined): Keyring {
  if (!current || !current.trim()) {
    throw new InvalidKeyError('BATON_ENCRYPTION_KEY is not set; `npm start` creates one in the data directory, or generate one with `openssl rand -base64 32`');
  }
  const olds = (old ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return new Keyring(
    parseKey(current, 'BATON_ENCRYPTION_KEY'),
    olds.map((k, i) => parseKey(k, `key ${i + 1} of BATON_ENCRYPTION_KEYS_OLD`)),
  );
}

/** A fresh random key, base64. */
export function generateKey(): string {
  return crypto.randomBytes(KEY_BYTES).toString('base64');
}
