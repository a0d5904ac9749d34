// Every VMware task runtime against a real vcsim (govmomi v0.43.0), in vCenter and `-esx` modes; the
// trust store (PEM text, PEM file, PKCS#12) with a CA made here; insecure; a kill and a resumed wait.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginRuntime } from '@baton/plugin-sdk';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { runtimes, pollingTriggers } from '../src/runtime';
import { makeCa, startVcsim, type Vcsim } from './vcsim';

const vmwareTriggerRuntime = pollingTriggers[0]!;
const byName = (kestra: string): PluginRuntime => {
  const r = runtimes.find((x) => x.definition.aliases.includes(`io.kestra.plugin.ee.vmware.vcenter.${kestra}`));
  if (!r) throw new Error(`no runtime ${kestra}`);
  return r;
};

function conn(sim: Vcsim, extra: Record<string, unknown> = { insecure: true }) {
  return { server: sim.server, port: sim.port, username: sim.username, password: sim.password, ...extra };
}

async function ok(kestra: string, props: Record<string, unknown>, sim: Vcsim) {
  const res = await runPluginTask(byName(kestra), { ...conn(sim), ...props });
  expect(res.error?.message, `${kestra} failed`).toBeUndefined();
  // The password never reaches a log line.
  expect(JSON.stringify(res.logs)).not.toContain(sim.password);
  return res.outputs;
}

describe('vCenter mode', () => {
  let sim: Vcsim;
  beforeAll(async () => {
    sim = await startVcsim();
  }, 600_000);
  afterAll(async () => sim?.stop());

  it('lists the inventory and filters it', async () => {
    const all = await ok('ListVms', {}, sim);
    expect(all.count).toBeGreaterThanOrEqual(4);
    expect(all.vms.map((v: any) => v.vmName)).toContain('DC0_H0_VM0');
    const one = await ok('ListVms', { nameRegex: '^DC0_H0_VM0$' }, sim);
    expect(one.vms).toHaveLength(1);
    expect(one.vms[0]).toMatchObject({ vmName: 'DC0_H0_VM0', powerState: 'poweredOn', template: false });
    expect(one.vms[0].vmId).toMatch(/^vm-/);
  });

  it('Create → Start → Snapshot → Stop → Restore → Update → Delete', async () => {
    const created = await ok('CreateVm', { vmName: 'life-01', numCpu: 2, memoryMB: 256 }, sim);
    expect(created).toMatchObject({ vmName: 'life-01', powerState: 'poweredOff', created: true });
    expect((await ok('CreateVm', { vmName: 'life-01' }, sim)).created).toBe(false);

    expect(await ok('StartVm', { vmName: 'life-01' }, sim)).toMatchObject({ powerState: 'poweredOn', started: true });
    expect((await ok('StartVm', { vmName: 'life-01' }, sim)).started).toBe(false);

    const snap = await ok('CreateVmSnapshot', { vmName: 'life-01', snapshotName: 'before', snapshotDescription: 'on', memory: true }, sim);
    expect(snap).toMatchObject({ vmName: 'life-01', vmId: created.vmId, snapshotName: 'before' });
    expect(snap.snapshotId).toMatch(/snapshot/);
    await ok('CreateVmSnapshot', { vmName: 'life-01', snapshotName: 'after' }, sim);
    const listed = await ok('ListVmSnapshots', { vmName: 'life-01' }, sim);
    expect(listed.snapshots.map((s: any) => s.snapshotName)).toEqual(['before', 'after']);
    expect(listed.snapshots[1]).toMatchObject({ current: true, parentId: snap.snapshotId });
    expect(listed.currentSnapshotId).toBe(listed.snapshots[1].snapshotId);

    expect(await ok('StopVm', { vmName: 'life-01' }, sim)).toMatchObject({ powerState: 'poweredOff', stopped: true });
    const restored = await ok('RestoreVmFromSnapshot', { vmName: 'life-01', snapshotName: 'before' }, sim);
    expect(restored).toMatchObject({ snapshotId: snap.snapshotId, powerState: 'poweredOff' });
    expect((await ok('ListVmSnapshots', { vmName: 'life-01' }, sim)).currentSnapshotId).toBe(snap.snapshotId);

    expect((await ok('DeleteVmSnapshot', { vmName: 'life-01', snapshotName: 'after' }, sim)).deleted).toBe(true);
    expect((await ok('DeleteVmSnapshot', { vmName: 'life-01', snapshotName: 'after', failIfNotFound: false }, sim)).deleted).toBe(false);
    const missing = await runPluginTask(byName('RestoreVmFromSnapshot'), { ...conn(sim), vmName: 'life-01', snapshotName: 'nope' });
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.error!.message).toContain('it has: before');

    expect(await ok('UpdateVm', { vmName: 'life-01', numCpu: 4, memoryMB: 1024 }, sim)).toMatchObject({ numCpu: 4, memoryMB: 1024 });
    expect(await ok('DeleteVm', { vmName: 'life-01' }, sim)).toMatchObject({ deleted: true, vmId: created.vmId });
    expect((await ok('ListVms', { nameRegex: '^life-01$' }, sim)).count).toBe(0);
    expect((await ok('DeleteVm', { vmName: 'life-01', failIfNotFound: false }, sim)).deleted).toBe(false);
    const gone = await runPluginTask(byName('DeleteVm'), { ...conn(sim), vmName: 'life-01' });
    expect(gone.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('Suspend, Reset and Reboot follow the power state', async () => {
    await ok('CreateVm', { vmName: 'power-01', powerOn: true }, sim);
    expect(await ok('ResetVm', { vmName: 'power-01' }, sim)).toMatchObject({ reset: true, powerState: 'poweredOn' });
    // vcsim's VMs run no VMware Tools: the guest reboot is refused with advice, or turns into a reset with force.
    const noTools = await runPluginTask(byName('RebootVm'), { ...conn(sim), vmName: 'power-01' });
    expect(noTools.error).toMatchObject({ code: 'CONFLICT' });
    expect(noTools.error!.message).toContain('use Reset');
    expect(await ok('RebootVm', { vmName: 'power-01', force: true }, sim)).toMatchObject({ rebooted: true, hardReset: true, powerState: 'poweredOn' });
    expect(await ok('SuspendVm', { vmName: 'power-01' }, sim)).toMatchObject({ suspended: true, powerState: 'suspended' });
    expect((await ok('SuspendVm', { vmName: 'power-01' }, sim)).suspended).toBe(false);
    const reset = await runPluginTask(byName('ResetVm'), { ...conn(sim), vmName: 'power-01' });
    expect(reset.error).toMatchObject({ code: 'CONFLICT' });
    expect(reset.error!.message).toContain('suspended');
    await ok('DeleteVm', { vmName: 'power-01' }, sim);
  });

  it('CloneVm, ConvertToTemplate and CloneTemplate', async () => {
    const clone = await ok('CloneVm', { vmName: 'DC0_H0_VM0', cloneName: 'clone-01', powerOn: true }, sim);
    expect(clone).toMatchObject({ vmName: 'clone-01', cloned: true, template: false, powerState: 'poweredOn' });
    expect(clone.sourceVmId).toMatch(/^vm-/);
    expect((await ok('CloneVm', { vmName: 'DC0_H0_VM0', cloneName: 'clone-01' }, sim)).cloned).toBe(false);
    const on = await runPluginTask(byName('ConvertToTemplate'), { ...conn(sim), vmName: 'clone-01' });
    expect(on.error).toMatchObject({ code: 'CONFLICT' });
    expect(on.error!.message).toContain('StopVm');
    await ok('StopVm', { vmName: 'clone-01' }, sim);
    expect(await ok('ConvertToTemplate', { vmName: 'clone-01' }, sim)).toMatchObject({ template: true, converted: true });
    const copy = await ok('CloneTemplate', { templateName: 'clone-01', targetTemplateName: 'clone-01-copy' }, sim);
    expect(copy).toMatchObject({ vmName: 'clone-01-copy', template: true, cloned: true });
    const notTemplate = await runPluginTask(byName('CloneTemplate'), { ...conn(sim), templateName: 'DC0_H0_VM1', targetTemplateName: 'x' });
    expect(notTemplate.error).toMatchObject({ code: 'CONFLICT' });
    const badDs = await runPluginTask(byName('CloneVm'), { ...conn(sim), vmName: 'DC0_H0_VM0', cloneName: 'y', datastoreName: 'nope' });
    expect(badDs.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(badDs.error!.message).toContain('LocalDS_0');
  });

  it('a wrong password is AUTHENTICATION and does not leak', async () => {
    const res = await runPluginTask(byName('ListVms'), { ...conn(sim), password: 'wrong-password-xyz' });
    expect(res.error).toMatchObject({ code: 'AUTHENTICATION' });
    expect(res.error!.message).not.toContain('wrong-password-xyz');
  });

  it('insecure logs a loud warning; without it vcsim’s own certificate is refused with advice', async () => {
    const res = await runPluginTask(byName('ListVms'), conn(sim));
    expect(res.logs.some((l) => l.level === 'WARN' && l.message.includes('NOT verified'))).toBe(true);
    const strict = await runPluginTask(byName('ListVms'), conn(sim, {}));
    expect(strict.error?.message).toMatch(/not trusted.*trustStore/);
  });
});

describe('trust store with our own CA', () => {
  let sim: Vcsim;
  const ca = makeCa();
  beforeAll(async () => {
    sim = await startVcsim({ tls: { cert: ca.cert, key: ca.key } });
  }, 600_000);
  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(ca.dir, { recursive: true, force: true });
  });

  it('trusts the CA given as PEM text, a PEM file or a PKCS#12 store', async () => {
    for (const extra of [{ trustStore: ca.caPem }, { trustStorePath: `${ca.dir}/ca.pem` }, { trustStorePath: ca.p12, trustStorePassword: ca.p12Password }]) {
      const res = await runPluginTask(byName('ListVms'), conn(sim, extra));
      expect(res.error?.message, JSON.stringify(Object.keys(extra))).toBeUndefined();
      expect(res.outputs.count).toBeGreaterThan(0);
    }
  });

  it('a wrong PKCS#12 password and a missing file are clear errors', async () => {
    const wrong = await runPluginTask(byName('ListVms'), conn(sim, { trustStorePath: ca.p12, trustStorePassword: 'nope' }));
    expect(wrong.error).toMatchObject({ code: 'INVALID_PROPERTIES' });
    const missing = await runPluginTask(byName('ListVms'), conn(sim, { trustStorePath: '/nonexistent/ca.p12' }));
    expect(missing.error?.message).toContain('cannot be read on the worker');
  });
});

describe('ESXi mode (-esx)', () => {
  let sim: Vcsim;
  beforeAll(async () => {
    sim = await startVcsim({ esx: true });
  }, 600_000);
  afterAll(async () => sim?.stop());

  it('runs lifecycle and snapshots on a standalone host and refuses a clone with advice', async () => {
    const list = await ok('ListVms', {}, sim);
    expect(list.vms.map((v: any) => v.vmName)).toContain('ha-host_VM0');
    await ok('CreateVm', { vmName: 'esx-01', powerOn: true }, sim);
    const snap = await ok('CreateVmSnapshot', { vmName: 'esx-01', snapshotName: 's1' }, sim);
    expect(snap.snapshotId).toBeTruthy();
    await ok('StopVm', { vmName: 'esx-01' }, sim);
    await ok('RestoreVmFromSnapshot', { vmName: 'esx-01', snapshotName: 's1', suppressPowerOn: false }, sim);
    await ok('DeleteVmSnapshot', { vmName: 'esx-01', snapshotName: 's1' }, sim);
    const clone = await runPluginTask(byName('CloneVm'), { ...conn(sim), vmName: 'esx-01', cloneName: 'esx-02' });
    expect(clone.error).toMatchObject({ code: 'CONFLICT' });
    expect(clone.error!.message).toContain('needs vCenter');
    await ok('DeleteVm', { vmName: 'esx-01' }, sim);
  });
});

describe('waits on a slow vSphere task', () => {
  let sim: Vcsim;
  beforeAll(async () => {
    // The power-on Task stays `running` for 3 s (vcsim's task name, PowerOn, not the method's).
    sim = await startVcsim({ methodDelay: 'PowerOn:3000' });
  }, 600_000);
  afterAll(async () => sim?.stop());

  it('a kill ends the wait with CANCELLED; the next attempt resumes the same Task without asking again', async () => {
    await ok('CreateVm', { vmName: 'slow-01' }, sim);
    const killed = await runPluginTask(byName('StartVm'), { ...conn(sim), vmName: 'slow-01' }, { abortAfterMs: 800 });
    expect(killed.error).toMatchObject({ code: 'CANCELLED' });
    expect(killed.error!.message).toContain('vSphere carries on');
    const beat = killed.lastHeartbeatDetails as { op: string; task: string };
    expect(beat).toMatchObject({ op: 'powerOn', vm: 'slow-01' });

    const resumed = await runPluginTask(byName('StartVm'), { ...conn(sim), vmName: 'slow-01' }, { resumeDetails: beat });
    expect(resumed.error?.message).toBeUndefined();
    expect(resumed.outputs).toMatchObject({ powerState: 'poweredOn', started: true });
    expect(resumed.logs.some((l) => l.message.includes(`(${beat.task})`) && l.message.includes('not asking again'))).toBe(true);
    expect(resumed.logs.some((l) => l.message.includes('requested'))).toBe(false);
  });
});

describe('the event trigger’s poll', () => {
  for (const esx of [false, true]) {
    describe(esx ? '-esx' : 'vCenter', () => {
      let sim: Vcsim;
      beforeAll(async () => {
        sim = await startVcsim({ esx });
      }, 600_000);
      afterAll(async () => sim?.stop());

      it('records where the log stands, then fires once per new matching event', async () => {
        const props = { ...conn(sim), eventTypes: ['VM_POWERED_ON', 'VM_POWERED_OFF'], vmNameRegex: '^trig-' };
        const ac = new AbortController();
        const first = await vmwareTriggerRuntime.poll(props as never, undefined, { now: new Date(), signal: ac.signal });
        expect(first.events).toEqual([]);
        expect(first.note).toContain('first poll');
        await ok('CreateVm', { vmName: 'trig-01', powerOn: true }, sim);
        await ok('StopVm', { vmName: 'trig-01' }, sim);
        await ok('StartVm', { vmName: esx ? 'ha-host_VM0' : 'DC0_H0_VM0' }, sim); // filtered out by vmNameRegex (already on: no event either)
        const second = await vmwareTriggerRuntime.poll(props as never, first.checkpoint, { now: new Date(), signal: ac.signal });
        expect(second.events.map((e) => e.variables.eventType)).toEqual(['VM_POWERED_ON', 'VM_POWERED_OFF']);
        expect(second.events[0]!.variables).toMatchObject({ vmName: 'trig-01', vsphereType: 'VmPoweredOnEvent' });
        expect(new Set(second.events.map((e) => e.key)).size).toBe(2);
        // The same checkpoint again (a retried poll) gives the same events with the same keys.
        const retried = await vmwareTriggerRuntime.poll(props as never, first.checkpoint, { now: new Date(), signal: ac.signal });
        expect(retried.events.map((e) => e.key)).toEqual(second.events.map((e) => e.key));
        const third = await vmwareTriggerRuntime.poll(props as never, second.checkpoint, { now: new Date(), signal: ac.signal });
        expect(third.events).toEqual([]);
      });
    });
  }
});
