import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessRulesCreateRuntime, accessRulesDeleteRuntime, accessRulesListRuntime } from '../src/runtime';
import { ACCOUNT_ID, ZONE_ID, connection, fault, run, startSim, state, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const rules = async () => (await state(sim)).accessRules as any[];

describe('cloudflare.firewall.accessRules', () => {
  it('creates a zone rule, accepting Kestra upper-case modes and targets', async () => {
    const r = await run(accessRulesCreateRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'BLOCK', target: 'IP', value: '198.51.100.7', notes: 'abuse' });
    expect(r.error).toBeUndefined();
    expect(r.outputs.created).toBe(true);
    expect(r.outputs.rule).toMatchObject({ mode: 'block', target: 'ip', value: '198.51.100.7', notes: 'abuse', scope: 'zone' });
    const stored = await rules();
    expect(stored).toHaveLength(1);
    expect(stored[0].scope).toMatchObject({ type: 'zone', id: ZONE_ID });
  });

  it('creates an account rule', async () => {
    const r = await run(accessRulesCreateRuntime, { ...connection(sim), accountId: ACCOUNT_ID, mode: 'challenge', target: 'country', value: 'XX' });
    expect(r.outputs.rule.scope).toBe('account');
  });

  it('fails on a duplicate with the Cloudflare code, unless ifExists: skip', async () => {
    const props = { ...connection(sim), zoneId: ZONE_ID, mode: 'block', target: 'ip', value: '198.51.100.7' };
    await run(accessRulesCreateRuntime, props);
    const again = await run(accessRulesCreateRuntime, props);
    expect(again.error?.code).toBe('CONFLICT');
    expect(again.error?.retryable).toBe(false);
    expect(again.error?.message).toBe('Cloudflare API error 10009: firewallaccessrules.api.duplicate_of_existing (POST /zones/your_zone_id/firewall/access_rules/rules)');
    const skipped = await run(accessRulesCreateRuntime, { ...props, ifExists: 'skip' });
    expect(skipped.error).toBeUndefined();
    expect(skipped.outputs.created).toBe(false);
    expect(await rules()).toHaveLength(1);
  });

  it('passes validation errors through as non-retryable', async () => {
    const r = await run(accessRulesCreateRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'block', target: 'ip', value: '999.1.1.1' });
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain('10001: firewallaccessrules.api.validation_error');
  });

  it('needs exactly one of zoneId and accountId', async () => {
    const r = await run(accessRulesCreateRuntime, { ...connection(sim), mode: 'block', target: 'ip', value: '198.51.100.7' });
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toContain('give exactly one of zoneId (zone rule) or accountId (account rule)');
  });

  it('lists with filters', async () => {
    for (const value of ['198.51.100.1', '198.51.100.2']) {
      await run(accessRulesCreateRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'block', target: 'ip', value });
    }
    await run(accessRulesCreateRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'whitelist', target: 'asn', value: 'AS13335' });
    const blocks = await run(accessRulesListRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'block' });
    expect(blocks.outputs.count).toBe(2);
    const one = await run(accessRulesListRuntime, { ...connection(sim), zoneId: ZONE_ID, target: 'ip', value: '198.51.100.2' });
    expect(one.outputs.rules.map((x: any) => x.value)).toEqual(['198.51.100.2']);
    const account = await run(accessRulesListRuntime, { ...connection(sim), accountId: ACCOUNT_ID });
    expect(account.outputs.count).toBe(0);
  });

  it('deletes by id or by target and value, idempotently', async () => {
    const a = await run(accessRulesCreateRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'block', target: 'ip', value: '198.51.100.1' });
    await run(accessRulesCreateRuntime, { ...connection(sim), zoneId: ZONE_ID, mode: 'block', target: 'ip', value: '198.51.100.2' });
    const byId = await run(accessRulesDeleteRuntime, { ...connection(sim), zoneId: ZONE_ID, ruleId: a.outputs.ruleId });
    expect(byId.outputs).toEqual({ deleted: 1, ruleIds: [a.outputs.ruleId] });
    const byValue = await run(accessRulesDeleteRuntime, { ...connection(sim), zoneId: ZONE_ID, target: 'IP', value: '198.51.100.2' });
    expect(byValue.outputs.deleted).toBe(1);
    expect(await rules()).toHaveLength(0);
    const again = await run(accessRulesDeleteRuntime, { ...connection(sim), zoneId: ZONE_ID, ruleId: a.outputs.ruleId });
    expect(again.outputs.deleted).toBe(0);
    const strict = await run(accessRulesDeleteRuntime, { ...connection(sim), zoneId: ZONE_ID, ruleId: a.outputs.ruleId, ignoreMissing: false });
    expect(strict.error?.code).toBe('NOT_FOUND');
    const wrongZone = await run(accessRulesDeleteRuntime, { ...connection(sim), zoneId: 'nope', ruleId: a.outputs.ruleId });
    expect(wrongZone.error?.code).toBe('NOT_FOUND');
  });

  it('fails on bad credentials and 5xx, waits out a 429', async () => {
    const props = { ...connection(sim), zoneId: ZONE_ID, mode: 'block', target: 'ip', value: '198.51.100.9' };
    expect((await run(accessRulesCreateRuntime, { ...props, apiToken: 'nope' })).error?.code).toBe('AUTHENTICATION');
    await fault(sim, { route: 'POST /zones/.*/firewall/access_rules/rules', kind: 'status', status: 500, times: 1 });
    expect((await run(accessRulesCreateRuntime, props)).error?.code).toBe('UPSTREAM_UNAVAILABLE');
    await fault(sim, { route: 'POST /zones/.*/firewall/access_rules/rules', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const r = await run(accessRulesCreateRuntime, props);
    expect(r.outputs.created).toBe(true);
    expect(await rules()).toHaveLength(1);
  });
});
