/**
 * The simulators' notion of "now". Everything time-based (Argo CD sync progress, KV expiry, the
 * Cloudflare rate-limit window) reads this clock instead of Date.now(), so a test can jump forward
 * with `POST /_sim/clock` instead of sleeping for the 60 s minimum TTL Cloudflare enforces.
 */
export class SimClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
