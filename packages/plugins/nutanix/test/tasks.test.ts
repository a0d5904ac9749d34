import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as rt from '../src/runtime';
import { CLUSTER, IMAGE, LEGACY_01, WEB_01, connection, control, run, startSim, state, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const vmSpec = (name: string) => ({
  name,
  cluster: { extId: CLUSTER },
  numSockets: 2,
  memorySizeBytes: 4 * 1024 ** 3,
  disks: [{ backingInfo: { diskSizeBytes: 20 * 1024 ** 3, dataSource: { reference: { imageExtId: IMAGE } } } }],
});
const vmsNamed = async (name: string) => (await state(sim)).vms.filter((v: any) => v.name === name);

describe('VM lifecycle', () => {
  it('CreateVm creates, waits for the task and powers on; outputs are flat with the vm beside them', async () => {
    const r = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('app-01'), powerOn: true }));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ name: 'app-01', powerState: 'ON', taskStatus: 'SUCCEEDED' });
    expect(r.outputs.extId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.outputs.vm).toMatchObject({ extId: r.outputs.extId, numSockets: 2 });
    expect(r.outputs.taskExtId).toMatch(/^ZXJnb24=:/);
    const [vm] = await vmsNamed('app-01');
    expect(vm).toMatchObject({ extId: r.outputs.extId, powerState: 'ON' });
    expect(r.heartbeats).toBeGreaterThan(0);
    expect(JSON.stringify(r.logs)).not.toContain('Nutanix/4u-sim');
  });

  it('CreateVm names what Prism refused (unknown image) as INVALID_PROPERTIES', async () => {
    const spec = vmSpec('bad');
    (spec.disks[0].backingInfo.dataSource.reference as any).imageExtId = '00000000-0000-0000-0000-000000000000';
    const r = await run<any>(rt.createVmRuntime, connection(sim, { vm: spec }));
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toContain('disks[0].backingInfo.dataSource.reference.imageExtId');
  });

  it('a lost answer and 5xx are retried with the same NTNX-Request-Id: one VM, not two', async () => {
    await control(sim, 'POST', '/_sim/lose-answers', { count: 1 });
    await control(sim, 'POST', '/_sim/faults', { route: 'POST /api/vmm/v4.3/ahv/config/vms', kind: 'status', status: 503, times: 1 });
    const r = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('once') }));
    expect(r.error).toBeUndefined();
    expect(await vmsNamed('once')).toHaveLength(1);
    expect(r.logs.filter((l) => l.message.includes('retrying with the same NTNX-Request-Id'))).toHaveLength(2);
  });

  it('waits out a 429 with Retry-After and then lists', async () => {
    await control(sim, 'POST', '/_sim/faults', { route: 'GET /api/vmm/v4.3/ahv/config/vms', kind: 'rate_limit', retryAfterSeconds: 1, times: 1 });
    const r = await run<any>(rt.listVmsRuntime, connection(sim, { filter: "powerState eq 'ON'", limit: 1 }));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ total: 2, count: 2 });
    expect(r.outputs.vms.map((v: any) => v.name).sort()).toEqual(['legacy-01', 'web-01']);
  });

  it('StartVm leaves a running VM alone; StopVm stops gracefully through NGT or by ACPI, and says why a guest shutdown failed', async () => {
    const start = await run<any>(rt.startVmRuntime, connection(sim, { vmExtId: WEB_01 }));
    expect(start.outputs).toMatchObject({ changed: false, powerState: 'ON' });
    expect(start.outputs.taskExtId).toBeUndefined();

    const guest = await run<any>(rt.stopVmRuntime, connection(sim, { vmExtId: WEB_01, gracefully: true }));
    expect(guest.outputs).toMatchObject({ method: 'guest-shutdown', powerState: 'OFF', changed: true });

    const noTools = await run<any>(rt.stopVmRuntime, connection(sim, { vmExtId: LEGACY_01, gracefully: true }));
    expect(noTools.error?.code).toBe('REMOTE_ERROR');
    expect(noTools.error?.message).toMatch(/Guest Tools are not installed/);

    const acpi = await run<any>(rt.stopVmRuntime, connection(sim, { vmExtId: LEGACY_01, gracefully: true, guest: false }));
    expect(acpi.outputs).toMatchObject({ method: 'shutdown', powerState: 'OFF' });

    const on = await run<any>(rt.startVmRuntime, connection(sim, { vmExtId: LEGACY_01 }));
    expect(on.outputs).toMatchObject({ changed: true, powerState: 'ON' });
    const hard = await run<any>(rt.stopVmRuntime, connection(sim, { vmExtId: LEGACY_01 }));
    expect(hard.outputs).toMatchObject({ method: 'power-off', powerState: 'OFF' });
  });

  it('GetVm, CloneVm and DeleteVm (a VM already gone is a success with failIfNotFound: false)', async () => {
    const get = await run<any>(rt.getVmRuntime, connection(sim, { vmExtId: WEB_01 }));
    expect(get.outputs).toMatchObject({ extId: WEB_01, name: 'web-01', powerState: 'ON' });
    expect(get.outputs.etag).toBeTruthy();

    const clone = await run<any>(rt.cloneVmRuntime, connection(sim, { vmExtId: WEB_01, cloneOverrides: { name: 'web-01-staging', numSockets: 4 } }));
    expect(clone.error).toBeUndefined();
    expect(clone.outputs.extId).not.toBe(WEB_01);
    expect(clone.outputs.vm).toMatchObject({ name: 'web-01-staging', numSockets: 4, powerState: 'OFF' });

    const del = await run<any>(rt.deleteVmRuntime, connection(sim, { vmExtId: clone.outputs.extId }));
    expect(del.outputs).toMatchObject({ deleted: true, taskStatus: 'SUCCEEDED' });
    expect(await vmsNamed('web-01-staging')).toHaveLength(0);
    const again = await run<any>(rt.deleteVmRuntime, connection(sim, { vmExtId: clone.outputs.extId, failIfNotFound: false }));
    expect(again.outputs).toEqual({ vmExtId: clone.outputs.extId, deleted: false });
    const strict = await run<any>(rt.deleteVmRuntime, connection(sim, { vmExtId: clone.outputs.extId }));
    expect(strict.error?.code).toBe('NOT_FOUND');
  });

  it('ConvertVmToTemplate then CloneTemplate by name deploys a VM with the override', async () => {
    const t = await run<any>(rt.convertVmToTemplateRuntime, connection(sim, { vmExtId: WEB_01, templateName: 'golden', versionName: '2026-12' }));
    expect(t.error).toBeUndefined();
    expect(t.outputs.templateExtId).toBeTruthy();
    expect(t.outputs.templateVersionExtId).toBeTruthy();
    const d = await run<any>(
      rt.cloneTemplateRuntime,
      connection(sim, { templateName: 'golden', templateVersionExtId: t.outputs.templateVersionExtId, vmConfigOverride: { name: 'app-02' } }),
    );
    expect(d.error).toBeUndefined();
    const [vm] = await vmsNamed('app-02');
    expect(vm.extId).toBe(d.outputs.extId);
    const missing = await run<any>(rt.cloneTemplateRuntime, connection(sim, { templateName: 'nope' }));
    expect(missing.error?.message).toMatch(/no template is named 'nope'/);
  });

  it('refuses missing credentials and a host with a scheme, naming the fix', async () => {
    const none = await run<any>(rt.listVmsRuntime, { host: '127.0.0.1', port: sim.port, scheme: 'http' });
    expect(none.error?.code).toBe('INVALID_PROPERTIES');
    expect(none.error?.message).toMatch(/token .*or username and password/);
    const withScheme = await run<any>(rt.listVmsRuntime, connection(sim, { host: 'http://pc.example.com' }));
    expect(withScheme.error?.message).toMatch(/host name or IP only/);
    const wrong = await run<any>(rt.listVmsRuntime, connection(sim, { password: 'wrong-password-123' }));
    expect(wrong.error?.code).toBe('AUTHENTICATION');
    expect(JSON.stringify(wrong.logs) + wrong.error?.message).not.toContain('wrong-password-123');
  });
});

describe('snapshots', () => {
  it('create (application-consistent, expiring), list by VM, revert and power on, delete; expiry removes it', async () => {
    const expirationTime = new Date(Date.now() + 3_600_000).toISOString();
    const snap = await run<any>(rt.createVmSnapshotRuntime, connection(sim, { vmExtId: WEB_01, snapshotName: 'pre-patch', consistency: 'APPLICATION_CONSISTENT', expirationTime }));
    expect(snap.error).toBeUndefined();
    expect(snap.outputs.snapshotExtId).toBeTruthy();
    expect(snap.outputs.snapshot).toMatchObject({ extId: snap.outputs.snapshotExtId, name: 'pre-patch', recoveryPointType: 'APPLICATION_CONSISTENT', expirationTime });

    const list = await run<any>(rt.listVmSnapshotsRuntime, connection(sim, { vmExtId: WEB_01 }));
    expect(list.outputs.snapshots.map((s: any) => s.extId)).toEqual([snap.outputs.snapshotExtId]);

    const restore = await run<any>(rt.restoreVmSnapshotRuntime, connection(sim, { snapshotExtId: snap.outputs.snapshotExtId, powerOn: true }));
    expect(restore.error).toBeUndefined();
    expect(restore.outputs).toMatchObject({ vmExtId: WEB_01, powerState: 'ON' });
    expect((await state(sim)).tasks.filter((t: any) => t.operation === 'RevertVm' && t.status === 'SUCCEEDED')).toHaveLength(1);

    const del = await run<any>(rt.deleteVmSnapshotRuntime, connection(sim, { snapshotExtId: snap.outputs.snapshotExtId }));
    expect(del.outputs).toMatchObject({ deleted: true });
    const gone = await run<any>(rt.deleteVmSnapshotRuntime, connection(sim, { snapshotExtId: snap.outputs.snapshotExtId }));
    expect(gone.outputs).toEqual({ snapshotExtId: snap.outputs.snapshotExtId, deleted: false });

    const expiring = await run<any>(rt.createVmSnapshotRuntime, connection(sim, { vmExtId: WEB_01, snapshotName: 'short', expirationTime }));
    await control(sim, 'POST', '/_sim/clock', { advanceMs: 3_600_000 });
    const after = await run<any>(rt.listVmSnapshotsRuntime, connection(sim, { vmExtId: WEB_01 }));
    expect(after.outputs.total).toBe(0);
    const restoreExpired = await run<any>(rt.restoreVmSnapshotRuntime, connection(sim, { snapshotExtId: expiring.outputs.snapshotExtId }));
    expect(restoreExpired.error?.code).toBe('NOT_FOUND');
  });

  it('an application-consistent snapshot of a VM without guest tools fails with the reason', async () => {
    const r = await run<any>(rt.createVmSnapshotRuntime, connection(sim, { vmExtId: LEGACY_01, snapshotName: 'x', consistency: 'APPLICATION_CONSISTENT' }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toMatch(/needs Nutanix Guest Tools/);
  });
});

describe('waits', () => {
  it('a kill during the wait asks Prism to cancel the task: no VM appears', async () => {
    await control(sim, 'PUT', '/_sim/timings', { createMs: 600_000 });
    const r = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('killed') }), { abortAfterMs: 300 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.error?.message).toMatch(/asked Prism to cancel it/);
    const s = await state(sim);
    expect(s.tasks.find((t: any) => t.operation === 'CreateVm').status).toBe('CANCELED');
    expect(s.vms.filter((v: any) => v.name === 'killed')).toHaveLength(0);
  });

  it('a new attempt resumes from the heartbeat: it waits for the same task, or re-sends the same request id', async () => {
    const first = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('resumed'), wait: false }));
    expect(first.lastHeartbeatDetails).toMatchObject({ op: 'create-vm', key: 'resumed', taskExtId: first.outputs.taskExtId });

    const resumed = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('resumed') }), { resumeDetails: first.lastHeartbeatDetails });
    expect(resumed.error).toBeUndefined();
    expect(resumed.outputs.taskExtId).toBe(first.outputs.taskExtId);
    expect(resumed.logs.some((l) => l.message.includes('resuming the wait for Prism task'))).toBe(true);

    // Died after sending, before the answer: only the request id is in the heartbeat.
    const { taskExtId: _t, ...beforeAnswer } = first.lastHeartbeatDetails as Record<string, unknown>;
    const resent = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('resumed') }), { resumeDetails: beforeAnswer });
    expect(resent.outputs.taskExtId).toBe(first.outputs.taskExtId);
    expect(resent.logs.some((l) => l.message.includes("previous attempt's NTNX-Request-Id"))).toBe(true);
    expect(await vmsNamed('resumed')).toHaveLength(1);
  });

  it("a new attempt after the previous attempt's Prism task failed issues the operation again instead of failing on the old task", async () => {
    await control(sim, 'POST', '/_sim/outcome', { operation: 'CreateVm', message: 'not enough memory on the cluster' });
    const first = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('second-try') }));
    expect(first.error?.message).toMatch(/not enough memory on the cluster/);
    const second = await run<any>(rt.createVmRuntime, connection(sim, { vm: vmSpec('second-try') }), { resumeDetails: first.lastHeartbeatDetails });
    expect(second.error).toBeUndefined();
    expect(second.outputs.taskExtId).not.toBe((first.lastHeartbeatDetails as any).taskExtId);
    expect(second.logs.some((l) => l.message.includes('issuing create-vm again with a new NTNX-Request-Id'))).toBe(true);
    expect(await vmsNamed('second-try')).toHaveLength(1);
  });
});
