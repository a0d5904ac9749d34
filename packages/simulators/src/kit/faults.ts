import { randomUUID } from 'node:crypto';

export type FaultKind = 'latency' | 'status' | 'rate_limit' | 'drop';
export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'status', 'rate_limit', 'drop'];

export interface FaultSpec {
  /** `"<METHOD> <path regex>"`; METHOD may be `*`. The regex must match the whole path. */
  route: string;
  kind: FaultKind;
  latencyMs?: number;
  status?: number;
  retryAfterSeconds?: number;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
  /** Optional body for `status` faults; the simulator's own error shape otherwise. */
  body?: unknown;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Requests it still applies to (null = unlimited). */
  remaining: number | null;
  hits: number;
}

export class FaultSpecError extends Error {}

/** Validates a fault posted to /_sim/faults so a typo fails loudly instead of silently matching nothing. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new FaultSpecError('fault must be a JSON object');
  const o = input as Record<string, unknown>;
  if (typeof o.route !== 'string' || !/^\S+\s+\S/.test(o.route)) {
    throw new FaultSpecError('route must be "<METHOD> <path regex>", e.g. "POST /api/v1/applications/.*/sync"');
  }
  const [, regex] = splitRoute(o.route);
  try {
    new RegExp(regex);
  } catch (err) {
    throw new FaultSpecError(`route regex is invalid: ${(err as Error).message}`);
  }
  if (!FAULT_KINDS.includes(o.kind as FaultKind)) throw new FaultSpecError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  const kind = o.kind as FaultKind;
  const num = (key: string, min: number, max: number): number | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new FaultSpecError(`${key} must be an integer between ${min} and ${max}`);
    }
    return v;
  };
  const spec: FaultSpec = {
    route: o.route,
    kind,
    latencyMs: num('latencyMs', 0, 600_000),
    status: num('status', 100, 599),
    retryAfterSeconds: num('retryAfterSeconds', 0, 86_400),
    times: num('times', 1, 1_000_000),
    body: o.body,
  };
  if (kind === 'latency' && spec.latencyMs === undefined) throw new FaultSpecError('latency faults need latencyMs');
  if (kind === 'status' && spec.status === undefined) throw new FaultSpecError('status faults need status (e.g. 503)');
  return spec;
}

function splitRoute(route: string): [string, string] {
  const trimmed = route.trim();
  const space = trimmed.search(/\s/);
  return [trimmed.slice(0, space).toUpperCase(), trimmed.slice(space).trim()];
}

interface CompiledFault {
  fault: Fault;
  method: string;
  regex: RegExp;
}

export interface FaultPlan {
  /** Total delay from every matching latency fault. */
  latencyMs: number;
  /** The first matching fault that replaces the response (status, rate_limit or drop). */
  terminal?: Fault;
}

/**
 * Active faults in the order they were added. `take` consumes one use of every fault it applies,
 * so `times` counts matching requests, not calls to the store.
 */
export class FaultStore {
  private faults: CompiledFault[] = [];

  add(spec: FaultSpec): Fault {
    const [method, regex] = splitRoute(spec.route);
    const fault: Fault = { ...spec, id: randomUUID(), remaining: spec.times ?? null, hits: 0 };
    this.faults.push({ fault, method, regex: new RegExp(`^(?:${regex})$`) });
    return fault;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.fault.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f.fault }));
  }

  /**
   * @param paths the path as sent plus any alias (the path without the API prefix), so
   *   `"GET /zones/.*"` and `"GET /client/v4/zones/.*"` both work.
   */
  take(method: string, paths: string[]): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0 };
    for (const c of this.faults) {
      if (c.fault.remaining === 0) continue;
      if (c.method !== '*' && c.method !== method.toUpperCase()) continue;
      if (!paths.some((p) => c.regex.test(p))) continue;
      if (c.fault.kind === 'latency') {
        plan.latencyMs += c.fault.latencyMs ?? 0;
      } else if (plan.terminal) {
        continue; // only one fault can own the response; later ones keep their uses
      } else {
        plan.terminal = c.fault;
      }
      c.fault.hits++;
      if (c.fault.remaining !== null) c.fault.remaining--;
    }
    this.faults = this.faults.filter((f) => f.fault.remaining !== 0);
    return plan;
  }
}
