import { SimClock } from '../kit/clock.js';
import { Router } from '../kit/router.js';
import { startSimServer, type SimulatorHooks } from '../kit/server.js';
import type { MaasSimulatorOptions, RunningSimulator } from '../index.js';
import { parseApiKey, verifyOAuth } from './auth.js';
import { renderMachine } from './render.js';
import { text } from './respond.js';
import { addMaasRoutes } from './routes.js';
import { DEFAULT_TIMINGS, MaasStore, NodeStatus, type MaasOutcome, type MaasTimings } from './store.js';

export const DEFAULT_MAAS_API_KEY = 'baton-consumer:baton-token:baton-token-secret';

export async function startMaas(options: MaasSimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<RunningSimulator> {
  const clock = new SimClock();
  const key = parseApiKey(options.apiKey ?? DEFAULT_MAAS_API_KEY);
  const store = new MaasStore(clock, { ...DEFAULT_TIMINGS, ...options.timings }, options.seed ?? true);
  const router = new Router();
  addMaasRoutes(router, store);

  const sim = await startSimServer({
    name: 'maas',
    host: options.host,
    port: options.port,
    apiPrefix: '/MAAS/api/2.0',
    router,
    clock,
    admit: (req) => {
      const denied = verifyOAuth(req, key);
      return denied ? { response: denied } : {};
    },
    errors: {
      notFound: (req) => text(404, `Unknown API endpoint: ${req.path}`),
      methodNotAllowed: (req) => text(405, `Method not allowed: ${req.method} ${req.path}`),
      badBody: (_req, message) => text(400, `Bad request: ${message}`),
      fault: (status) => text(status, status >= 500 ? `Simulated fault: HTTP ${status} (MAAS region controller unavailable)` : `Simulated fault: HTTP ${status}`),
      internal: (err) => text(500, `Internal error: ${(err as Error)?.message ?? String(err)}`),
    },
    controlRoutes: (control) => {
      control.add('POST', '/_sim/outcome', (req) => {
        const body = (req.body ?? {}) as MaasOutcome;
        for (const kind of ['commissioning', 'deployment'] as const) {
          if (body[kind] !== undefined && body[kind] !== 'fail' && body[kind] !== 'succeed') throw new Error(`${kind} must be "fail" or "succeed"`);
        }
        if (body.commissioning === undefined && body.deployment === undefined) throw new Error('give commissioning and/or deployment: "fail" | "succeed"');
        store.outcomes.push({ ...body });
        return { status: 200, json: { outcomes: store.outcomes } };
      });
      control.add('PUT', '/_sim/timings', (req) => {
        const body = (req.body ?? {}) as Partial<MaasTimings>;
        for (const [k, v] of Object.entries(body)) {
          if (!(k in DEFAULT_TIMINGS) || typeof v !== 'number' || v < 0) throw new Error(`${k} must be one of ${Object.keys(DEFAULT_TIMINGS).join(', ')}, in ms`);
        }
        store.timings = { ...store.timings, ...body };
        return { status: 200, json: store.timings };
      });
      // A machine already commissioned, e.g. for demos: {hostname, mac?, zone?, pool?, status?: "Ready"|"Deployed"|"New"}.
      control.add('POST', '/_sim/machines', (req) => {
        const body = (req.body ?? {}) as { hostname?: string; mac?: string; zone?: string; pool?: string; status?: string };
        if (!body.hostname) throw new Error('hostname is required');
        const status = body.status === 'Deployed' ? NodeStatus.DEPLOYED : body.status === 'New' ? NodeStatus.NEW : NodeStatus.READY;
        const m = store.create({
          hostname: body.hostname,
          architecture: 'amd64/generic',
          mac_addresses: [body.mac ?? `52:54:00:aa:00:${(store.machines.size + 16).toString(16).padStart(2, '0')}`],
          domain: 'maas',
          zone: body.zone ?? 'default',
          pool: body.pool ?? 'default',
          power_type: 'manual',
          power_parameters: {},
          description: '',
          status,
        });
        return { status: 200, json: renderMachine(m) };
      });
    },
    resetState: () => store.reset(),
    snapshot: () => ({ ...(store.snapshot() as object), clockOffsetMs: clock.offset }),
    onExchange: hooks.onExchange,
  });

  return { name: 'maas', url: sim.url, port: sim.port, close: () => sim.close(), reset: async () => sim.reset() };
}
