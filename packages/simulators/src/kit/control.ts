import type { SimClock } from './clock.js';
import { FaultSpecError, parseFaultSpec, type FaultStore } from './faults.js';
import type { Router } from './router.js';
import type { RequestLogEntry } from './server.js';

export interface ControlContext {
  faults: FaultStore;
  reset(): void;
  snapshot(): unknown;
  requests(): RequestLogEntry[];
  clock: SimClock;
}

/** The control API shared by every simulator (README: "Control API"). */
export function addControlRoutes(router: Router, ctx: ControlContext): void {
  router
    .add('POST', '/_sim/reset', () => {
      ctx.reset();
      return { status: 200, json: { ok: true } };
    })
    .add('POST', '/_sim/faults', (req) => {
      try {
        const fault = ctx.faults.add(parseFaultSpec(req.body));
        return { status: 200, json: { id: fault.id } };
      } catch (err) {
        if (err instanceof FaultSpecError) return { status: 400, json: { error: err.message } };
        throw err;
      }
    })
    .add('GET', '/_sim/faults', () => ({ status: 200, json: ctx.faults.list() }))
    .add('DELETE', '/_sim/faults', () => {
      ctx.faults.clear();
      return { status: 200, json: { ok: true } };
    })
    .add('DELETE', '/_sim/faults/:id', (req) =>
      ctx.faults.remove(req.params.id) ? { status: 200, json: { ok: true } } : { status: 404, json: { error: `no fault ${req.params.id}` } },
    )
    .add('GET', '/_sim/state', () => ({ status: 200, json: ctx.snapshot() }))
    .add('GET', '/_sim/requests', () => ({ status: 200, json: ctx.requests() }))
    .add('POST', '/_sim/clock', (req) => {
      const body = (req.body ?? {}) as { advanceMs?: unknown };
      if (typeof body.advanceMs !== 'number' || !Number.isFinite(body.advanceMs) || body.advanceMs < 0) {
        return { status: 400, json: { error: 'advanceMs must be a non-negative number of milliseconds' } };
      }
      ctx.clock.advance(body.advanceMs);
      return { status: 200, json: { offsetMs: ctx.clock.offset, now: new Date(ctx.clock.now()).toISOString() } };
    });
}
