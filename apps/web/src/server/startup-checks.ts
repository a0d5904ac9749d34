import 'server-only';
import { InvalidKeyError, keyringFrom } from '@baton/engine';
import { webEnv } from './env';

/**
 * Configuration that must be right before the first request: a malformed BATON_ENCRYPTION_KEY
 * stops the web app at start with the fix, instead of answering every request with a 500.
 */
export function checkStartup(): void {
  const env = webEnv();
  try {
    keyringFrom(env.encryptionKey, env.encryptionKeysOld);
  } catch (error) {
    if (!(error instanceof InvalidKeyError)) throw error;
    // Configuration, not a bug: one plain line with the fix (a JSON log line would bury it).
    process.stderr.write(`[web] cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
