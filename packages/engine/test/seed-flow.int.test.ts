// The source article's first flow, unchanged, through the REST API against the Argo CD and
// Cloudflare simulators: sync, read health, gate on Healthy and Synced, upsert DNS, purge the cache.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { api, historyText, taskRun } from '@baton/testing';

const client = api();
// The project's own copy (examples/seed-flows), checked byte-identical to the article's by plugin-examples.test.ts.
const seedFlow = fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/seed-flows/rollout-with-health-gate-and-edge-update.yaml'), 'utf8');

async function sim(base: string, method: string, route: string, body?: unknown) {
  const res = await fetch(`${base}${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json().catch(() => undefined);
}

async function dnsRecords() {
  const state = await sim(inject('cloudflareUrl'), 'GET', '/_sim/state');
  return JSON.stringify(state);
}

async function resetSimulators() {
  await sim(inject('argocdUrl'), 'POST', '/_sim/reset');
  await sim(inject('cloudflareUrl'), 'POST', '/_sim/reset');
}

beforeEach(resetSimulators);
// The simulators are shared with the other integration files: leave them as found (the last test
// forces the app Degraded, which made the UI's seed-flow test fail when it ran after this file).
afterAll(resetSimulators);

describe('seed flow: rollout with health gate and edge update', () => {
  it('deploys unchanged and runs to SUCCESS: the record and the purge are visible in the simulator', async () => {
    const deployed = await client.deploy(seedFlow);
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
    const started = await client.run('infra.delivery', 'rollout-with-health-gate-and-edge-update');
    expect(started.status).toBe(200);
    const done = await client.waitFor(started.body.id, undefined, 60_000);
    expect(done.state.current, JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.error]))).toBe('SUCCESS');

    expect(taskRun(done, 'sync').outputs).toMatchObject({ phase: 'Succeeded', syncStatus: 'Synced' });
    expect(taskRun(done, 'status').outputs.app.status.health.status).toBe('Healthy');
    expect(taskRun(done, 'upsert_dns').outputs).toMatchObject({ action: 'created', record: { type: 'A', name: 'app.example.com', content: '1.2.3.4' } });

    const state = await sim(inject('cloudflareUrl'), 'GET', '/_sim/state');
    const text = JSON.stringify(state);
    expect(text).toContain('app.example.com');
    expect(text).toContain('1.2.3.4');
    expect(text).toContain('https://app.example.com/');

    // The Argo CD and Cloudflare tokens came from secrets: nowhere in history, logs or the API.
    const history = await historyText(started.body.id);
    const logs = JSON.stringify((await client.logs(started.body.id)).body);
    for (const token of ['argocd-test-token', 'cloudflare-test-token']) {
      expect(history).not.toContain(token);
      expect(logs).not.toContain(token);
      expect(JSON.stringify(done)).not.toContain(token);
    }

    // A second run finds the record unchanged: the upsert is idempotent.
    const again = await client.waitFor((await client.run('infra.delivery', 'rollout-with-health-gate-and-edge-update')).body.id, undefined, 60_000);
    expect(again.state.current).toBe('SUCCESS');
    expect(taskRun(again, 'upsert_dns').outputs.action).toBe('unchanged');
  });

  it('stops at the gate when the application ends Degraded: DNS is not touched and the execution says why', async () => {
    await client.deploy(seedFlow);
    await sim(inject('argocdUrl'), 'POST', '/_sim/applications/my-app/outcome', { health: 'Degraded', message: 'Back-off restarting failed container' });
    const before = await dnsRecords();
    const started = await client.run('infra.delivery', 'rollout-with-health-gate-and-edge-update');
    const done = await client.waitFor(started.body.id, undefined, 60_000);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'status').outputs.app.status.health.status).toBe('Degraded');
    expect(taskRun(done, 'gate_on_health').state.current).toBe('FAILED');
    // Kestra's wording: the error counts the failed assertions, the ERROR log line names each.
    expect(done.error).toBe('gate_on_health: 1 assertion failed!');
    const gateLogs = (await client.logs(done.id)).body.filter((l: any) => l.taskId === 'gate_on_health').map((l: any) => `${l.level} ${l.message}`);
    expect(gateLogs).toContain("ERROR Assertion `{{ outputs.status.app.status.health.status == 'Healthy' }}` failed!");
    expect(done.taskRunList.some((t: any) => t.taskId === 'upsert_dns' || t.taskId === 'purge_cache')).toBe(false);
    expect(await dnsRecords()).toBe(before);
  });
});
