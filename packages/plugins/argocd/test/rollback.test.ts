import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rollbackRuntime, syncRuntime } from '../src/runtime';
import { connection, fault, outcome, run, simApp, startSim, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ syncDurationMs: 200 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const props = (extra: Record<string, unknown> = {}) => ({ ...connection(sim), application: 'my-app', pollInterval: 'PT0.1S', ...extra });

/** Two deployments: history ids 0 (v1) and 1 (v2). */
async function deployTwice(): Promise<[string, string]> {
  const v1 = await run<any>(syncRuntime, props({ revision: 'v1' }));
  const v2 = await run<any>(syncRuntime, props({ revision: 'v2' }));
  return [v1.outputs.revision, v2.outputs.revision];
}

describe('argocd.apps.Rollback', () => {
  it('rolls back to the previous deployment and waits for it', async () => {
    const [v1] = await deployTwice();
    const r = await run<any>(rollbackRuntime, props({ previous: true }));
    expect(r.error).toBeUndefined();
    expect(r.outputs.rolledBackTo).toEqual({ id: 0, revision: v1 });
    expect(r.outputs.phase).toBe('Succeeded');
    expect(r.outputs.revision).toBe(v1);
    expect((await simApp(sim, 'my-app')).simulator.deployedRevision).toBe(v1);
    expect(r.logs.some((l) => /^rollback of my-app: Running/.test(l.message))).toBe(true);
  });

  it('rolls back to a history id', async () => {
    const [v1] = await deployTwice();
    const r = await run<any>(rollbackRuntime, props({ historyId: 0 }));
    expect(r.outputs.rolledBackTo.id).toBe(0);
    expect((await simApp(sim, 'my-app')).simulator.deployedRevision).toBe(v1);
  });

  it('says which ids exist when the id is unknown', async () => {
    await deployTwice();
    const r = await run<any>(rollbackRuntime, props({ historyId: 7 }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain('has no history id 7 (known ids: 0, 1)');
  });

  it('fails clearly when there is no previous deployment', async () => {
    await run(syncRuntime, props());
    const r = await run<any>(rollbackRuntime, props({ previous: true }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain('has 1 history entry: there is no previous deployment');
  });

  it("passes Argo's refusal through when automated sync is on", async () => {
    // An application with automated sync, created through the API as a user would.
    const created = await fetch(`${sim.url}/api/v1/applications`, {
      method: 'POST',
      headers: { authorization: 'Bearer argocd-test-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'auto-app' },
        spec: { project: 'default', source: { repoURL: 'https://git.example.com/apps.git', path: 'auto-app' }, syncPolicy: { automated: {} } },
      }),
    });
    expect(created.status).toBe(200);
    await run(syncRuntime, props({ application: 'auto-app', revision: 'v1' }));
    await run(syncRuntime, props({ application: 'auto-app', revision: 'v2' }));
    expect((await simApp(sim, 'auto-app')).status.history).toHaveLength(2);
    const r = await run<any>(rollbackRuntime, props({ application: 'auto-app', previous: true }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain("for application 'auto-app'");
    expect(r.error?.message).toContain('rollback cannot be initiated when auto-sync is enabled');
  });

  it('fails when the rollback operation fails', async () => {
    await deployTwice();
    await outcome(sim, 'my-app', { syncPhase: 'Failed', message: 'hook failed' });
    const r = await run<any>(rollbackRuntime, props({ previous: true }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain("rollback of application 'my-app'");
    expect(r.error?.message).toContain('ended Failed: hook failed');
  });

  it('stops with CANCELLED when killed during the wait', async () => {
    await deployTwice();
    await outcome(sim, 'my-app', { durationMs: 60_000 });
    const r = await run<any>(rollbackRuntime, props({ previous: true }), { abortAfterMs: 300 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.elapsedMs).toBeLessThan(1_300);
  });

  it('maps a 503 on the rollback call to a retryable error', async () => {
    await deployTwice();
    await fault(sim, { route: 'POST /api/v1/applications/my-app/rollback', kind: 'status', status: 503, times: 1 });
    const r = await run<any>(rollbackRuntime, props({ previous: true }));
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
  });

  it('fails with NOT_FOUND and AUTHENTICATION like the other tasks', async () => {
    expect((await run<any>(rollbackRuntime, props({ application: 'ghost', previous: true }))).error?.code).toBe('NOT_FOUND');
    expect((await run<any>(rollbackRuntime, props({ token: 'bad-token', previous: true }))).error?.code).toBe('AUTHENTICATION');
  });
});
