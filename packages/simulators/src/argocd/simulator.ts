import { SimClock } from '../kit/clock.js';
import { Router, type SimResponse } from '../kit/router.js';
import { startSimServer, type SimulatorHooks } from '../kit/server.js';
import { addArgoControlRoutes } from './control.js';
import { argoError, GrpcCode, grpcCodeForStatus } from './errors.js';
import { renderApp } from './render.js';
import { addArgoRoutes, requestToken } from './routes.js';
import { ArgoStore } from './store.js';
import type { ArgoCdSimulatorOptions, RunningSimulator } from '../index.js';

export async function startArgoCd(options: ArgoCdSimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<RunningSimulator> {
  const clock = new SimClock();
  const store = new ArgoStore(
    {
      token: options.token ?? 'argocd-test-token',
      username: options.username ?? 'admin',
      password: options.password ?? 'password',
      syncDurationMs: options.syncDurationMs ?? 1500,
      seed: options.seed ?? true,
    },
    clock,
  );
  const router = new Router();
  addArgoRoutes(router, store);

  const sim = await startSimServer({
    name: 'argocd',
    host: options.host,
    port: options.port,
    router,
    clock,
    admit: (req) => {
      const token = requestToken(req);
      if (!token) return { response: argoError(GrpcCode.Unauthenticated, 'no session information') };
      if (!store.tokens.has(token)) return { response: argoError(GrpcCode.Unauthenticated, 'invalid session: token signature is invalid') };
      return {};
    },
    errors: {
      // grpc-gateway's own answers for paths and methods it has no handler for.
      notFound: () => argoError(GrpcCode.NotFound, 'Not Found'),
      methodNotAllowed: () => argoError(GrpcCode.Unimplemented, 'Method Not Allowed'),
      badBody: (_req, message) => argoError(GrpcCode.InvalidArgument, `invalid character in request body: ${message}`),
      fault: (status): SimResponse => {
        const r = argoError(grpcCodeForStatus(status), status === 429 ? 'too many requests' : `simulated fault: HTTP ${status}`);
        return { ...r, status };
      },
      internal: (err) => argoError(GrpcCode.Internal, (err as Error)?.message ?? String(err)),
    },
    controlRoutes: (control) => addArgoControlRoutes(control, store),
    resetState: () => store.reset(),
    snapshot: () => ({
      applications: store.all().map((app) => ({
        ...renderApp(app),
        simulator: { headRevision: app.headRevision, deployedRevision: app.deployedRevision ?? null, outcome: app.outcome ?? null },
      })),
      sessions: store.tokens.size,
      syncDurationMs: store.settings.syncDurationMs,
      clockOffsetMs: clock.offset,
    }),
    onExchange: hooks.onExchange,
  });

  return {
    name: 'argocd',
    url: sim.url,
    port: sim.port,
    close: () => sim.close(),
    reset: async () => sim.reset(),
  };
}
