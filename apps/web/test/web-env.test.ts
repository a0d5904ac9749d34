// The web app's settings: half an admin configuration is an error, never an open API.
import { describe, expect, it } from 'vitest';
import { EnvError } from '@baton/engine';
import { readWebEnv } from '../src/server/env';

const base = { DATABASE_URL: 'postgresql://x', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

describe('web settings', () => {
  it('reads the same storage variables as the worker, and names their problems with the others', () => {
    expect(readWebEnv({ ...base, BATON_STORAGE: 's3', BATON_STORAGE_S3_BUCKET: 'files', BATON_STORAGE_S3_ENDPOINT: 'http://127.0.0.1:9000' }).storage).toMatchObject({
      kind: 's3',
      bucket: 'files',
      forcePathStyle: true,
    });
    expect(readWebEnv({ ...base, BATON_DATA_DIR: '/d' }).storage).toEqual({ kind: 'local', dir: '/d/storage' });
    expect(() => readWebEnv({ ...base, BATON_STORAGE: 's3', BATON_ADMIN_EMAIL: 'a@b.c' })).toThrow(
      /2 problems[\s\S]*BATON_STORAGE_S3_BUCKET: is not set[\s\S]*only BATON_ADMIN_EMAIL is set/,
    );
  });

  it('refuses only one of BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD', () => {
    expect(() => readWebEnv({ ...base, BATON_ADMIN_EMAIL: 'a@b.c' })).toThrow(/only BATON_ADMIN_EMAIL is set/);
    expect(() => readWebEnv({ ...base, BATON_ADMIN_PASSWORD: 'secret-pw' })).toThrow(/only BATON_ADMIN_PASSWORD is set/);
  });

  it('requires sign-in unless BATON_AUTH=none, and refuses other values', () => {
    expect(readWebEnv(base).authMode).toBe('password');
    expect(readWebEnv({ ...base, BATON_ADMIN_EMAIL: 'a@b.c', BATON_ADMIN_PASSWORD: 'pw-long-enough' }).adminEmail).toBe('a@b.c');
    expect(readWebEnv({ ...base, BATON_AUTH: 'none' }).authMode).toBe('none');
    expect(() => readWebEnv({ ...base, BATON_AUTH: 'off' })).toThrow(/BATON_AUTH: is not understood/);
  });

  it('takes OIDC all or nothing: the issuer, client id and secret together; the rest has defaults', () => {
    const oidc = { BATON_OIDC_ISSUER: 'https://kc.example.com/realms/ops/', BATON_OIDC_CLIENT_ID: 'baton', BATON_OIDC_CLIENT_SECRET: 's3cret' };
    expect(readWebEnv(base).oidc).toBeUndefined();
    expect(readWebEnv({ ...base, ...oidc }).oidc).toEqual({
      issuer: 'https://kc.example.com/realms/ops',
      clientId: 'baton',
      clientSecret: 's3cret',
      groupsClaim: 'groups',
      name: 'OIDC',
      scopes: 'openid email profile',
      tenant: 'main',
    });
    expect(readWebEnv({ ...base, ...oidc, BATON_OIDC_NAME: 'Keycloak', BATON_OIDC_GROUPS_CLAIM: 'roles' }).oidc).toMatchObject({ name: 'Keycloak', groupsClaim: 'roles' });
    expect(() => readWebEnv({ ...base, BATON_OIDC_ISSUER: oidc.BATON_OIDC_ISSUER })).toThrow(
      'OIDC sign-in is half configured: BATON_OIDC_ISSUER is set but not BATON_OIDC_CLIENT_ID, BATON_OIDC_CLIENT_SECRET',
    );
    expect(() => readWebEnv({ ...base, ...oidc, BATON_OIDC_SCOPES: '  ' }).oidc!.scopes).not.toThrow();
    expect(() => readWebEnv({ ...base, BATON_OIDC_NAME: 'Dex' })).toThrow(/half configured: BATON_OIDC_NAME is set but not BATON_OIDC_ISSUER/);
    expect(() => readWebEnv({ ...base, ...oidc, BATON_OIDC_ISSUER: 'kc.example.com' })).toThrow(/BATON_OIDC_ISSUER: is not a URL/);
    expect(() => readWebEnv({ ...base, ...oidc, BATON_OIDC_SCOPES: 'email' })).toThrow(/lacks openid/);
    expect(() => readWebEnv({ ...base, ...oidc, BATON_AUTH: 'none' })).toThrow(/BATON_AUTH=none turns sign-in off/);
  });

  it('builds the OIDC callback on BATON_PUBLIC_URL, the local address by default', () => {
    expect(readWebEnv(base).publicUrl).toBe('http://localhost:3000');
    expect(readWebEnv({ ...base, PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
    expect(readWebEnv({ ...base, BATON_PUBLIC_URL: 'https://baton.example.com/' }).publicUrl).toBe('https://baton.example.com');
    expect(() => readWebEnv({ ...base, BATON_PUBLIC_URL: 'https://baton.example.com/app' })).toThrow(/BATON_PUBLIC_URL: is not an origin/);
  });

  it('names every bad variable in one error, so a start is fixed in one go', () => {
    let error: unknown;
    try {
      readWebEnv({ DATABASE_URL: 'mysql://x', BATON_AUTH: 'off', BATON_LOG_LEVEL: 'loud', BATON_ADMIN_EMAIL: 'a@b.c' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems.map((p) => p.variable).sort()).toEqual(['BATON_ADMIN_EMAIL', 'BATON_AUTH', 'BATON_LOG_LEVEL', 'DATABASE_URL', 'TEMPORAL_ADDRESS']);
    expect((error as Error).message).toMatch(/5 problems/);
  });
});
