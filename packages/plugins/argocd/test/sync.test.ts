import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncRuntime } from '../src/runtime';
import { connection, fault, outcome, requests, run, simApp, startSim, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ syncDurationMs: 300 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const props = (extra: Record<string, unknown> = {}) => ({ ...connection(sim), application: 'my-app', pollInterval: 'PT0.1S', ...extra });

describe('argocd.apps.Sync', () => {
  it('syncs, waits for the operation and returns the synced application', async () => {
    const r = await run<any>(syncRuntime, props({ prune: true }));
    expect(r.error).toBeUndefined();
    expect(r.outputs.phase).toBe('Succeeded');
    expect(r.outputs.syncStatus).toBe('Synced');
    expect(r.outputs.healthStatus).toBe('Healthy');
    expect(r.outputs.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(r.outputs.app.metadata.name).toBe('my-app');
    expect(r.outputs.app.status.operationState.phase).toBe('Succeeded');
    expect(r.outputs.resources.map((x: any) => `${x.kind}/${x.name}:${x.status}`).sort()).toEqual(['Deployment/my-app:Synced', 'Service/my-app:Synced']);
    // Progress is logged in a form a person can follow, and the task heartbeats while waiting.
    expect(r.logs.some((l) => l.level === 'INFO' && /^sync of my-app: Running \(\d+\/2 resources synced\)$/.test(l.message))).toBe(true);
    expect(r.heartbeats).toBeGreaterThan(0);
    // The sync really happened on the server: one history entry, deployed at that revision.
    const app = await simApp(sim, 'my-app');
    expect(app.status.history).toHaveLength(1);
    expect(app.simulator.deployedRevision).toBe(r.outputs.revision);
    expect(JSON.parse(JSON.stringify(r.outputs))).toEqual(r.outputs);
  });

  it('logs in with username and password and masks the session token', async () => {
    const r = await run<any>(syncRuntime, { server: sim.url, username: 'admin', password: 'password', application: 'my-app', pollInterval: 'PT0.1S' });
    expect(r.error).toBeUndefined();
    expect(r.outputs.phase).toBe('Succeeded');
    const calls = await requests(sim);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/session', status: 200 });
    // The password and the session token (a JWT) are registered for masking: 2 values, each with its base64 form.
    expect(r.masker.size).toBeGreaterThanOrEqual(4);
    expect(r.masker.maskText('password')).toBe('******');
  });

  it('accepts a server without a scheme only as https (and fails clearly when that is wrong)', async () => {
    const hostPort = sim.url.replace(/^http:\/\//, '');
    const r = await run<any>(syncRuntime, props({ server: hostPort }));
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.message).toContain(`https://${hostPort}`);
  });

  it('fails with AUTHENTICATION, not retryable, on a bad token, without leaking it', async () => {
    const r = await run<any>(syncRuntime, props({ token: 'not-the-token-1234' }));
    expect(r.error?.code).toBe('AUTHENTICATION');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain(sim.url);
    expect(r.error?.message).not.toContain('not-the-token-1234');
  });

  it('fails with AUTHENTICATION on a wrong password', async () => {
    const r = await run<any>(syncRuntime, { server: sim.url, username: 'admin', password: 'wrong-password', application: 'my-app' });
    expect(r.error?.code).toBe('AUTHENTICATION');
    expect(r.error?.message).toMatch(/login to Argo CD at .* as 'admin' failed/);
    expect(r.error?.message).not.toContain('wrong-password');
  });

  it('fails with NOT_FOUND naming the application, server and project', async () => {
    const r = await run<any>(syncRuntime, props({ application: 'nope', project: 'default' }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain(`application 'nope' not found on ${sim.url} (project default)`);
  });

  it('waits out a short 429 (Retry-After) and then succeeds', async () => {
    await fault(sim, { route: 'POST /api/v1/applications/my-app/sync', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const r = await run<any>(syncRuntime, props());
    expect(r.error).toBeUndefined();
    expect(r.outputs.phase).toBe('Succeeded');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(r.logs.some((l) => l.level === 'WARN' && /rate limiting .*waiting 1 s/.test(l.message))).toBe(true);
    const syncs = (await requests(sim)).filter((q) => q.method === 'POST' && q.path.endsWith('/sync'));
    expect(syncs.map((q) => q.status)).toEqual([429, 200]);
  });

  it('raises RATE_LIMITED with retryAfterMs when Retry-After is too long to wait in the task', async () => {
    await fault(sim, { route: 'POST /api/v1/applications/my-app/sync', kind: 'rate_limit', retryAfterSeconds: 120, times: 1 });
    const r = await run<any>(syncRuntime, props());
    expect(r.error?.code).toBe('RATE_LIMITED');
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.retryAfterMs).toBe(120_000);
    expect(r.elapsedMs).toBeLessThan(2_000);
  });

  it('maps a 503 to a retryable UPSTREAM_UNAVAILABLE', async () => {
    await fault(sim, { route: 'POST /api/v1/applications/my-app/sync', kind: 'status', status: 503, times: 1 });
    const r = await run<any>(syncRuntime, props());
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.message).toContain('503');
  });

  it('maps a dropped connection to a retryable UPSTREAM_UNAVAILABLE', async () => {
    await fault(sim, { route: 'POST /api/v1/applications/my-app/sync', kind: 'drop', times: 1 });
    const r = await run<any>(syncRuntime, props());
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
  });

  it('rides out a transient 503 while polling', async () => {
    await outcome(sim, 'my-app', { durationMs: 800 });
    await fault(sim, { route: 'GET /api/v1/applications/my-app', kind: 'status', status: 503, times: 1 });
    const r = await run<any>(syncRuntime, props());
    expect(r.error).toBeUndefined();
    expect(r.outputs.phase).toBe('Succeeded');
    expect(r.logs.some((l) => l.level === 'WARN' && /reading my-app failed .*503/.test(l.message))).toBe(true);
  });

  it("fails with Argo's message when the sync ends Failed", async () => {
    await outcome(sim, 'my-app', { syncPhase: 'Failed', message: 'one or more synchronization tasks completed unsuccessfully' });
    const r = await run<any>(syncRuntime, props());
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain("sync of application 'my-app'");
    expect(r.error?.message).toContain('ended Failed: one or more synchronization tasks completed unsuccessfully');
    expect(r.error?.message).toMatch(/Deployment default\/my-app/);
  });

  it('fails when the sync ends in Error', async () => {
    await outcome(sim, 'my-app', { syncPhase: 'Error' });
    const r = await run<any>(syncRuntime, props());
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain('ended Error');
  });

  it('stops promptly with CANCELLED when killed mid-wait and terminates the operation', async () => {
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    const r = await run<any>(syncRuntime, props({ pollInterval: 'PT2S' }), { abortAfterMs: 400 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.error?.retryable).toBe(false);
    expect(r.elapsedMs).toBeLessThan(1_400);
    expect(r.error?.message).toContain('operation was terminated');
    const app = await simApp(sim, 'my-app');
    expect(app.operation).toBeUndefined();
    expect(app.status.operationState.message).toBe('Operation terminated');
  });

  it('leaves the operation running on a kill when terminateOnCancel is false', async () => {
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    const r = await run<any>(syncRuntime, props({ terminateOnCancel: false }), { abortAfterMs: 300 });
    expect(r.error?.code).toBe('CANCELLED');
    expect((await simApp(sim, 'my-app')).operation).toBeDefined();
  });

  it('gives up with TIMEOUT before the task deadline', async () => {
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    const r = await run<any>(syncRuntime, props(), { deadline: Date.now() + 2_500 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toMatch(/sync of application 'my-app' did not finish within .* \(the task timeout\); last phase Running/);
    expect(r.elapsedMs).toBeLessThan(2_500);
  });

  it('honours waitTimeout', async () => {
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    const r = await run<any>(syncRuntime, props({ waitTimeout: 'PT1S' }));
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toContain('waitTimeout PT1S');
    expect(r.elapsedMs).toBeLessThan(2_000);
  });

  it('returns at once with wait: false', async () => {
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    const r = await run<any>(syncRuntime, props({ wait: false }));
    expect(r.outputs.phase).toBe('Running');
    expect(r.elapsedMs).toBeLessThan(1_000);
  });

  it('syncs only the given resources, at the given revision, with force', async () => {
    const r = await run<any>(syncRuntime, props({ revision: 'v1.2.3', force: true, resources: [{ group: 'apps', kind: 'Deployment', name: 'my-app', namespace: 'default' }] }));
    expect(r.error).toBeUndefined();
    expect(r.outputs.resources).toHaveLength(1);
    expect(r.outputs.resources[0]).toMatchObject({ kind: 'Deployment', name: 'my-app', status: 'Synced' });
    const op = (await simApp(sim, 'my-app')).status.operationState.operation.sync;
    expect(op.syncStrategy).toEqual({ apply: { force: true } });
    expect(op.resources).toEqual([{ group: 'apps', kind: 'Deployment', name: 'my-app', namespace: 'default' }]);
  });

  it('reports a sync already in progress as a retryable CONFLICT', async () => {
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    await run<any>(syncRuntime, props({ wait: false }));
    const r = await run<any>(syncRuntime, props());
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.message).toContain('another operation is already in progress');
  });

  it('rejects invalid properties with a message naming the field', async () => {
    const r = await run<any>(syncRuntime, { ...props(), prune: 'yes' });
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toMatch(/prune/);
  });
});
