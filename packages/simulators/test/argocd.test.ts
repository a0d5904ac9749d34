import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { argo, eventually, sleep, type TestSim } from './helpers.js';

const SYNC_MS = 200;

describe('Argo CD simulator', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await argo({ syncDurationMs: SYNC_MS });
  });
  afterAll(() => t.sim.close());
  beforeEach(() => t.control('POST', '/_sim/reset'));

  const getApp = async (name = 'my-app') => (await t.api('GET', `/api/v1/applications/${name}`)).body;

  describe('auth', () => {
    it('rejects a missing or wrong token with Unauthenticated (401, code 16)', async () => {
      const missing = await t.api('GET', '/api/v1/applications', undefined, { authorization: '' });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ error: 'no session information', code: 16, message: 'no session information', details: [] });
      const wrong = await t.api('GET', '/api/v1/applications', undefined, { authorization: 'Bearer nope' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe(16);
    });

    it('accepts the argocd.token cookie', async () => {
      const res = await t.api('GET', '/api/v1/applications/my-app', undefined, { authorization: '', cookie: 'other=1; argocd.token=argocd-test-token' });
      expect(res.status).toBe(200);
    });

    it('issues a working token for the right username/password and refuses the wrong one', async () => {
      const bad = await t.api('POST', '/api/v1/session', { username: 'admin', password: 'wrong' }, { authorization: '' });
      expect(bad.status).toBe(401);
      expect(bad.body.message).toBe('Invalid username or password');
      const login = await t.api('POST', '/api/v1/session', { username: 'admin', password: 'password' }, { authorization: '' });
      expect(login.status).toBe(200);
      expect(login.body.token.split('.')).toHaveLength(3);
      expect(login.headers.get('set-cookie')).toContain('argocd.token=');
      const withToken = await t.api('GET', '/api/v1/applications', undefined, { authorization: `Bearer ${login.body.token}` });
      expect(withToken.status).toBe(200);
      const info = await t.api('GET', '/api/v1/session/userinfo', undefined, { authorization: `Bearer ${login.body.token}` });
      expect(info.body).toMatchObject({ loggedIn: true, username: 'admin' });
      // Logging out revokes the token.
      await t.api('DELETE', '/api/v1/session', undefined, { authorization: `Bearer ${login.body.token}` });
      expect((await t.api('GET', '/api/v1/applications', undefined, { authorization: `Bearer ${login.body.token}` })).status).toBe(401);
    });

    it('serves version and settings without a token (connectivity checks)', async () => {
      for (const path of ['/api/version', '/api/v1/version']) {
        const res = await t.api('GET', path, undefined, { authorization: '' });
        expect(res.status).toBe(200);
        expect(res.body.Version).toMatch(/^v3\.5\.1/);
      }
      const settings = await t.api('GET', '/api/v1/settings', undefined, { authorization: '' });
      expect(settings.body).toMatchObject({ appLabelKey: 'app.kubernetes.io/instance', controllerNamespace: 'argocd' });
      const anon = await t.api('GET', '/api/v1/session/userinfo', undefined, { authorization: '' });
      expect(anon.body).toEqual({ loggedIn: false });
    });
  });

  describe('reading applications', () => {
    it('seeds my-app OutOfSync / Missing with a Deployment and a Service', async () => {
      const app = await getApp();
      expect(app.metadata).toMatchObject({ name: 'my-app', namespace: 'argocd' });
      expect(app.spec.project).toBe('default');
      expect(app.status.sync.status).toBe('OutOfSync');
      expect(app.status.health.status).toBe('Missing');
      expect(app.status.history).toEqual([]);
      expect(app.status.resources.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`).sort()).toEqual(['Deployment:OutOfSync', 'Service:OutOfSync']);
      expect(app.operation).toBeUndefined();
    });

    it('answers an unknown app with NotFound (404, code 5)', async () => {
      const res = await t.api('GET', '/api/v1/applications/ghost');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 5, message: 'applications.argoproj.io "ghost" not found' });
      expect((await t.api('POST', '/api/v1/applications/ghost/sync', {})).status).toBe(404);
      expect((await t.api('GET', '/api/v1/applications/my-app?appNamespace=elsewhere')).status).toBe(404);
    });

    it('filters the list by name, project, repo and label selector', async () => {
      await t.control('POST', '/_sim/applications', { name: 'billing', project: 'payments', repoURL: 'https://git.example.com/billing.git' });
      const names = async (query: string) => (await t.api('GET', `/api/v1/applications${query}`)).body.items.map((a: { metadata: { name: string } }) => a.metadata.name);
      expect(await names('')).toEqual(['billing', 'my-app']);
      expect(await names('?name=billing')).toEqual(['billing']);
      expect(await names('?projects=payments')).toEqual(['billing']);
      expect(await names('?projects=default&projects=payments')).toEqual(['billing', 'my-app']);
      expect(await names('?project=default')).toEqual(['my-app']);
      expect(await names('?repo=https%3A%2F%2Fgit.example.com%2Fbilling.git')).toEqual(['billing']);
      expect(await names('?name=nothing')).toEqual([]);
      const created = await t.api('POST', '/api/v1/applications', {
        metadata: { name: 'labelled', labels: { team: 'edge' } },
        spec: { project: 'default', source: { repoURL: 'https://git.example.com/x.git', path: 'x' }, destination: { namespace: 'x' } },
      });
      expect(created.status).toBe(200);
      expect(await names('?selector=team%3Dedge')).toEqual(['labelled']);
    });

    it('accepts refresh=normal|hard and rejects other values', async () => {
      expect((await t.api('GET', '/api/v1/applications/my-app?refresh=hard')).status).toBe(200);
      expect((await t.api('GET', '/api/v1/applications/my-app?refresh=normal')).status).toBe(200);
      const bad = await t.api('GET', '/api/v1/applications/my-app?refresh=soft');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe(3);
    });

    it('answers unknown paths the way grpc-gateway does', async () => {
      const res = await t.api('GET', '/api/v1/nothing');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe(5);
    });
  });

  describe('sync lifecycle', () => {
    it('goes Running/Progressing → Succeeded/Synced/Healthy after syncDurationMs and records history', async () => {
      const started = Date.now();
      const sync = await t.api('POST', '/api/v1/applications/my-app/sync', { prune: true, revision: 'HEAD' });
      expect(sync.status).toBe(200);
      expect(sync.body.operation.sync).toMatchObject({ prune: true });
      expect(sync.body.operation.initiatedBy.username).toBe('admin');
      expect(sync.body.status.operationState.phase).toBe('Running');
      expect(sync.body.status.health.status).toBe('Progressing');
      expect(sync.body.status.sync.status).toBe('OutOfSync');

      const during = await getApp();
      expect(during.status.operationState.phase).toBe('Running');

      const done = await eventually(async () => {
        const app = await getApp();
        return app.status.operationState.phase !== 'Running' ? app : undefined;
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(SYNC_MS - 10);
      expect(done.status.operationState.phase).toBe('Succeeded');
      expect(done.status.operationState.message).toBe('successfully synced (all tasks run)');
      expect(done.status.operationState.finishedAt).toEqual(expect.any(String));
      expect(done.operation).toBeUndefined();
      expect(done.status.sync.status).toBe('Synced');
      expect(done.status.health.status).toBe('Healthy');
      expect(done.status.history).toHaveLength(1);
      expect(done.status.history[0]).toMatchObject({ id: 0, revision: done.status.sync.revision });
      expect(done.status.resources.every((r: { status: string; health: { status: string } }) => r.status === 'Synced' && r.health.status === 'Healthy')).toBe(true);
    });

    it('refuses a second sync while one is running (FailedPrecondition)', async () => {
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      const again = await t.api('POST', '/api/v1/applications/my-app/sync', {});
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ code: 9, message: 'another operation is already in progress' });
    });

    it('ends Degraded when the outcome says so, using the outcome duration', async () => {
      const set = await t.control('POST', '/_sim/applications/my-app/outcome', { health: 'Degraded', durationMs: 50 });
      expect(set.status).toBe(200);
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      await sleep(80);
      const app = await getApp();
      expect(app.status.operationState.phase).toBe('Succeeded');
      expect(app.status.health.status).toBe('Degraded');
      expect(app.status.health.message).toMatch(/progress deadline/);
      expect(app.status.sync.status).toBe('Synced');
    });

    it('fails the sync when the outcome is Failed, leaving the app OutOfSync without history', async () => {
      await t.control('POST', '/_sim/applications/my-app/outcome', { syncPhase: 'Failed', message: 'ImagePullBackOff', durationMs: 30 });
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      await sleep(60);
      const app = await getApp();
      expect(app.status.operationState.phase).toBe('Failed');
      expect(app.status.operationState.message).toBe('ImagePullBackOff');
      expect(app.status.sync.status).toBe('OutOfSync');
      expect(app.status.health.status).toBe('Missing');
      expect(app.status.history).toEqual([]);
      // The outcome is sticky: the retry fails the same way.
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      await sleep(60);
      expect((await getApp()).status.operationState.phase).toBe('Failed');
    });

    it('reports Error with a SyncError condition', async () => {
      await t.control('POST', '/_sim/applications/my-app/outcome', { syncPhase: 'Error', durationMs: 10 });
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      await sleep(40);
      const app = await getApp();
      expect(app.status.operationState.phase).toBe('Error');
      expect(app.status.conditions).toEqual([expect.objectContaining({ type: 'SyncError' })]);
    });

    it('a dry run succeeds without changing sync status, health or history', async () => {
      await t.control('POST', '/_sim/applications/my-app/outcome', { durationMs: 10 });
      await t.api('POST', '/api/v1/applications/my-app/sync', { dryRun: true });
      await sleep(40);
      const app = await getApp();
      expect(app.status.operationState.phase).toBe('Succeeded');
      expect(app.status.operationState.operation.sync.dryRun).toBe(true);
      expect(app.status.sync.status).toBe('OutOfSync');
      expect(app.status.health.status).toBe('Missing');
      expect(app.status.history).toEqual([]);
    });

    it('a partial sync touches only the named resources and records no history', async () => {
      await t.control('POST', '/_sim/applications/my-app/outcome', { durationMs: 10 });
      await t.api('POST', '/api/v1/applications/my-app/sync', { resources: [{ kind: 'Service', name: 'my-app' }] });
      await sleep(40);
      const app = await getApp();
      const byKind = Object.fromEntries(app.status.resources.map((r: { kind: string; status: string }) => [r.kind, r.status]));
      expect(byKind).toEqual({ Service: 'Synced', Deployment: 'OutOfSync' });
      expect(app.status.sync.status).toBe('OutOfSync');
      expect(app.status.history).toEqual([]);
      const none = await t.api('POST', '/api/v1/applications/my-app/sync', { resources: [{ kind: 'ConfigMap', name: 'x' }] });
      expect(none.status).toBe(400);
    });

    it('rejects a wrongly typed sync body with InvalidArgument', async () => {
      const res = await t.api('POST', '/api/v1/applications/my-app/sync', { prune: 'yes' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(3);
      expect(res.body.message).toMatch(/prune/);
    });

    it('terminates a running operation', async () => {
      await t.control('POST', '/_sim/applications/my-app/outcome', { durationMs: 10_000 });
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      const term = await t.api('DELETE', '/api/v1/applications/my-app/operation');
      expect(term.status).toBe(200);
      const app = await getApp();
      expect(app.status.operationState).toMatchObject({ phase: 'Failed', message: 'Operation terminated' });
      expect(app.operation).toBeUndefined();
      const again = await t.api('DELETE', '/api/v1/applications/my-app/operation');
      expect(again.status).toBe(400);
    });

    it('a new commit makes a synced app OutOfSync again', async () => {
      await t.control('POST', '/_sim/applications', { name: 'live', state: 'healthy' });
      expect((await getApp('live')).status.sync.status).toBe('Synced');
      const commit = await t.control('POST', '/_sim/applications/live/commit', {});
      expect(commit.body.headRevision).toMatch(/^[0-9a-f]{40}$/);
      const app = await getApp('live');
      expect(app.status.sync.status).toBe('OutOfSync');
      expect(app.status.sync.revision).toBe(commit.body.headRevision);
      expect(app.status.health.status).toBe('Healthy');
    });

    it('uses the simulator clock, so /_sim/clock can finish a long sync instantly', async () => {
      await t.control('POST', '/_sim/applications/my-app/outcome', { durationMs: 60_000 });
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      expect((await getApp()).status.operationState.phase).toBe('Running');
      await t.control('POST', '/_sim/clock', { advanceMs: 60_000 });
      expect((await getApp()).status.operationState.phase).toBe('Succeeded');
    });
  });

  describe('rollback', () => {
    it('rolls back to a history id and refuses unknown ids', async () => {
      await t.control('POST', '/_sim/applications', { name: 'web', state: 'healthy' });
      await t.control('POST', '/_sim/applications/web/outcome', { durationMs: 10 });
      const first = (await getApp('web')).status.history[0];
      expect(first.id).toBe(0);
      await t.control('POST', '/_sim/applications/web/commit', {});
      await t.api('POST', '/api/v1/applications/web/sync', {});
      await sleep(40);
      const synced = await getApp('web');
      expect(synced.status.history.map((h: { id: number }) => h.id)).toEqual([0, 1]);
      expect(synced.status.history[1].revision).not.toBe(first.revision);

      const unknown = await t.api('POST', '/api/v1/applications/web/rollback', { id: 42 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toBe('application web does not have deployment with id 42');

      const rb = await t.api('POST', '/api/v1/applications/web/rollback', { id: 0, prune: false });
      expect(rb.status).toBe(200);
      expect(rb.body.status.operationState.phase).toBe('Running');
      expect(rb.body.operation.sync.revision).toBe(first.revision);
      await sleep(40);
      const rolled = await getApp('web');
      expect(rolled.status.operationState.phase).toBe('Succeeded');
      expect(rolled.status.history.map((h: { id: number }) => h.id)).toEqual([0, 1, 2]);
      expect(rolled.status.history[2].revision).toBe(first.revision);
      // Live is now behind the branch head, as Argo CD shows after a rollback.
      expect(rolled.status.sync.status).toBe('OutOfSync');
      expect(rolled.status.health.status).toBe('Healthy');
    });

    it('refuses rollback when auto-sync is enabled', async () => {
      await t.api('POST', '/api/v1/applications', {
        metadata: { name: 'auto' },
        spec: { source: { repoURL: 'https://git.example.com/a.git', path: 'a' }, destination: { namespace: 'a' }, syncPolicy: { automated: { prune: true } } },
      });
      const res = await t.api('POST', '/api/v1/applications/auto/rollback', { id: 0 });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(9);
    });
  });

  describe('resource tree', () => {
    it('is empty before the first deploy and shows Deployment → ReplicaSet → Pod plus Service after', async () => {
      expect((await t.api('GET', '/api/v1/applications/my-app/resource-tree')).body.nodes).toEqual([]);
      await t.control('POST', '/_sim/applications/my-app/outcome', { durationMs: 10 });
      await t.api('POST', '/api/v1/applications/my-app/sync', {});
      await sleep(40);
      const tree = (await t.api('GET', '/api/v1/applications/my-app/resource-tree')).body;
      expect(tree.nodes.map((n: { kind: string }) => n.kind).sort()).toEqual(['Deployment', 'Pod', 'ReplicaSet', 'Service']);
      const pod = tree.nodes.find((n: { kind: string }) => n.kind === 'Pod');
      expect(pod.parentRefs[0].kind).toBe('ReplicaSet');
      expect(pod.health.status).toBe('Healthy');
    });
  });

  describe('create and delete through the API', () => {
    it('creates, refuses a different spec without upsert, and deletes', async () => {
      const body = {
        metadata: { name: 'svc' },
        spec: { project: 'default', source: { repoURL: 'https://git.example.com/s.git', path: 's', targetRevision: 'main' }, destination: { namespace: 's' } },
      };
      const created = await t.api('POST', '/api/v1/applications', body);
      expect(created.status).toBe(200);
      expect(created.body.spec.source.targetRevision).toBe('main');
      expect((await t.api('POST', '/api/v1/applications', body)).status).toBe(200);
      const changed = await t.api('POST', '/api/v1/applications', { ...body, spec: { ...body.spec, source: { ...body.spec.source, path: 'other' } } });
      expect(changed.status).toBe(400);
      expect(changed.body.message).toMatch(/upsert/);
      expect((await t.api('DELETE', '/api/v1/applications/svc')).status).toBe(200);
      expect((await t.api('GET', '/api/v1/applications/svc')).status).toBe(404);
    });
  });

  describe('control API', () => {
    it('creates apps with defaults or already healthy, and refuses duplicates and bad input', async () => {
      const created = await t.control('POST', '/_sim/applications', { name: 'fresh', project: 'team-a', destNamespace: 'team-a' });
      expect(created.status).toBe(200);
      expect(created.body.spec).toMatchObject({ project: 'team-a', destination: { namespace: 'team-a' } });
      expect(created.body.status.sync.status).toBe('OutOfSync');
      const healthy = await t.control('POST', '/_sim/applications', { name: 'ready', state: 'healthy' });
      expect(healthy.body.status).toMatchObject({ sync: { status: 'Synced' }, health: { status: 'Healthy' } });
      expect((await t.control('POST', '/_sim/applications', { name: 'fresh' })).status).toBe(409);
      expect((await t.control('POST', '/_sim/applications', { name: 'Bad Name' })).status).toBe(400);
      expect((await t.control('POST', '/_sim/applications/fresh/outcome', { health: 'Sideways' })).status).toBe(400);
      expect((await t.control('POST', '/_sim/applications/ghost/outcome', {})).status).toBe(404);
    });

    it('dumps the state, including the simulator-only fields', async () => {
      const state = (await t.control('GET', '/_sim/state')).body;
      expect(state.applications).toHaveLength(1);
      expect(state.applications[0].metadata.name).toBe('my-app');
      expect(state.applications[0].simulator.headRevision).toMatch(/^[0-9a-f]{40}$/);
      expect(state.syncDurationMs).toBe(SYNC_MS);
    });
  });
});
