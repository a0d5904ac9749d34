// npm start's encryption key: created once with mode 0600 and reused; a malformed one is a start
// error with the fix, before anything starts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with npm start
import { resolveEncryptionKey } from '../../../scripts/lib/encryption-key.mjs';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'baton-key-'));

describe('npm start encryption key', () => {
  it('creates a key file readable by its owner only, then keeps using it', () => {
    const dir = tmp();
    const first = resolveEncryptionKey({}, dir);
    expect(first.created).toBe(true);
    expect(Buffer.from(first.key, 'base64')).toHaveLength(32);
    expect(fs.statSync(path.join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
    const second = resolveEncryptionKey({}, dir);
    expect(second).toMatchObject({ key: first.key, created: false });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prefers BATON_ENCRYPTION_KEY and refuses a malformed key with the fix', () => {
    const dir = tmp();
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(resolveEncryptionKey({ BATON_ENCRYPTION_KEY: key }, dir)).toMatchObject({ key, source: 'BATON_ENCRYPTION_KEY', created: false });
    expect(fs.existsSync(path.join(dir, 'encryption.key'))).toBe(false);
    expect(() => resolveEncryptionKey({ BATON_ENCRYPTION_KEY: 'dG9vIHNob3J0' }, dir)).toThrow(/not a base64-encoded 32-byte key \(it decodes to 9 bytes\)/);
    try {
      resolveEncryptionKey({ BATON_ENCRYPTION_KEY: key, BATON_ENCRYPTION_KEYS_OLD: 'nope' }, dir);
      expect.unreachable();
    } catch (error) {
      expect((error as { name: string; fix: string }).name).toBe('StartError');
      expect((error as { fix: string }).fix).toMatch(/openssl rand -base64 32/);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the worker with a malformed key', () => {
  it('stops at start with the fix, before touching the database', async () => {
    const { spawnSync } = await import('node:child_process');
    const root = path.resolve(import.meta.dirname, '../../..');
    const result = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'apps/worker/src/main.ts')], {
      env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', TEMPORAL_ADDRESS: '127.0.0.1:1', BATON_ENCRYPTION_KEY: 'bm90IGEga2V5' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot start: BATON_ENCRYPTION_KEY is not a base64-encoded 32-byte key .*openssl rand -base64 32/);
    expect(result.stderr).not.toMatch(/ at .*\.ts:\d+/); // no stack trace
  }, 90_000); // tsx compiles the worker first: seconds on a quiet machine, over 30 s on a loaded one
});
