/**
 * Slows password guessing: per account and per client address, failures past a free allowance
 * lock the key for a time that doubles with each further failure (1 s, 2 s, 4 s … up to 15 min).
 * A success clears the account's failures (not the address's: one good password must not reset
 * a spray across many accounts). Kept in memory: one web process sees all its own attempts; with
 * several web processes each limits on its own (documented in docs/auth.md).
 */
export interface ThrottleRule {
  /** Failures allowed before locking. */
  free: number;
  maxLockMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { free: 5, maxLockMs: 15 * 60_000, windowMs: 15 * 60_000 };
/** Addresses get more room: a whole office can sit behind one address. */
export const ADDRESS_RULE: ThrottleRule = { free: 20, maxLockMs: 15 * 60_000, windowMs: 15 * 60_000 };

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 100_000,
  ) {}

  /** Seconds until `key` may try again, or 0. */
  waitSeconds(key: string, rule: ThrottleRule): number {
    const e = this.fresh(key, rule);
    if (!e) return 0;
    const ms = e.lockedUntil - this.now();
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  fail(key: string, rule: ThrottleRule) {
    const now = this.now();
    const e = this.fresh(key, rule) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    e.failures += 1;
    e.lastFailure = now;
    if (e.failures > rule.free) e.lockedUntil = now + Math.min(rule.maxLockMs, 1000 * 2 ** Math.min(30, e.failures - rule.free - 1));
    this.entries.delete(key); // re-insert: the Map's order is least recently failed first
    this.entries.set(key, e);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  succeed(key: string) {
    this.entries.delete(key);
  }

  private fresh(key: string, rule: ThrottleRule): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.lastFailure > rule.windowMs && e.lockedUntil <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
