import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listRuntime, statusRuntime, syncRuntime } from '../src/runtime';
import { refreshMode } from '../src/tasks/status';
import { connection, control, fault, requests, run, startSim, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ syncDurationMs: 200 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('argocd.apps.Status', () => {
  it('returns the application so outputs.status.app.status.health.status works', async () => {
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app', refresh: true });
    expect(r.error).toBeUndefined();
    // The seed app has never been synced.
    expect(r.outputs.app.status.health.status).toBe('Missing');
    expect(r.outputs.app.status.sync.status).toBe('OutOfSync');
    expect(r.outputs.syncStatus).toBe('OutOfSync');
    expect(r.outputs.healthStatus).toBe('Missing');
    expect(r.outputs.resources.map((x: any) => x.kind).sort()).toEqual(['Deployment', 'Service']);
    expect(r.outputs.conditions).toEqual([]);
    expect(r.logs.some((l) => l.message === `my-app: sync OutOfSync, health Missing at ${r.outputs.revision} (after normal refresh)`)).toBe(true);
  });

  it('is Healthy and Synced after a sync', async () => {
    await run(syncRuntime, { ...connection(sim), application: 'my-app', pollInterval: 'PT0.1S' });
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app', refresh: 'hard' });
    expect(r.outputs.app.status.health.status).toBe('Healthy');
    expect(r.outputs.app.status.sync.status).toBe('Synced');
    expect(r.outputs.operationPhase).toBe('Succeeded');
    expect(r.outputs.resources.every((x: any) => x.health === 'Healthy' && x.status === 'Synced')).toBe(true);
  });

  it('maps refresh values: true → normal, false → none', () => {
    expect(refreshMode(true)).toBe('normal');
    expect(refreshMode(false)).toBeUndefined();
    expect(refreshMode('hard')).toBe('hard');
    expect(refreshMode('normal')).toBe('normal');
  });

  it('fails with NOT_FOUND for an unknown application', async () => {
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'ghost' });
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toBe(`application 'ghost' not found on ${sim.url}: applications.argoproj.io "ghost" not found`);
  });

  it('fails with NOT_FOUND when the application is in another project', async () => {
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app', project: 'payments' });
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain('(project payments)');
  });

  it('fails with AUTHENTICATION on a bad token', async () => {
    const r = await run<any>(statusRuntime, { ...connection(sim), token: 'bad-token-xyz', application: 'my-app' });
    expect(r.error?.code).toBe('AUTHENTICATION');
    expect(r.error?.retryable).toBe(false);
  });

  it('maps a 403 to PERMISSION_DENIED with a hint', async () => {
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'status', status: 403, times: 1 });
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app' });
    expect(r.error?.code).toBe('PERMISSION_DENIED');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain("for application 'my-app'");
  });

  it('maps a 500 to a retryable UPSTREAM_UNAVAILABLE', async () => {
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'status', status: 500, times: 1 });
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app' });
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
  });

  it('waits out a short 429 and succeeds', async () => {
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app' });
    expect(r.error).toBeUndefined();
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect((await requests(sim)).map((q) => q.status)).toEqual([429, 200]);
  });

  it('does not wait for a 429 past the deadline', async () => {
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'rate_limit', retryAfterSeconds: 5, times: 1 });
    const r = await run<any>(statusRuntime, { ...connection(sim), application: 'my-app' }, { deadline: Date.now() + 3_000 });
    expect(r.error?.code).toBe('RATE_LIMITED');
    expect(r.error?.retryAfterMs).toBe(5_000);
    expect(r.elapsedMs).toBeLessThan(1_000);
  });
});

describe('argocd.apps.List', () => {
  beforeEach(async () => {
    await control(sim, 'POST', '/_sim/applications', { name: 'payments-api', project: 'payments', labels: { tier: 'web' }, state: 'healthy' });
    await control(sim, 'POST', '/_sim/applications', { name: 'payments-worker', project: 'payments', labels: { tier: 'batch' } });
  });

  it('lists every application with its status', async () => {
    const r = await run<any>(listRuntime, connection(sim));
    expect(r.outputs.count).toBe(3);
    expect(r.outputs.names).toEqual(['my-app', 'payments-api', 'payments-worker']);
    expect(r.outputs.applications[1]).toEqual({
      name: 'payments-api',
      namespace: 'argocd',
      project: 'payments',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
  });

  it('filters by projects and selector', async () => {
    const r = await run<any>(listRuntime, { ...connection(sim), projects: ['payments'], selector: 'tier=web' });
    expect(r.outputs.names).toEqual(['payments-api']);
    const byName = await run<any>(listRuntime, { ...connection(sim), name: 'my-app' });
    expect(byName.outputs.names).toEqual(['my-app']);
  });

  it('reports a bad selector as a non-retryable REMOTE_ERROR', async () => {
    const r = await run<any>(listRuntime, { ...connection(sim), selector: 'tier in (web)' });
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain('error parsing selector');
  });

  it('fails with AUTHENTICATION on a bad token', async () => {
    const r = await run<any>(listRuntime, { ...connection(sim), token: 'nope-nope' });
    expect(r.error?.code).toBe('AUTHENTICATION');
  });

  it('maps a 502 to a retryable UPSTREAM_UNAVAILABLE', async () => {
    await fault(sim, { route: 'GET /api/v1/applications', kind: 'status', status: 502, times: 1 });
    const r = await run<any>(listRuntime, connection(sim));
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
  });
});
