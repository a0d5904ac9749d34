import { timingSafeEqual } from 'node:crypto';
import { SimClock } from '../kit/clock.js';
import { Router, type SimRequest } from '../kit/router.js';
import { startSimServer, type SimulatorHooks } from '../kit/server.js';
import type { NutanixSimulatorOptions, RunningSimulator } from '../index.js';
import { plainError } from './envelope.js';
import { addNutanixRoutes, renderVm } from './routes.js';
import { DEFAULT_TIMINGS, NutanixStore, type NutanixTimings } from './store.js';

export const DEFAULT_NUTANIX_USERNAME = 'admin';
export const DEFAULT_NUTANIX_PASSWORD = 'Nutanix/4u-sim';
export const DEFAULT_NUTANIX_API_KEY = 'nutanix-sim-api-key-0123456789';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Prism Central takes HTTP Basic or an API key (X-ntnx-api-key) of a service account. */
function authenticate(req: SimRequest, creds: { username: string; password: string; apiKey: string }): boolean {
  const key = req.headers['x-ntnx-api-key'];
  if (typeof key === 'string') return same(key, creds.apiKey);
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith('Basic ')) return false;
  const decoded = Buffer.from(auth.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  return colon > 0 && same(decoded.slice(0, colon), creds.username) && same(decoded.slice(colon + 1), creds.password);
}

export async function startNutanix(options: NutanixSimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<RunningSimulator> {
  const clock = new SimClock();
  const creds = {
    username: options.username ?? DEFAULT_NUTANIX_USERNAME,
    password: options.password ?? DEFAULT_NUTANIX_PASSWORD,
    apiKey: options.apiKey ?? DEFAULT_NUTANIX_API_KEY,
  };
  const initial = { ...DEFAULT_TIMINGS, ...options.timings };
  const store = new NutanixStore(clock, { ...initial }, options.seed ?? true);
  const router = new Router();
  addNutanixRoutes(router, store);

  const sim = await startSimServer({
    name: 'nutanix',
    host: options.host,
    port: options.port,
    router,
    clock,
    admit: (req) => (authenticate(req, creds) ? {} : { response: plainError(401, 'Authentication required: send HTTP Basic credentials or X-ntnx-api-key') }),
    errors: {
      notFound: (req) => plainError(404, `No API at ${req.method} ${req.path}`),
      methodNotAllowed: (req) => plainError(405, `Method ${req.method} is not allowed on ${req.path}`),
      badBody: (_req, message) => plainError(400, `The request body is not valid JSON: ${message}`),
      fault: (status) => plainError(status, status === 429 ? 'Too many requests: the API gateway is rate limiting this client' : `Simulated fault: HTTP ${status}`),
      internal: (err) => plainError(500, `Internal error: ${(err as Error)?.message ?? String(err)}`),
    },
    controlRoutes: (control) => {
      control.add('PUT', '/_sim/timings', (req) => {
        const body = (req.body ?? {}) as Partial<NutanixTimings>;
        for (const [k, v] of Object.entries(body)) {
          if (!(k in DEFAULT_TIMINGS) || typeof v !== 'number' || v < 0) throw new Error(`${k} must be one of ${Object.keys(DEFAULT_TIMINGS).join(', ')}, in ms`);
        }
        store.timings = { ...store.timings, ...body };
        return { status: 200, json: store.timings };
      });
      // The next task of that operation (CreateVm, PowerOnVm, CreateRecoveryPoint, ...) fails with this message.
      control.add('POST', '/_sim/outcome', (req) => {
        const body = (req.body ?? {}) as { operation?: string; message?: string };
        if (!body.operation) throw new Error('operation is required, e.g. {"operation":"CreateVm","message":"out of memory on the cluster"}');
        store.forced.push({ operation: body.operation, message: body.message ?? `simulated failure of ${body.operation}` });
        return { status: 200, json: { forced: store.forced } };
      });
      // The next `count` mutating calls are carried out and then answered 503, as if the answer was lost.
      control.add('POST', '/_sim/lose-answers', (req) => {
        const count = (req.body as { count?: number } | undefined)?.count ?? 1;
        if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
        store.loseAnswers = count;
        return { status: 200, json: { loseAnswers: count } };
      });
      // A VM for demos and tests: {name, powerState?, guestTools?, clusterExtId?}.
      control.add('POST', '/_sim/vms', (req) => {
        const body = (req.body ?? {}) as { name?: string; powerState?: 'ON' | 'OFF'; guestTools?: boolean; clusterExtId?: string };
        if (!body.name) throw new Error('name is required');
        return {
          status: 200,
          json: renderVm(store.addVm({ name: body.name, powerState: body.powerState ?? 'OFF', guestTools: body.guestTools ?? true, clusterExtId: body.clusterExtId })),
        };
      });
    },
    resetState: () => {
      store.timings = { ...initial };
      store.reset();
    },
    snapshot: () => ({ ...(store.snapshot() as object), clockOffsetMs: clock.offset }),
    onExchange: hooks.onExchange,
  });

  return { name: 'nutanix', url: sim.url, port: sim.port, close: () => sim.close(), reset: async () => sim.reset() };
}
