// The key that encrypts Temporal payloads and stored secrets (BATON_ENCRYPTION_KEY). Plain
// JavaScript with no dependencies: `npm start` resolves it before anything else runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StartError } from './start-errors.mjs';

export const KEY_FILE = 'encryption.key';

/** Same rule as packages/engine/src/crypto/keyring.ts: base64 of exactly 32 bytes. */
export function checkKey(value, what) {
  const text = String(value).trim();
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || bytes.length !== 32 || bytes.toString('base64') !== text) {
    throw new StartError(`${what} is not a base64-encoded 32-byte key (it decodes to ${bytes.length} bytes)`, {
      fix: 'Generate one with `openssl rand -base64 32` and set it again (keep the old one in BATON_ENCRYPTION_KEYS_OLD if data was encrypted with it)',
    });
  }
  return text;
}

/**
 * BATON_ENCRYPTION_KEY from the environment, or the one kept in `<dataDir>/encryption.key`
 * (created on first use with mode 0600). `created` says a new key was just made.
 */
export function resolveEncryptionKey(env, dataDir) {
  if (env.BATON_ENCRYPTION_KEY) {
    const key = checkKey(env.BATON_ENCRYPTION_KEY, 'BATON_ENCRYPTION_KEY');
    for (const [i, old] of (env.BATON_ENCRYPTION_KEYS_OLD ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .entries()) {
      checkKey(old, `key ${i + 1} of BATON_ENCRYPTION_KEYS_OLD`);
    }
    return { key, source: 'BATON_ENCRYPTION_KEY', created: false };
  }
  const file = path.join(dataDir, KEY_FILE);
  if (fs.existsSync(file)) {
    return { key: checkKey(fs.readFileSync(file, 'utf8'), file), source: file, created: false };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32).toString('base64');
  // wx: never overwrite a key another process wrote meanwhile; losing it loses every secret.
  try {
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (error.code === 'EEXIST') return { key: checkKey(fs.readFileSync(file, 'utf8'), file), source: file, created: false };
    throw error;
  }
  return { key, source: file, created: true };
}
