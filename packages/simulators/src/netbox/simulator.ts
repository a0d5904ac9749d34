import { SimClock } from '../kit/clock.js';
import { Router, type SimRequest, type SimResponse } from '../kit/router.js';
import { startSimServer, type SimulatorHooks } from '../kit/server.js';
import type { NetBoxSimulatorOptions, RunningSimulator } from '../index.js';
import { addNetBoxRoutes } from './routes.js';
import { NetBoxStore } from './store.js';

export const DEFAULT_NETBOX_TOKEN = '0123456789abcdef0123456789abcdef01234567';
export const DEFAULT_NETBOX_V2_TOKEN = 'nbt_baton0key01.netbox-test-token-secret';

const forbidden = (message: string): SimResponse => ({ status: 403, json: { detail: message } });

/** NetBox answers 403 (not 401) for a missing or invalid token. */
function checkToken(req: SimRequest, v1: string, v2: string): SimResponse | undefined {
  const header = req.headers.authorization;
  if (!header) return forbidden('Authentication credentials were not provided.');
  const [scheme, value] = header.split(/\s+/, 2);
  if (/^token$/i.test(scheme) && value === v1) return undefined;
  if (/^bearer$/i.test(scheme) && value === v2) return undefined;
  if (/^bearer$/i.test(scheme) && !value?.startsWith('nbt_')) return forbidden('Invalid v2 token: expected nbt_<key>.<token>');
  return forbidden('Invalid token');
}

export async function startNetBox(options: NetBoxSimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<RunningSimulator> {
  const clock = new SimClock();
  const store = new NetBoxStore(options.seed ?? true);
  const router = new Router();
  const token = options.token ?? DEFAULT_NETBOX_TOKEN;
  const v2 = options.v2Token ?? DEFAULT_NETBOX_V2_TOKEN;
  addNetBoxRoutes(router, store, options.maxPageSize ?? 1000);

  const sim = await startSimServer({
    name: 'netbox',
    host: options.host,
    port: options.port,
    router,
    clock,
    admit: (req) => {
      const denied = checkToken(req, token, v2);
      return denied ? { response: denied } : {};
    },
    errors: {
      notFound: () => ({ status: 404, json: { detail: 'Not found.' } }),
      methodNotAllowed: (req) => ({ status: 405, json: { detail: `Method "${req.method}" not allowed.` } }),
      badBody: (_req, message) => ({ status: 400, json: { detail: `JSON parse error - ${message}` } }),
      fault: (status) =>
        status >= 500 ? { status, raw: `<h1>Server Error (${status})</h1>`, contentType: 'text/html' } : { status, json: { detail: `simulated fault: HTTP ${status}` } },
      internal: (err) => ({ status: 500, json: { error: (err as Error)?.message ?? String(err), exception: 'Exception', netbox_version: '4.2.2', python_version: '3.12.3' } }),
    },
    resetState: () => store.reset(),
    snapshot: () => store.snapshot(),
    onExchange: hooks.onExchange,
  });

  return { name: 'netbox', url: sim.url, port: sim.port, close: () => sim.close(), reset: async () => sim.reset() };
}
