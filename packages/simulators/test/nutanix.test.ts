import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange } from '../src/kit/server.js';
import { InventoryChecker } from '../src/nutanix/inventory-check.js';
import { DEFAULT_NUTANIX_API_KEY, DEFAULT_NUTANIX_PASSWORD, startNutanix } from '../src/nutanix/simulator.js';
import { SEED } from '../src/nutanix/store.js';
import { missingSpecs } from '../src/paths.js';
import type { RunningSimulator } from '../src/index.js';

const VMS = '/api/vmm/v4.3/ahv/config/vms';
const TASKS = '/api/prism/v4.4/config/tasks';
const RPS = '/api/dataprotection/v4.4/config/recovery-points';

let sim: RunningSimulator;
const exchanges: Exchange[] = [];
const basic = `Basic ${Buffer.from(`admin:${DEFAULT_NUTANIX_PASSWORD}`).toString('base64')}`;

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: basic, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const control = (method: string, path: string, body?: unknown) => api(method, path, body);
const mutate = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => api(method, path, body, { 'ntnx-request-id': randomUUID(), ...headers });

async function taskOf(extId: string) {
  return (await api('GET', `${TASKS}/${extId}`)).body.data;
}
/** Moves the simulator's clock past every running task instead of sleeping. */
const finish = () => control('POST', '/_sim/clock', { advanceMs: 60_000 });

beforeAll(async () => {
  sim = await startNutanix({ port: 0 }, { onExchange: (e) => exchanges.push(e) });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Nutanix simulator', () => {
  it('takes HTTP Basic or X-ntnx-api-key and refuses anything else with 401', async () => {
    expect((await api('GET', VMS)).status).toBe(200);
    expect((await api('GET', VMS, undefined, { authorization: '', 'x-ntnx-api-key': DEFAULT_NUTANIX_API_KEY })).status).toBe(200);
    const denied = await api('GET', VMS, undefined, { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` });
    expect(denied.status).toBe(401);
    expect(denied.body.data.error[0].message).toMatch(/Authentication required/);
  });

  it('creates a VM through a task with progress; the same NTNX-Request-Id replays the first answer and never creates twice', async () => {
    const requestId = randomUUID();
    const body = { name: 'app-01', cluster: { extId: SEED.cluster.extId }, memorySizeBytes: 1024 ** 3 };
    const first = await api('POST', VMS, body, { 'ntnx-request-id': requestId });
    expect(first.status).toBe(202);
    expect(first.body.data).toMatchObject({ $objectType: 'prism.v4.config.TaskReference' });
    const again = await api('POST', VMS, body, { 'ntnx-request-id': requestId });
    expect(again.body.data.extId).toBe(first.body.data.extId);
    const running = await taskOf(first.body.data.extId);
    expect(running).toMatchObject({ status: 'RUNNING', isCancelable: true });
    await finish();
    const done = await taskOf(first.body.data.extId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', progressPercentage: 100 });
    const vmRef = done.entitiesAffected.find((e: any) => e.rel === 'vmm:ahv:config:vm');
    const list = await api('GET', `${VMS}?$filter=${encodeURIComponent("name eq 'app-01'")}`);
    expect(list.body.data.map((v: any) => v.extId)).toEqual([vmRef.extId]);
    expect(list.body.metadata.totalAvailableResults).toBe(1);
    // A mutation without a request id is refused with the fix.
    const noId = await api('POST', VMS, body);
    expect(noId.status).toBe(400);
    expect(noId.body.data.error[0].message).toMatch(/NTNX-Request-Id/);
  });

  it('wants If-Match with the current ETag on a change: 428 without, 412 when stale', async () => {
    const read = await api('GET', `${VMS}/${SEED.vm}`);
    const etag = read.headers.get('etag')!;
    expect(read.body.data.$reserved.ETag).toBe(etag);
    expect((await mutate('POST', `${VMS}/${SEED.vm}/$actions/power-off`, {})).status).toBe(428);
    expect((await mutate('POST', `${VMS}/${SEED.vm}/$actions/power-off`, {}, { 'if-match': etag })).status).toBe(202);
    const stale = await mutate('POST', `${VMS}/${SEED.vm}/$actions/power-on`, {}, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body.data.error[0].message).toMatch(/has changed since it was read/);
    await finish();
    expect((await api('GET', `${VMS}/${SEED.vm}`)).body.data.powerState).toBe('OFF');
  });

  it('fails a guest shutdown without guest tools in the task, and cancels a cancellable task', async () => {
    const etag = (await api('GET', `${VMS}/${SEED.vmNoTools}`)).headers.get('etag')!;
    const shutdown = await mutate('POST', `${VMS}/${SEED.vmNoTools}/$actions/guest-shutdown`, {}, { 'if-match': etag });
    await finish();
    const failed = await taskOf(shutdown.body.data.extId);
    expect(failed.status).toBe('FAILED');
    expect(failed.errorMessages[0].message).toMatch(/Guest Tools/);

    const create = await mutate('POST', VMS, { name: 'never', cluster: { extId: SEED.cluster.extId } });
    const cancel = await mutate('POST', `${TASKS}/${create.body.data.extId}/$actions/cancel`);
    expect(cancel.status).toBe(202);
    await finish();
    expect((await taskOf(create.body.data.extId)).status).toBe('CANCELED');
    expect((await api('GET', `${VMS}?$filter=${encodeURIComponent("name eq 'never'")}`)).body.data).toEqual([]);
  });

  it('keeps recovery points until they expire, and refuses an expiry in the past', async () => {
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    const created = await mutate('POST', RPS, {
      name: 'pre-patch',
      recoveryPointType: 'APPLICATION_CONSISTENT',
      expirationTime: expires,
      vmRecoveryPoints: [{ vmExtId: SEED.vm }],
    });
    await finish();
    const task = await taskOf(created.body.data.extId);
    expect(task.status).toBe('SUCCEEDED');
    const filter = encodeURIComponent(`vmRecoveryPoints/any(a:a/vmExtId eq '${SEED.vm}')`);
    expect((await api('GET', `${RPS}?$filter=${filter}`)).body.data).toHaveLength(1);
    await control('POST', '/_sim/clock', { advanceMs: 3_600_000 });
    expect((await api('GET', `${RPS}?$filter=${filter}`)).body.data).toHaveLength(0);
    const past = await mutate('POST', RPS, { name: 'x', expirationTime: '2000-01-01T00:00:00Z', vmRecoveryPoints: [{ vmExtId: SEED.vm }] });
    expect(past.status).toBe(400);
    expect(past.body.data.error[0]).toMatchObject({ argumentsMap: { attributePath: 'expirationTime' } });
  });

  it('answers injected 429 and 5xx faults in the Prism error shape, and can lose an answer after doing the work', async () => {
    await control('POST', '/_sim/faults', { route: 'GET /api/vmm/.*', kind: 'rate_limit', retryAfterSeconds: 2, times: 1 });
    const limited = await api('GET', VMS);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    await control('POST', '/_sim/lose-answers', { count: 1 });
    const requestId = randomUUID();
    const lost = await api('POST', VMS, { name: 'lost', cluster: { extId: SEED.cluster.extId } }, { 'ntnx-request-id': requestId });
    expect(lost.status).toBe(503);
    const retried = await api('POST', VMS, { name: 'lost', cluster: { extId: SEED.cluster.extId } }, { 'ntnx-request-id': requestId });
    expect(retried.status).toBe(202);
    expect((await control('GET', '/_sim/state')).body.tasks.filter((t: any) => t.operation === 'CreateVm')).toHaveLength(1);
  });
});

const missing = missingSpecs();
(missing ? describe.skip : describe)('Nutanix simulator conformance (v4 inventory from the Go SDK)', () => {
  it('serves only inventory operations, with their response models and model fields', async () => {
    exchanges.length = 0;
    const vm = (await api('GET', `${VMS}/${SEED.vm}`)).body.data;
    await api('GET', `${VMS}?$limit=1&$page=1&$orderby=name`);
    await api('GET', '/api/clustermgmt/v4.3/config/clusters');
    const created = await mutate('POST', VMS, { name: 'c', cluster: { extId: SEED.cluster.extId } });
    const clone = await mutate('POST', `${VMS}/${SEED.vm}/$actions/clone`, { name: 'c2' }, { 'if-match': vm.$reserved.ETag });
    const rp = await mutate('POST', RPS, { name: 'rp', vmRecoveryPoints: [{ vmExtId: SEED.vm }] });
    const tpl = await mutate('POST', '/api/vmm/v4.3/content/templates', { templateName: 't', templateVersionSpec: { versionSource: { extId: SEED.vm } } });
    await finish();
    for (const t of [created, clone, rp, tpl]) expect((await taskOf(t.body.data.extId)).status).toBe('SUCCEEDED');
    const rps = (await api('GET', RPS)).body.data;
    await api('GET', `${RPS}/${rps[0].extId}`);
    const templates = (await api('GET', '/api/vmm/v4.3/content/templates')).body.data;
    await mutate('POST', `/api/vmm/v4.3/content/templates/${templates[0].extId}/$actions/deploy`, { numberOfVms: 1 });
    const fresh = (await api('GET', `${VMS}/${SEED.vm}`)).body.data;
    await mutate('POST', `${VMS}/${SEED.vm}/$actions/revert`, { vmRecoveryPointExtId: rps[0].vmRecoveryPoints[0].extId }, { 'if-match': fresh.$reserved.ETag });
    await api('GET', TASKS);
    const checker = InventoryChecker.load();
    const problems = exchanges.flatMap((e) => checker.check(e).map((p) => `${e.method} ${e.path} ${e.status}: ${p}`));
    expect(problems).toEqual([]);
    expect(exchanges.length).toBeGreaterThan(15);
    // The checker does find a field the model lacks.
    expect(
      checker.check({
        method: 'GET',
        path: `${VMS}/x`,
        status: 200,
        responseBody: { $objectType: 'vmm.v4.ahv.config.GetVmApiResponse', data: { $objectType: 'vmm.v4.ahv.config.Vm', bogus: 1 } },
      }),
    ).toEqual(['vmm.v4.ahv.config.Vm has no field bogus']);
  });
});
