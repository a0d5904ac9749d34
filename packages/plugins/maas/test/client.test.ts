import { describe, expect, it } from 'vitest';
import { apiBase, encodeForm, oauthHeader } from '../src/client';
import { parseOAuthHeader } from '../../../simulators/src/maas/auth';
import { statusFilterName } from '../src/status';

describe('MAAS client pieces', () => {
  it('signs with OAuth 1.0a PLAINTEXT: empty consumer secret, &token_secret', () => {
    const header = oauthHeader('ck:tk:s3cr&t', 'nonce1', 1700000000);
    const params = parseOAuthHeader(header)!;
    expect(params).toEqual({
      oauth_version: '1.0',
      oauth_signature_method: 'PLAINTEXT',
      oauth_consumer_key: 'ck',
      oauth_token: 'tk',
      oauth_signature: '&s3cr%26t',
      oauth_nonce: 'nonce1',
      oauth_timestamp: '1700000000',
    });
  });

  it('refuses a key that is not consumer:token:secret, without echoing it', () => {
    expect(() => oauthHeader('only-one-part-secret')).toThrow(/consumer_key:token_key:token_secret/);
    try {
      oauthHeader('only-one-part-secret');
    } catch (error) {
      expect((error as Error).message).not.toContain('only-one-part-secret');
    }
  });

  it('finds the API base from the forms people paste', () => {
    expect(apiBase('http://maas:5240/MAAS')).toBe('http://maas:5240/MAAS/api/2.0');
    expect(apiBase('http://maas:5240/MAAS/')).toBe('http://maas:5240/MAAS/api/2.0');
    expect(apiBase('http://maas:5240/MAAS/api/2.0/')).toBe('http://maas:5240/MAAS/api/2.0');
    expect(apiBase('http://maas:5240')).toBe('http://maas:5240/MAAS/api/2.0');
  });

  it('repeats list fields in forms and maps status labels to filter names', () => {
    expect(encodeForm({ mac_addresses: ['a', 'b'], hostname: 'x', skip: undefined })).toBe('mac_addresses=a&mac_addresses=b&hostname=x');
    expect(statusFilterName('Ready')).toBe('ready');
    expect(statusFilterName('Failed commissioning')).toBe('failed_commissioning');
    expect(statusFilterName('Releasing failed')).toBe('failed_releasing');
  });
});
