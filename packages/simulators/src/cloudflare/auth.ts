import type { AdmitResult } from '../kit/server.js';
import type { SimRequest } from '../kit/router.js';
import { authError, cfFail } from './envelope.js';
import type { CfStore } from './state.js';

/** Who is calling: the API token, or the legacy email + global key pair. */
export function credentialOf(req: SimRequest, store: CfStore): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) {
    const token = auth.slice(7).trim();
    return token === store.settings.token ? `token:${token}` : undefined;
  }
  const email = req.headers['x-auth-email'];
  const key = req.headers['x-auth-key'];
  if (email === store.settings.email && key === store.settings.globalKey) return `key:${email}`;
  return undefined;
}

interface Window {
  startedAt: number;
  count: number;
}

/**
 * Fixed window per credential. Cloudflare's rule is "1200 requests per 5 minutes, then every call
 * gets 429 until the window ends", which is what a fixed window gives; Retry-After is the time left.
 * Rejected calls do not count, so a well-behaved client that waits Retry-After gets through.
 */
export class RateLimiter {
  private windows = new Map<string, Window>();

  constructor(private readonly store: CfStore) {}

  reset(): void {
    this.windows.clear();
  }

  check(credential: string): AdmitResult {
    const { limit, windowSeconds } = this.store.rateLimit;
    const now = this.store.clock.now();
    const windowMs = windowSeconds * 1000;
    let w = this.windows.get(credential);
    if (!w || now >= w.startedAt + windowMs) {
      w = { startedAt: now, count: 0 };
      this.windows.set(credential, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.startedAt + windowMs - now) / 1000));
    const policy = `"burst";q=${limit};w=${windowSeconds}`;
    if (w.count >= limit) {
      const response = cfFail(429, {
        code: 10429,
        message: `More than ${limit} requests per ${windowSeconds} seconds reached. Please wait and consider throttling your request speed`,
      });
      response.headers = { 'Retry-After': String(resetSeconds), Ratelimit: `"default";r=0;t=${resetSeconds}`, 'Ratelimit-Policy': policy };
      return { response };
    }
    w.count++;
    return { headers: { Ratelimit: `"default";r=${limit - w.count};t=${resetSeconds}`, 'Ratelimit-Policy': policy } };
  }

  snapshot(): Record<string, Window> {
    return Object.fromEntries(this.windows);
  }
}

export function admitter(store: CfStore, limiter: RateLimiter) {
  return (req: SimRequest): AdmitResult => {
    const credential = credentialOf(req, store);
    if (!credential) {
      // /user/tokens/verify answers a bad token with its own error, as the real endpoint does.
      if (req.path.endsWith('/user/tokens/verify') && req.headers.authorization) {
        return { response: cfFail(401, { code: 1000, message: 'Invalid API Token' }) };
      }
      return { response: authError() };
    }
    return limiter.check(credential);
  };
}
