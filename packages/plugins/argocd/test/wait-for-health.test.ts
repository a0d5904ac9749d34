import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncRuntime, waitForHealthRuntime } from '../src/runtime';
import { connection, fault, outcome, run, startSim, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ syncDurationMs: 200 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const props = (extra: Record<string, unknown> = {}) => ({ ...connection(sim), application: 'my-app', pollInterval: 'PT0.1S', ...extra });

describe('argocd.apps.WaitForHealth', () => {
  it('returns as soon as the application is Healthy and Synced', async () => {
    await run(syncRuntime, props());
    const r = await run<any>(waitForHealthRuntime, props());
    expect(r.error).toBeUndefined();
    expect(r.outputs.healthStatus).toBe('Healthy');
    expect(r.outputs.syncStatus).toBe('Synced');
    expect(r.outputs.app.status.health.status).toBe('Healthy');
    expect(r.outputs.waitedMs).toBeGreaterThanOrEqual(0);
    expect(r.outputs.waitedMs).toBeLessThan(1_000);
  });

  it('waits while a sync is running, then succeeds', async () => {
    await outcome(sim, 'my-app', { durationMs: 1_200 });
    await run(syncRuntime, props({ wait: false }));
    const r = await run<any>(waitForHealthRuntime, props());
    expect(r.error).toBeUndefined();
    expect(r.outputs.healthStatus).toBe('Healthy');
    expect(r.outputs.waitedMs).toBeGreaterThanOrEqual(800);
    expect(r.logs.some((l) => /^waiting: my-app: health Progressing, sync OutOfSync, operation running$/.test(l.message))).toBe(true);
    expect(r.heartbeats).toBeGreaterThan(0);
  });

  it('fails fast, without retry, when the application turns Degraded', async () => {
    await outcome(sim, 'my-app', { health: 'Degraded' });
    await run(syncRuntime, props());
    const r = await run<any>(waitForHealthRuntime, props({ waitTimeout: 'PT1M' }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain("application 'my-app'");
    expect(r.error?.message).toContain('is Degraded');
    expect(r.error?.message).toContain('Deployment default/my-app Degraded: Deployment "my-app" exceeded its progress deadline');
    expect(r.elapsedMs).toBeLessThan(1_000);
  });

  it('fails fast when the application is Missing', async () => {
    // The seed app was never synced: its resources are Missing.
    const r = await run<any>(waitForHealthRuntime, props({ waitTimeout: 'PT1M' }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain('is Missing');
    expect(r.elapsedMs).toBeLessThan(1_000);
  });

  it('keeps waiting on Missing when failOn does not include it, then times out', async () => {
    const r = await run<any>(waitForHealthRuntime, props({ failOn: ['Degraded'], waitTimeout: 'PT1S' }));
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toMatch(/did not become Healthy and Synced within 1 s \(waitTimeout PT1S\); last seen my-app: health Missing/);
  });

  it('times out at the task deadline while the rollout stays Progressing', async () => {
    await outcome(sim, 'my-app', { health: 'Progressing' });
    await run(syncRuntime, props());
    const r = await run<any>(waitForHealthRuntime, props(), { deadline: Date.now() + 2_000 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toContain('the task timeout');
    expect(r.error?.message).toContain('Waiting for rollout to finish');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(r.elapsedMs).toBeLessThan(2_000);
  });

  it('stops promptly with CANCELLED when killed', async () => {
    await outcome(sim, 'my-app', { health: 'Progressing' });
    await run(syncRuntime, props());
    const r = await run<any>(waitForHealthRuntime, props({ pollInterval: 'PT5S' }), { abortAfterMs: 300 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.elapsedMs).toBeLessThan(1_300);
  });

  it('fails with NOT_FOUND for an unknown application', async () => {
    const r = await run<any>(waitForHealthRuntime, props({ application: 'ghost' }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain("application 'ghost' not found");
  });

  it('fails with AUTHENTICATION on a bad token', async () => {
    const r = await run<any>(waitForHealthRuntime, props({ token: 'bad-bad-bad' }));
    expect(r.error?.code).toBe('AUTHENTICATION');
  });

  it('does not give up on one 503 while polling, but does on the first read', async () => {
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'status', status: 503, times: 1 });
    const first = await run<any>(waitForHealthRuntime, props());
    expect(first.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(first.error?.retryable).toBe(true);

    await outcome(sim, 'my-app', { durationMs: 800 });
    await run(syncRuntime, props({ wait: false }));
    await new Promise((r) => setTimeout(r, 100));
    const wait = run<any>(waitForHealthRuntime, props({ pollInterval: 'PT0.2S' }));
    await new Promise((r) => setTimeout(r, 50));
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'status', status: 503, times: 1 });
    const r = await wait;
    expect(r.error).toBeUndefined();
    expect(r.logs.some((l) => l.level === 'WARN' && l.message.includes('503'))).toBe(true);
  });
});
