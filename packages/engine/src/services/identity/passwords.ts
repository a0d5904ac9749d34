import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane; about 30 ms
 * here). @node-rs/argon2 ships its native binary inside the npm package, so it installs offline.
 */
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id: a const enum, unusable under isolatedModules */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of a password nobody knows, checked when an account does not exist so both cases cost the same. */
let decoy: Promise<string> | undefined;

/**
 * True when `password` matches `stored`. With no stored hash (unknown account, or an account
 * without a password) a decoy hash is verified anyway: the answer takes the same time whether
 * the e-mail exists or not. argon2's own comparison is constant-time.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  const target = stored ?? (await (decoy ??= hashPassword(crypto.randomBytes(24).toString('base64'))));
  let ok: boolean;
  try {
    ok = await verify(target, password.slice(0, PASSWORD_MAX));
  } catch {
    ok = false; // a malformed stored hash never signs anyone in
  }
  return ok && stored !== null && stored !== undefined;
}

/** SHA-256 (hex) of a random secret: sessions and API tokens are stored only this way. */
export function digest(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** A random secret for a session or an API token, URL-safe. */
export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Compares two strings in time that depends only on their lengths' maximum (no early return). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
