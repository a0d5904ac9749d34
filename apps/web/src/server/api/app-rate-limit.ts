import 'server-only';
import { AppError } from '@baton/engine';

/**
 * A fixed-window counter per key, in this process's memory: enough to stop one address from
 * flooding a PUBLIC app with executions (each web process counts on its own).
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(key: string, now = Date.now()): void {
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    if (++w.count > this.limit) {
      const error = new AppError('TOO_MANY_REQUESTS', `too many executions started from this address; try again in ${Math.ceil((w.start + this.windowMs - now) / 1000)} s`);
      error.retryAfter = Math.ceil((w.start + this.windowMs - now) / 1000);
      throw error;
    }
  }
}

export const appStartLimiter = new WindowLimiter(10, 60_000);
