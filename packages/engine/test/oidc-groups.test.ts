// The groups claim as Baton group ids: Keycloak's paths become dotted ids; what fits no id is reported.
import { describe, expect, it } from 'vitest';
import { groupIdsFromClaim } from '../src/services/identity/oidc-accounts';

describe('groups claim', () => {
  it('takes a list or one string; Keycloak paths lose the leading slash and use dots', () => {
    expect(groupIdsFromClaim(['/platform/sre', 'ops', 'ops'])).toEqual({ ids: ['ops', 'platform.sre'], ignored: [] });
    expect(groupIdsFromClaim('dev')).toEqual({ ids: ['dev'], ignored: [] });
    expect(groupIdsFromClaim(undefined)).toEqual({ ids: [], ignored: [] });
  });

  it('reports values that are no valid group id instead of guessing', () => {
    expect(groupIdsFromClaim(['Domain Users', 42, 'ok'])).toEqual({ ids: ['ok'], ignored: ['Domain Users', '42'] });
  });
});
