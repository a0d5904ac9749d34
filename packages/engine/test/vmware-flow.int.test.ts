// VMware tasks in real executions: flows on the real stack drive a real vcsim (govmomi's vCenter and
// ESXi simulator) through a worker of its own group. Every task type runs in one vCenter flow that
// trusts the simulator through a generated CA (trustStorePath), the ESXi flow runs on `vcsim -esx`
// with `insecure`; a kill during a slow power-on; a worker SIGKILLed during that wait, replaced by an
// attempt that resumes polling the same vSphere Task instead of asking again. The event trigger
// fires one execution per vSphere event, and one for an event made while its worker was down.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { api, taskRun } from '@baton/testing';
import { runtimes } from '../../plugins/vmware/src/runtime';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';
import { makeCa, startVcsim, type Vcsim } from '../../plugins/vmware/test/vcsim';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const client = api();
const codec = new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined));
const started: import('node:child_process').ChildProcess[] = [];
const GROUP = 'vmware-test';
const ca = makeCa();
let vcenter: Vcsim;
let esx: Vcsim;
let slow: Vcsim;
let worker: import('node:child_process').ChildProcess;

async function until(check: () => Promise<boolean> | boolean, what: string, tries = 600) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function groupWorker() {
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  const child = stack.startWorker({ env: { ...env, BATON_WORKER_GROUPS: GROUP, BATON_WORKER_DEFAULT_QUEUE: 'false' }, quiet: true, name: 'vmware-worker' });
  started.push(child);
  await stack.waitForOutput(child, /polling/, 'vmware worker');
  return child;
}

const explain = (done: any) => JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.attempts?.at(-1)?.error ?? t.error]));

beforeAll(async () => {
  [vcenter, esx, slow] = await Promise.all([
    startVcsim({ tls: { cert: ca.cert, key: ca.key } }),
    startVcsim({ esx: true }),
    // Its power-on Tasks stay `running` for 20 s: long enough to kill or restart during the wait.
    startVcsim({ methodDelay: 'PowerOn:20000' }),
  ]);
  for (const [key, value] of [
    ['VSPHERE_USERNAME', vcenter.username],
    ['VSPHERE_PASSWORD', vcenter.password],
  ]) {
    const res = await client.call('PUT', `/api/v1/main/secrets/test.vmware/${key}`, { value });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
  worker = await groupWorker();
}, 600_000);

afterAll(async () => {
  for (const child of started) await stack.stopProcess(child, { signal: 'SIGKILL' });
  await Promise.all([vcenter?.stop(), esx?.stop(), slow?.stop()]);
  fs.rmSync(ca.dir, { recursive: true, force: true });
}, 120_000);

const defaults = (sim: Vcsim, tls: string) => `pluginDefaults:
  - type: io.kestra.plugin.ee.vmware
    values:
      server: ${sim.server}
      port: ${sim.port}
      username: "{{ secret('VSPHERE_USERNAME') }}"
      password: "{{ secret('VSPHERE_PASSWORD') }}"
      ${tls}`;

const task = (id: string, type: string, props: string) => `  - id: ${id}
    type: io.kestra.plugin.ee.vmware.${type}
    workerGroup:
      key: ${GROUP}
${props
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}`;

describe('VMware tasks in executions', () => {
  it('every task type against vcsim as vCenter, trusted through trustStorePath', async () => {
    const yaml = `
id: vmware-vcenter-all
namespace: test.vmware
${defaults(vcenter, `trustStorePath: ${ca.dir}/ca.pem`)}
tasks:
${[
  task('create', 'vcenter.CreateVm', 'vmName: app-01\nnumCpu: 2\nmemoryMB: 256'),
  task('start', 'vcenter.StartVm', 'vmName: "{{ outputs.create.vmName }}"'),
  task('snap', 'vcenter.CreateVmSnapshot', 'vmName: app-01\nsnapshotName: pre-patch\nsnapshotDescription: before patching\nmemory: true'),
  task('snaps', 'vcenter.ListVmSnapshots', 'vmName: app-01'),
  task('reboot', 'vcenter.RebootVm', 'vmName: app-01\nforce: true'),
  task('reset', 'vcenter.ResetVm', 'vmName: app-01'),
  task('suspend', 'vcenter.SuspendVm', 'vmName: app-01'),
  task('stop', 'vcenter.StopVm', 'vmName: app-01'),
  task('restore', 'vcenter.RestoreVmFromSnapshot', 'vmName: app-01\nsnapshotName: "{{ outputs.snap.snapshotName }}"'),
  task('delsnap', 'vcenter.DeleteVmSnapshot', 'vmName: app-01\nsnapshotName: pre-patch'),
  task('update', 'vcenter.UpdateVm', 'vmName: app-01\nmemoryMB: 1024\nannotation: patched'),
  task('clone', 'vcenter.CloneVm', 'vmName: app-01\ncloneName: app-01-golden'),
  task('template', 'vcenter.ConvertToTemplate', 'vmName: "{{ outputs.clone.vmName }}"'),
  task('copy', 'vcenter.CloneTemplate', 'templateName: app-01-golden\ntargetTemplateName: app-01-golden-v2'),
  task('list', 'vcenter.ListVms', 'nameRegex: "^app-01"'),
  task('delete', 'vcenter.DeleteVm', 'vmName: app-01'),
].join('\n')}
`;
    const id = await client.deployAndRun(yaml);
    const done = await client.waitFor(id, undefined, 180_000);
    expect(done.state.current, explain(done)).toBe('SUCCESS');
    const created = taskRun(done, 'create').outputs;
    expect(created).toMatchObject({ vmName: 'app-01', powerState: 'poweredOff', created: true });
    expect(taskRun(done, 'start').outputs).toMatchObject({ vmId: created.vmId, powerState: 'poweredOn', started: true });
    const snap = taskRun(done, 'snap').outputs;
    expect(snap).toMatchObject({ vmName: 'app-01', vmId: created.vmId, snapshotName: 'pre-patch' });
    expect(taskRun(done, 'snaps').outputs).toMatchObject({ count: 1, currentSnapshotId: snap.snapshotId });
    expect(taskRun(done, 'reboot').outputs).toMatchObject({ rebooted: true, hardReset: true });
    expect(taskRun(done, 'reset').outputs).toMatchObject({ reset: true, powerState: 'poweredOn' });
    expect(taskRun(done, 'suspend').outputs).toMatchObject({ suspended: true, powerState: 'suspended' });
    expect(taskRun(done, 'stop').outputs).toMatchObject({ stopped: true, powerState: 'poweredOff' });
    expect(taskRun(done, 'restore').outputs).toMatchObject({ snapshotId: snap.snapshotId, powerState: 'poweredOff' });
    expect(taskRun(done, 'delsnap').outputs).toMatchObject({ deleted: true, snapshotId: snap.snapshotId });
    expect(taskRun(done, 'update').outputs).toMatchObject({ memoryMB: 1024 });
    expect(taskRun(done, 'clone').outputs).toMatchObject({ vmName: 'app-01-golden', cloned: true, sourceVmId: created.vmId });
    expect(taskRun(done, 'template').outputs).toMatchObject({ template: true, converted: true });
    expect(taskRun(done, 'copy').outputs).toMatchObject({ vmName: 'app-01-golden-v2', template: true });
    expect(taskRun(done, 'list').outputs.vms.map((v: any) => v.vmName)).toEqual(['app-01', 'app-01-golden', 'app-01-golden-v2']);
    expect(taskRun(done, 'delete').outputs).toMatchObject({ deleted: true, vmId: created.vmId });
    // The password (a secret) is in no log line and no output.
    const logs = JSON.stringify((await client.logs(id)).body);
    expect(logs).not.toContain(vcenter.password);
    expect(JSON.stringify(done)).not.toContain(vcenter.password);
  });

  it('the esxi tasks against vcsim -esx with insecure (warned), and a clone refused with advice', async () => {
    const yaml = `
id: vmware-esxi
namespace: test.vmware
${defaults(esx, 'insecure: true')}
tasks:
${[
  task('create', 'esxi.CreateVm', 'vmName: edge-01\npowerOn: true'),
  task('snap', 'esxi.CreateVmSnapshot', 'vmName: edge-01\nsnapshotName: s1'),
  task('restore', 'esxi.RestoreVmFromSnapshot', 'vmName: edge-01\nsnapshotName: s1\nsuppressPowerOn: false'),
  task('clone', 'esxi.CloneVm', 'vmName: edge-01\ncloneName: edge-02'),
].join('\n')}
`;
    const id = await client.deployAndRun(yaml);
    const done = await client.waitFor(id, undefined, 120_000);
    expect(done.state.current, explain(done)).toBe('FAILED');
    expect(taskRun(done, 'create').outputs).toMatchObject({ vmName: 'edge-01', powerState: 'poweredOn', created: true });
    expect(taskRun(done, 'snap').outputs.snapshotId).toBeTruthy();
    expect(taskRun(done, 'restore').state.current).toBe('SUCCESS');
    expect(taskRun(done, 'clone').state.current).toBe('FAILED');
    const logs: any[] = (await client.logs(id)).body;
    expect(logs.some((l) => l.taskId === 'create' && l.level === 'WARN' && String(l.message).includes('NOT verified'))).toBe(true);
    expect(logs.some((l) => l.taskId === 'clone' && String(l.message).includes('needs vCenter'))).toBe(true);
  });

  const slowStart = (flowId: string, vmName: string) => `
id: ${flowId}
namespace: test.vmware
${defaults(slow, 'insecure: true')}
tasks:
${task('create', 'vcenter.CreateVm', `vmName: ${vmName}`)}
${task('start', 'vcenter.StartVm', `vmName: ${vmName}\ntimeout: PT3M`)}
`;

  it('a kill during the power-on wait ends the execution KILLED; vSphere carries on', async () => {
    const id = await client.deployAndRun(slowStart('vmware-start-killed', 'slow-killed'));
    await until(async () => (await client.logs(id)).body.some((l: any) => l.taskId === 'start' && String(l.message).includes('power-on of')), 'the power-on request');
    expect((await client.kill(id)).status).toBe(202);
    const done = await client.waitFor(id, ['KILLED'], 30_000);
    expect(taskRun(done, 'start').state.current).toBe('KILLED');
    await until(
      async () => (await client.logs(id)).body.some((l: any) => l.taskId === 'start' && String(l.message).includes('vSphere carries on')),
      "the killed attempt's log line",
      100,
    );
  });

  it('a worker SIGKILLed during the wait: the next attempt resumes the same vSphere Task without asking again', async () => {
    const id = await client.deployAndRun(slowStart('vmware-start-restart', 'slow-restart'));
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    let taskId = '';
    try {
      const temporal = new Client({ connection });
      await until(async () => {
        const pending = (await temporal.workflow.getHandle(id).describe()).raw.pendingActivities ?? [];
        for (const a of pending) {
          const payload = a.heartbeatDetails?.payloads?.[0];
          if (!payload) continue;
          const [decoded] = await codec.decode([payload as never]);
          const text = Buffer.from(decoded.data!).toString();
          if (text.includes('"op":"powerOn"')) {
            taskId = JSON.parse(text).task;
            return true;
          }
        }
        return false;
      }, 'heartbeat details in Temporal');
    } finally {
      await connection.close();
    }
    const exited = new Promise((r) => worker.once('exit', r));
    stack.signalGroup(worker, 'SIGKILL');
    await exited;
    worker = await groupWorker();

    const done = await client.waitFor(id, undefined, 180_000);
    expect(done.state.current, explain(done)).toBe('SUCCESS');
    const start = taskRun(done, 'start');
    expect(start.attempts.length).toBeGreaterThan(1);
    // A fresh attempt would find the VM on (vcsim finished the Task meanwhile) and answer started: false.
    expect(start.outputs).toMatchObject({ powerState: 'poweredOn', started: true });
    const logs: string[] = (await client.logs(id)).body.filter((l: any) => l.taskId === 'start').map((l: any): string => String(l.message));
    expect(logs.some((m) => m.includes(`(${taskId})`) && m.includes('not asking again'))).toBe(true);
    expect(logs.filter((m) => m.includes('power-on of') && m.includes('requested')).length).toBeLessThanOrEqual(1);
  });
});

describe('the vSphere event trigger on the real stack', () => {
  const NS = 'test.vmware';
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject('databaseUrl') });
    await db.connect();
  });
  afterAll(async () => {
    await client.call('DELETE', `/api/v1/main/flows/${NS}/vmware-events`);
    await db?.end();
  });

  const executions = async () =>
    (await db.query("SELECT id, trigger FROM executions WHERE namespace = $1 AND flow_id = 'vmware-events' ORDER BY created_at", [NS])).rows as { id: string; trigger: any }[];
  const triggerRow = async () =>
    (await db.query("SELECT * FROM flow_triggers WHERE namespace = $1 AND flow_id = 'vmware-events' AND trigger_id = 'vm'", [NS])).rows[0] as
      { last_evaluated_at: Date | null; state: any } | undefined;
  async function nextPoll() {
    const after = Date.now();
    await until(
      async () => {
        const row = await triggerRow();
        return !!row?.last_evaluated_at && row.last_evaluated_at.getTime() > after;
      },
      'a poll',
      1800,
    );
  }
  const power = async (kestra: string, vmName: string) => {
    const runtime = runtimes.find((r) => r.definition.aliases.includes(`io.kestra.plugin.ee.vmware.vcenter.${kestra}`))!;
    const res = await runPluginTask(runtime, { server: vcenter.server, port: vcenter.port, username: vcenter.username, password: vcenter.password, trustStore: ca.caPem, vmName });
    expect(res.error?.message).toBeUndefined();
  };

  it('fires once per event, and once for an event made while its worker was down', async () => {
    const yaml = `
id: vmware-events
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.vmName }} {{ trigger.eventType }} {{ trigger.timestamp }}"
triggers:
  - id: vm
    type: io.kestra.plugin.ee.vmware.vcenter.Trigger
    server: ${vcenter.server}
    port: ${vcenter.port}
    username: "{{ secret('VSPHERE_USERNAME') }}"
    password: "{{ secret('VSPHERE_PASSWORD') }}"
    trustStorePath: ${ca.dir}/ca.pem
    eventTypes: [VM_POWERED_ON, VM_POWERED_OFF]
    vmNameRegex: "^DC0_C0_RP0_VM0$"
    interval: PT1S
    workerGroup:
      key: ${GROUP}
`;
    const res = await client.deploy(yaml);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    // The first poll records where the event log stands and fires nothing.
    await until(async () => (await triggerRow())?.state?.checkpoint?.lastKey !== undefined, 'the first poll', 1800);
    expect(await executions()).toEqual([]);

    await power('StopVm', 'DC0_C0_RP0_VM0');
    const [off] = await until(async () => (await executions()).length >= 1, 'the execution for the power-off').then(executions);
    expect(off!.trigger.variables).toMatchObject({ vmName: 'DC0_C0_RP0_VM0', eventType: 'VM_POWERED_OFF', vsphereType: 'VmPoweredOffEvent' });
    await nextPoll();
    await nextPoll();
    expect(await executions()).toHaveLength(1);

    // The polling worker dies; the VM powers on meanwhile; the worker comes back.
    await stack.stopProcess(worker, { signal: 'SIGKILL' });
    await power('StartVm', 'DC0_C0_RP0_VM0');
    worker = await groupWorker();
    await until(async () => (await executions()).length >= 2, 'the event made while the worker was down', 1800);
    await nextPoll();
    await nextPoll();
    const all = await executions();
    expect(all.map((e) => e.trigger.variables.eventType)).toEqual(['VM_POWERED_OFF', 'VM_POWERED_ON']);
    // Each execution's log line names its event (the flow ran).
    const done = await client.waitFor(all[1]!.id, undefined, 60_000);
    expect(done.state.current).toBe('SUCCESS');
  });
});
