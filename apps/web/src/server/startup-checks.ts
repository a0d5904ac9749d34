import 'server-only';
import { InvalidKeyError, keyringFrom } from '@baton/engine';
import { webEnv } from './env';

/**
 * Configuration that must be right before the first request: a malformed BATON_ENCRYPTION_KEY or
 * half an OIDC configuration stops the web app at start with the fix, instead of answering every
 * request with a 500.
 */
export function checkStartup(): void {
  let env;
  try {
    env = webEnv(); // a half configuration (admin, OIDC) stops the start with its fix
  } catch (error) {
    process.stderr.write(`[web] cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  try {
    keyringFrom(env.encryptionKey, env.encryptionKeysOld);
  } catch (error) {
    if (!(error instanceof InvalidKeyError)) throw error;
    // Configuration, not a bug: one plain line with the fix (a JSON log line would bury it).
    process.stderr.write(`[web] cannot start: ${error.message}\n`);
    process.exit(1);
  }
}
