// Server-Timing's step timings (BATON_SERVER_TIMING): steps are recorded for the request they ran
// in, concurrent requests do not mix, and outside a timed request a step only runs.
import { describe, expect, it } from 'vitest';
import { serverTimingHeader, timedStep, withStepTimings } from '../src/services/step-timings';

const tick = () => new Promise((r) => setImmediate(r));

describe('step timings', () => {
  it('records each step of a request in order, nested calls included, and failed steps too', async () => {
    const { result, steps } = await withStepTimings(async () => {
      await timedStep('flow', async () => tick());
      await timedStep('insert', () => Promise.reject(new Error('refused'))).catch(() => undefined);
      return timedStep('outer', () => timedStep('inner', async () => 42));
    });
    expect(result).toBe(42);
    expect(steps.map((s) => s.name)).toEqual(['flow', 'insert', 'inner', 'outer']);
    for (const s of steps) expect(s.ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps concurrent requests apart', async () => {
    const run = (name: string) =>
      withStepTimings(async () => {
        await tick();
        await timedStep(name, tick);
      });
    const [a, b] = await Promise.all([run('a'), run('b')]);
    expect(a.steps.map((s) => s.name)).toEqual(['a']);
    expect(b.steps.map((s) => s.name)).toEqual(['b']);
  });

  it('outside a timed request only runs the step', async () => {
    await expect(timedStep('alone', async () => 'ran')).resolves.toBe('ran');
  });

  it('writes a Server-Timing header with token-safe names', () => {
    expect(
      serverTimingHeader([
        { name: 'temporal start', ms: 1.234 },
        { name: 'insert', ms: 0.5 },
      ]),
    ).toBe('temporal-start;dur=1.23, insert;dur=0.50');
  });
});
