// The web app's settings: half an admin configuration is an error, never an open API.
import { describe, expect, it } from 'vitest';
import { readWebEnv } from '../src/server/env';

const base = { DATABASE_URL: 'postgresql://x', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

describe('web settings', () => {
  it('refuses only one of BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD', () => {
    expect(() => readWebEnv({ ...base, BATON_ADMIN_EMAIL: 'a@b.c' })).toThrow(/only BATON_ADMIN_EMAIL is set/);
    expect(() => readWebEnv({ ...base, BATON_ADMIN_PASSWORD: 'secret-pw' })).toThrow(/only BATON_ADMIN_PASSWORD is set/);
  });

  it('requires sign-in unless BATON_AUTH=none, and refuses other values', () => {
    expect(readWebEnv(base).authMode).toBe('password');
    expect(readWebEnv({ ...base, BATON_ADMIN_EMAIL: 'a@b.c', BATON_ADMIN_PASSWORD: 'pw-long-enough' }).adminEmail).toBe('a@b.c');
    expect(readWebEnv({ ...base, BATON_AUTH: 'none' }).authMode).toBe('none');
    expect(() => readWebEnv({ ...base, BATON_AUTH: 'off' })).toThrow(/BATON_AUTH=off/);
  });
});
