// Password guessing is slowed per account and per address: a lock that doubles with each failure.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_RULE, LoginThrottle } from '../src/services/identity/login-throttle';
import { constantTimeEqual, hashPassword, verifyPassword } from '../src/services/identity/passwords';

describe('login throttle', () => {
  it('allows the free failures, then locks for 1 s, 2 s, 4 s … and forgets after a success', () => {
    let now = 1_000_000;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < ACCOUNT_RULE.free; i++) {
      expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(0);
      t.fail('a', ACCOUNT_RULE);
    }
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(0);
    t.fail('a', ACCOUNT_RULE);
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(1);
    t.fail('a', ACCOUNT_RULE);
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(2);
    t.fail('a', ACCOUNT_RULE);
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(4);
    expect(t.waitSeconds('b', ACCOUNT_RULE)).toBe(0); // other keys are untouched
    now += 4_000;
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(0);
    t.succeed('a');
    t.fail('a', ACCOUNT_RULE);
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(0);
  });

  it('never locks longer than the rule says, however many failures', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 200; i++) t.fail('a', ACCOUNT_RULE);
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(ACCOUNT_RULE.maxLockMs / 1000);
    now += ACCOUNT_RULE.maxLockMs + ACCOUNT_RULE.windowMs + 1;
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(0);
  });

  it('keeps at most maxEntries keys, dropping the oldest', () => {
    const t = new LoginThrottle(Date.now, 3);
    for (const k of ['a', 'b', 'c', 'd']) for (let i = 0; i <= ACCOUNT_RULE.free; i++) t.fail(k, ACCOUNT_RULE);
    expect(t.waitSeconds('a', ACCOUNT_RULE)).toBe(0);
    expect(t.waitSeconds('d', ACCOUNT_RULE)).toBeGreaterThan(0);
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password; no stored hash never matches', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse batter')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('compares strings of different lengths without throwing', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});
