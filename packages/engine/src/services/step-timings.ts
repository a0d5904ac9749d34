// Step timings of one request, for the Server-Timing header (BATON_SERVER_TIMING=true; the engine
// benchmark turns it on to show where a start's time goes). Services mark their steps with
// `timedStep`; outside a timed request it only runs the step, at the cost of one lookup.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

export interface StepTiming {
  name: string;
  ms: number;
}

const current = new AsyncLocalStorage<StepTiming[]>();

/** Runs `fn` and records how long it took as `name` in the current timed request, if any. */
export async function timedStep<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const steps = current.getStore();
  if (!steps) return fn();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    steps.push({ name, ms: performance.now() - started });
  }
}

/** Runs `fn` as a timed request: the steps it (and everything it calls) marked, in order. */
export async function withStepTimings<T>(fn: () => Promise<T>): Promise<{ result: T; steps: StepTiming[] }> {
  const steps: StepTiming[] = [];
  const result = await current.run(steps, fn);
  return { result, steps };
}

/** The Server-Timing header's value: `name;dur=ms` per step (names made token-safe). */
export function serverTimingHeader(steps: StepTiming[]): string {
  return steps.map((s) => `${s.name.replace(/[^A-Za-z0-9_-]/g, '-')};dur=${s.ms.toFixed(2)}`).join(', ');
}
