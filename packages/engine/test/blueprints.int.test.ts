// Blueprints through the REST API (docs/blueprints.md): the shipped library listed, searched and
// read; custom blueprints saved from a flow, edited and deleted, with their audit entries; and the
// shipped blueprints whose systems have simulators deployed unchanged and run end to end: the
// article's two flows, Argo CD sync with verification, the wave rollout with its approval, the
// Cloudflare canary (promoted, then rolled back), the nightly purge and the webhook deploy.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { BlueprintPageSchema, BlueprintSchema, BlueprintTagsSchema } from '@baton/contract';
import { api, checkContract, taskRun } from '@baton/testing';

const admin = api();
const db = getDb(inject('databaseUrl'));
const folder = path.resolve(import.meta.dirname, '../../../blueprints');
const shippedFiles = fs.readdirSync(folder).filter((f) => f.endsWith('.yaml'));
const source = (id: string) => fs.readFileSync(path.join(folder, `${id}.yaml`), 'utf8');

async function sim(base: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${route}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json().catch(() => undefined);
}
const argo = (method: string, route: string, body?: unknown) => sim(inject('argocdUrl'), method, route, body);
const cloudflare = (method: string, route: string, body?: unknown) => sim(inject('cloudflareUrl'), method, route, body, { authorization: 'Bearer cloudflare-test-token' });

async function resetSimulators() {
  for (const url of [inject('argocdUrl'), inject('cloudflareUrl'), inject('maasUrl'), inject('netboxUrl')]) await sim(url, 'POST', '/_sim/reset');
}
beforeEach(resetSimulators);
afterAll(resetSimulators);

const summary = (done: any) => JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.error]));

async function deployAndRun(id: string, inputs: Record<string, unknown> = {}, timeoutMs = 120_000) {
  const deployed = await admin.deploy(source(id));
  expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
  const started = await admin.run(deployed.body.namespace, deployed.body.id, inputs);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return admin.waitFor(started.body.id, undefined, timeoutMs);
}

describe('blueprints API', () => {
  it('lists every file of blueprints/ with its extend: metadata, searches words and tags, and counts tags', async () => {
    const all = await admin.call('GET', '/api/v1/main/blueprints/search?kind=shipped');
    expect(all.status).toBe(200);
    const page = checkContract(BlueprintPageSchema, all.body, 'GET /blueprints/search');
    expect(page.results.map((b) => `${b.id}.yaml`).sort()).toEqual([...shippedFiles].sort());
    const canary = page.results.find((b) => b.id === 'cloudflare-canary-with-rollback')!;
    expect(canary).toMatchObject({ kind: 'shipped', title: 'Cloudflare canary with automatic rollback', namespace: 'infra.edge', flowId: 'cloudflare-canary-with-rollback' });
    expect(canary.types).toContain('io.kestra.plugin.cloudflare.dns.records.Upsert');
    expect(canary).not.toHaveProperty('source');

    // Every word must match, across title, description, tags and task types.
    const words = await admin.call('GET', '/api/v1/main/blueprints/search?q=rollback%20cloudflare');
    expect(words.body.results.map((b: any) => b.id)).toEqual(['cloudflare-canary-with-rollback']);
    const byType = await admin.call('GET', '/api/v1/main/blueprints/search?q=PurgeExecutions');
    expect(byType.body.results.map((b: any) => b.id)).toEqual(['nightly-purge']);
    const tagged = await admin.call('GET', '/api/v1/main/blueprints/search?tags=Argo%20CD&tags=Approval');
    expect(tagged.body.results.map((b: any) => b.id)).toEqual(['wave-rollout-with-approval']);

    const tags = checkContract(BlueprintTagsSchema, (await admin.call('GET', '/api/v1/main/blueprints/tags?kind=shipped')).body, 'GET /blueprints/tags');
    const deployment = tags.results.find((t) => t.name === 'Deployment');
    expect(deployment?.count).toBe(page.results.filter((b) => b.tags.includes('Deployment')).length);
  });

  it('reads one with its YAML (or the YAML alone); unknown ids and kinds are clear 4xx', async () => {
    const one = await admin.call('GET', '/api/v1/main/blueprints/shipped/nightly-purge');
    expect(one.status).toBe(200);
    const blueprint = checkContract(BlueprintSchema, one.body, 'GET /blueprints/shipped/:id');
    expect(blueprint.source).toBe(source('nightly-purge'));
    expect(blueprint.description).toContain('## How it works');
    const yaml = await fetch(`${admin.base}/api/v1/main/blueprints/shipped/nightly-purge?source=yaml`, { headers: { authorization: `Bearer ${inject('apiToken')}` } });
    expect(yaml.headers.get('content-type')).toContain('yaml');
    expect(await yaml.text()).toBe(source('nightly-purge'));

    const missing = await admin.call('GET', '/api/v1/main/blueprints/shipped/no-such-blueprint');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('no shipped blueprint no-such-blueprint');
    const kind = await admin.call('GET', '/api/v1/main/blueprints/community/nightly-purge');
    expect(kind.status).toBe(400);
    expect(kind.body.message).toContain('kind must be shipped or custom');
    // Shipped blueprints are not in the table: they cannot be edited or deleted through it.
    expect((await admin.call('DELETE', '/api/v1/main/blueprints/custom/nightly-purge')).status).toBe(404);
  });

  it('saves a flow as a custom blueprint, edits it, deletes it; each change is audited; bad input is 422 with the place', async () => {
    const flow = `id: hello-blueprint
namespace: team.blueprints
# kept: a comment in the flow survives the extend: block being written
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`;
    const created = await admin.call('POST', '/api/v1/main/blueprints/custom', {
      source: flow,
      title: 'Say hello',
      description: '## How it works\nIt logs.',
      tags: ['Demo', 'Log'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const saved = checkContract(BlueprintSchema, created.body, 'POST /blueprints/custom');
    expect(saved).toMatchObject({ kind: 'custom', title: 'Say hello', tags: ['Demo', 'Log'], namespace: 'team.blueprints', flowId: 'hello-blueprint' });
    expect(saved.source).toContain('# kept: a comment');
    expect(saved.source).toMatch(/extend:\n {2}title: Say hello/);

    const listed = await admin.call('GET', '/api/v1/main/blueprints/search?tags=Demo');
    expect(listed.body.results.map((b: any) => [b.kind, b.id])).toEqual([['custom', saved.id]]);

    const edited = await admin.call('PUT', `/api/v1/main/blueprints/custom/${saved.id}`, { source: saved.source, title: 'Say hello twice', tags: ['Demo'] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Say hello twice', tags: ['Demo'], description: '## How it works\nIt logs.' });
    expect((await admin.call('GET', `/api/v1/main/blueprints/custom/${saved.id}`)).body.title).toBe('Say hello twice');

    // A flow that does not validate: 422 with the line and column of the error.
    const bad = await admin.call('POST', '/api/v1/main/blueprints/custom', {
      source: 'id: broken\nnamespace: team.blueprints\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Nope\n',
      title: 'Broken',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/line 5, column \d+/);
    expect(bad.body.errors[0]).toMatchObject({ line: 5 });
    const noTitle = await admin.call('POST', '/api/v1/main/blueprints/custom', { source: flow, title: '  ' });
    expect(noTitle.status).toBe(422);
    expect(noTitle.body.message).toContain('title');
    const notJson = await admin.call('POST', '/api/v1/main/blueprints/custom', '[1]');
    expect(notJson.status).toBe(400);

    const deleted = await admin.call('DELETE', `/api/v1/main/blueprints/custom/${saved.id}`);
    expect(deleted.status).toBe(200);
    expect((await admin.call('GET', `/api/v1/main/blueprints/custom/${saved.id}`)).status).toBe(404);

    const audit = await admin.call('GET', `/api/v1/main/auditlogs/search?resource=blueprint:${saved.id}`);
    expect(audit.body.results.map((r: any) => r.action).sort()).toEqual(['blueprint.created', 'blueprint.deleted', 'blueprint.updated']);
    expect(JSON.stringify(audit.body)).not.toContain('io.kestra.plugin.core.log.Log');
  });

  it('the OpenAPI document describes the blueprint routes', async () => {
    const doc = (await admin.call('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/{tenant}/blueprints/search', '/api/v1/{tenant}/blueprints/{kind}/{id}', '/api/v1/{tenant}/blueprints/custom']),
    );
  });
});

describe('shipped blueprints run end to end against the simulators', () => {
  it('rollout-with-health-gate-and-edge-update: syncs, gates on health, moves DNS and purges', async () => {
    const done = await deployAndRun('rollout-with-health-gate-and-edge-update');
    expect(done.state.current, summary(done)).toBe('SUCCESS');
    const state = JSON.stringify(await cloudflare('GET', '/_sim/state'));
    expect(state).toContain('app.example.com');
    expect(state).toContain('https://app.example.com/');
  });

  it('provision-metal-and-register-in-netbox: the machine is Deployed in MAAS and registered in NetBox', async () => {
    const done = await deployAndRun('provision-metal-and-register-in-netbox', {}, 240_000);
    expect(done.state.current, summary(done)).toBe('SUCCESS');
    const machines = (await sim(inject('maasUrl'), 'GET', '/_sim/state')).machines.filter((m: any) => m.hostname === 'prod-web-01');
    expect(machines.map((m: any) => m.status_name)).toEqual(['Deployed']);
    const netbox = await sim(inject('netboxUrl'), 'GET', '/_sim/state');
    expect(netbox.devices.filter((d: any) => d.name === 'prod-web-01')).toHaveLength(1);
    expect(netbox['ip-addresses'].filter((ip: any) => ip.address === '10.100.1.45/24')).toHaveLength(1);
  });

  it('argocd-app-sync-with-verification: verified Synced and Healthy; a Degraded sync fails and rolls back', async () => {
    const done = await deployAndRun('argocd-app-sync-with-verification');
    expect(done.state.current, summary(done)).toBe('SUCCESS');
    expect(taskRun(done, 'after').outputs).toMatchObject({ syncStatus: 'Synced', healthStatus: 'Healthy' });
    expect(done.outputs.revision).toBe(taskRun(done, 'sync').outputs.revision);
    expect(done.taskRunList.some((t: any) => t.taskId === 'rollback')).toBe(false);

    await argo('POST', '/_sim/applications/my-app/outcome', { health: 'Degraded', message: 'Back-off restarting failed container' });
    const failed = await admin.waitFor((await admin.run('infra.delivery', 'argocd-app-sync-with-verification')).body.id, undefined, 120_000);
    expect(failed.state.current).toBe('FAILED');
    expect(taskRun(failed, 'healthy').state.current).toBe('FAILED');
    expect(taskRun(failed, 'rollback').state.current, summary(failed)).not.toBe('CREATED');
    expect(failed.taskRunList.some((t: any) => t.taskId === 'verify')).toBe(false);
  });

  it('wave-rollout-with-approval: wave 2 waits for an approver who did not start it, then runs', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const user = await admin.call('POST', '/api/v1/main/users', { email: `approver-${suffix}@example.com`, password: 'a-long-password' });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const binding = await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'APPROVER', namespace: 'infra.delivery' });
    expect(binding.status, JSON.stringify(binding.body)).toBe(201);
    const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'blueprints test' });
    const approver = api({ authorization: `Bearer ${token.body.token}` });

    const deployed = await admin.deploy(source('wave-rollout-with-approval'));
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
    const started = await admin.run('infra.delivery', 'wave-rollout-with-approval', { canaryWave: ['my-app'], mainWave: ['my-app'] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const paused = await admin.waitFor(started.body.id, ['PAUSED', 'FAILED', 'SUCCESS'], 120_000);
    expect(paused.state.current, summary(paused)).toBe('PAUSED');
    expect(paused.taskRunList.filter((t: any) => t.taskId === 'ready_1').map((t: any) => t.state.current)).toEqual(['SUCCESS']);
    expect(paused.taskRunList.some((t: any) => t.taskId === 'sync_2')).toBe(false);

    // Whoever started it may not approve it (allowSelfApproval: false).
    const self = await admin.call('POST', `/api/v1/main/executions/${started.body.id}/resume?comment=mine`, {});
    expect(self.status).toBe(403);
    const approved = await approver.call('POST', `/api/v1/main/executions/${started.body.id}/resume?comment=${encodeURIComponent('wave 1 looks fine')}`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const done = await admin.waitFor(started.body.id, undefined, 120_000);
    expect(done.state.current, summary(done)).toBe('SUCCESS');
    expect(done.taskRunList.filter((t: any) => t.taskId === 'ready_2').map((t: any) => t.state.current)).toEqual(['SUCCESS']);
  });

  describe('cloudflare-canary-with-rollback', () => {
    const zone = 'your_zone_id';
    const records = async () => (await cloudflare('GET', '/_sim/state')).records.map((r: any) => `${r.name} ${r.content}`).sort();
    beforeEach(async () => {
      const created = await cloudflare('POST', `/client/v4/zones/${zone}/dns_records`, { type: 'A', name: 'app.example.com', content: '198.51.100.7', ttl: 300 });
      expect(created?.success, JSON.stringify(created)).toBe(true);
    });
    // The health endpoints are Baton's own: a real HTTP peer that answers 200 (and 404 next to it).
    const healthy = () => `${inject('apiUrl')}/api/health`;

    it('promotes the new target once the canary answers 200, and removes the canary record', async () => {
      const done = await deployAndRun('cloudflare-canary-with-rollback', { canaryUrl: healthy(), liveUrl: healthy(), newTarget: '203.0.113.20' });
      expect(done.state.current, summary(done)).toBe('SUCCESS');
      expect(await records()).toEqual(['app.example.com 203.0.113.20']);
      expect(JSON.stringify((await cloudflare('GET', '/_sim/state')).purges)).toContain('https://app.example.com/');
    });

    it('rolls back when the release fails its live check: the old address is back, the canary record gone', async () => {
      const done = await deployAndRun('cloudflare-canary-with-rollback', {
        canaryUrl: healthy(),
        liveUrl: `${inject('apiUrl')}/api/health/no-such-page`,
        newTarget: '203.0.113.20',
      });
      expect(done.state.current).toBe('FAILED');
      expect(taskRun(done, 'promote').state.current).toBe('SUCCESS');
      expect(taskRun(done, 'live_check').state.current).toBe('FAILED');
      expect(taskRun(done, 'restore').state.current, summary(done)).toBe('SUCCESS');
      expect(taskRun(done, 'rolled_back').state.current).toBe('SUCCESS');
      expect(await records()).toEqual(['app.example.com 198.51.100.7']);
    });
  });

  it('nightly-purge: deletes executions past the retention and old debug lines, keeps the rest', async () => {
    const flow = `id: purge-victim
namespace: test.blueprints.purge
tasks:
  - id: info
    type: io.kestra.plugin.core.log.Log
    message: kept line
  - id: debug
    type: io.kestra.plugin.core.log.Log
    level: DEBUG
    message: chatty line
`;
    const old = await admin.waitFor(await admin.deployAndRun(flow));
    const recent = await admin.waitFor((await admin.run('test.blueprints.purge', 'purge-victim')).body.id);
    // Age them as if they ran long ago: one past the 30-day retention, the other's lines past 7 days.
    await db.$executeRaw`UPDATE executions SET created_at = now() - interval '60 days' WHERE id = ${old.id}`;
    await db.$executeRaw`UPDATE logs SET timestamp = now() - interval '10 days' WHERE execution_id = ${recent.id}`;

    const done = await deployAndRun('nightly-purge');
    expect(done.state.current, summary(done)).toBe('SUCCESS');
    expect(taskRun(done, 'purge_executions').outputs.executionsCount).toBeGreaterThanOrEqual(1);
    expect((await admin.execution(old.id)).status).toBe(404);
    expect((await admin.execution(recent.id)).status).toBe(200);
    const lines = (await admin.logs(recent.id)).body.map((l: any) => `${l.level} ${l.message}`);
    expect(lines).toContain('INFO kept line');
    expect(lines).not.toContain('DEBUG chatty line');
  });

  it('webhook-triggered-deploy: CI gets the ended execution; an application not allowed fails before any sync; a wrong key is 404', async () => {
    const deployed = await admin.deploy(source('webhook-triggered-deploy'));
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
    const hook = (key: string, body: unknown) =>
      fetch(`${inject('apiUrl')}/api/v1/main/executions/webhook/infra.delivery/webhook-triggered-deploy/${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const ok = await hook('replace-me-with-a-long-random-key', { application: 'my-app', commit: 'abc123' });
    expect(ok.status).toBe(200);
    const execution = await ok.json();
    expect(execution.state.current, summary(execution)).toBe('SUCCESS');
    expect(execution.outputs).toMatchObject({ application: 'my-app', health: 'Healthy' });

    const refused = await (await hook('replace-me-with-a-long-random-key', { application: 'someone-elses-app' })).json();
    expect(refused.state.current).toBe('FAILED');
    expect(taskRun(refused, 'check_request').state.current).toBe('FAILED');
    expect(refused.taskRunList.some((t: any) => t.taskId === 'sync')).toBe(false);

    expect((await hook('wrong-key', { application: 'my-app' })).status).toBe(404);
  });
});
