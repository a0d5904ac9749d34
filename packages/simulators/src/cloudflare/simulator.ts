import { SimClock } from '../kit/clock.js';
import { Router } from '../kit/router.js';
import { startSimServer, type SimulatorHooks } from '../kit/server.js';
import type { CloudflareSimulatorOptions, RunningSimulator } from '../index.js';
import { addAccessRuleRoutes } from './access-rules.js';
import { admitter, RateLimiter } from './auth.js';
import { addDnsRoutes } from './dns.js';
import { cfFail } from './envelope.js';
import { addKvRoutes } from './kv.js';
import { addPurgeRoutes } from './purge.js';
import { CfStore } from './state.js';
import { addZoneRoutes, API } from './zones.js';

export async function startCloudflare(options: CloudflareSimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<RunningSimulator> {
  const clock = new SimClock();
  const store = new CfStore(
    {
      token: options.token ?? 'cloudflare-test-token',
      email: options.email ?? 'admin@example.com',
      globalKey: options.globalKey ?? 'cloudflare-global-key',
      accountId: options.accountId ?? 'account-1',
      seed: options.seed ?? true,
    },
    clock,
  );
  const limiter = new RateLimiter(store);
  const router = new Router();
  addZoneRoutes(router, store);
  addDnsRoutes(router, store);
  addPurgeRoutes(router, store);
  addAccessRuleRoutes(router, store);
  addKvRoutes(router, store);

  const sim = await startSimServer({
    name: 'cloudflare',
    host: options.host,
    port: options.port,
    apiPrefix: API,
    router,
    clock,
    admit: admitter(store, limiter),
    errors: {
      notFound: () => cfFail(404, { code: 7000, message: 'No route for that URI' }),
      methodNotAllowed: () => cfFail(405, { code: 10405, message: 'Method not allowed' }),
      badBody: () => cfFail(400, { code: 6007, message: 'Malformed JSON in request body' }),
      fault: (status) =>
        status === 429
          ? cfFail(429, { code: 10429, message: 'Rate limited. Please wait and consider throttling your request speed' })
          : cfFail(status, { code: status >= 500 ? 10502 : 10400, message: `simulated fault: HTTP ${status}` }),
      internal: (err) => cfFail(500, { code: 10500, message: `internal error: ${(err as Error)?.message ?? String(err)}` }),
    },
    controlRoutes: (control) => {
      control.add('PUT', '/_sim/rate-limit', (req) => {
        const b = (req.body ?? {}) as { limit?: unknown; windowSeconds?: unknown };
        const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
        if (!positiveInt(b.limit) || !positiveInt(b.windowSeconds)) {
          return { status: 400, json: { error: 'limit and windowSeconds must be positive integers' } };
        }
        store.rateLimit = { limit: b.limit, windowSeconds: b.windowSeconds };
        limiter.reset(); // a new policy starts a fresh window, so tests are not affected by earlier calls
        return { status: 200, json: store.rateLimit };
      });
    },
    resetState: () => {
      store.reset();
      limiter.reset();
    },
    snapshot: () => ({ ...(store.snapshot() as object), rateLimitWindows: limiter.snapshot(), clockOffsetMs: clock.offset }),
    onExchange: hooks.onExchange,
  });

  return {
    name: 'cloudflare',
    url: sim.url,
    port: sim.port,
    close: () => sim.close(),
    reset: async () => sim.reset(),
  };
}
