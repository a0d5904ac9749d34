// KVM tasks in real executions: a flow on the real stack drives the real libvirtd (qemu:///system)
// through a worker that serves only its worker group, as on a hypervisor host. Create → Start → Get
// → Stop → Delete end to end; a kill during a wait; a worker SIGKILLed during a wait, replaced by an
// attempt that resumes from the heartbeat details without asking libvirt again.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, taskRun } from '@baton/testing';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';
import { cleanup, ensureLibvirtd, tinyDomainXml, uniquePrefix, virsh } from '../../plugins/kvm/test/libvirtd';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const client = api();
const codec = new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined));
const started: import('node:child_process').ChildProcess[] = [];
const prefix = uniquePrefix();
const GROUP = 'kvm-host-test';
const state = (name: string) => virsh('domstate', name).trim();

async function until(check: () => Promise<boolean> | boolean, what: string, tries = 300) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A worker serving only the KVM group's queue (`baton.kvm-host-test`), like one on a hypervisor. */
async function groupWorker() {
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  const child = stack.startWorker({ env: { ...env, BATON_WORKER_GROUPS: GROUP, BATON_WORKER_DEFAULT_QUEUE: 'false' }, quiet: true, name: 'kvm-host-worker' });
  started.push(child);
  await stack.waitForOutput(child, /polling/, 'kvm host worker');
  return child;
}

const indent = (text: string, spaces: number) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => ' '.repeat(spaces) + l)
    .join('\n');

let worker: import('node:child_process').ChildProcess;
beforeAll(async () => {
  await ensureLibvirtd();
  worker = await groupWorker();
}, 120_000);
afterAll(async () => {
  for (const child of started) await stack.stopProcess(child, { signal: 'SIGKILL' });
  cleanup(prefix);
}, 120_000);

describe('KVM tasks in executions', () => {
  it('CreateVm → StartVm → GetVm → StopVm → DeleteVm on a worker of the KVM group', async () => {
    const name = `${prefix}flow`;
    const yaml = `
id: kvm-lifecycle
namespace: test.kvm
pluginDefaults:
  - type: io.kestra.plugin.kvm
    values:
      uri: qemu:///system
tasks:
  - id: create
    type: io.kestra.plugin.kvm.CreateVm
    name: ${name}
    workerGroup:
      key: ${GROUP}
    xmlDefinition: |
${indent(tinyDomainXml(name), 6)}
  - id: start
    type: io.kestra.plugin.kvm.StartVm
    name: "{{ outputs.create.name }}"
    waitForRunning: true
    timeToWait: PT30S
    workerGroup:
      key: ${GROUP}
  - id: get
    type: io.kestra.plugin.kvm.GetVm
    name: ${name}
    workerGroup:
      key: ${GROUP}
  - id: stop
    type: io.kestra.plugin.kvm.StopVm
    name: ${name}
    force: true
    waitForStopped: true
    workerGroup:
      key: ${GROUP}
  - id: delete
    type: io.kestra.plugin.kvm.DeleteVm
    name: ${name}
    workerGroup:
      key: ${GROUP}
`;
    const id = await client.deployAndRun(yaml);
    const done = await client.waitFor(id, undefined, 120_000);
    expect(done.state.current, JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.attempts?.at(-1)?.error ?? t.error]))).toBe('SUCCESS');
    const created = taskRun(done, 'create').outputs;
    expect(created).toMatchObject({ name, state: 'VIR_DOMAIN_SHUTOFF', created: true });
    expect(taskRun(done, 'start').outputs).toMatchObject({ uuid: created.uuid, state: 'VIR_DOMAIN_RUNNING', started: true });
    expect(taskRun(done, 'get').outputs).toMatchObject({ name, uuid: created.uuid, state: 'VIR_DOMAIN_RUNNING', vcpus: 1, maxMemoryKiB: 65536 });
    expect(taskRun(done, 'stop').outputs).toMatchObject({ state: 'VIR_DOMAIN_SHUTOFF', stopped: true });
    expect(taskRun(done, 'delete').outputs).toEqual({ name, deleted: true, deletedVolumes: [] });
    expect(virsh('list', '--all', '--name')).not.toContain(name);
  });

  const stopFlow = (flowId: string, name: string) => `
id: ${flowId}
namespace: test.kvm
tasks:
  - id: create
    type: io.kestra.plugin.kvm.CreateVm
    uri: qemu:///system
    name: ${name}
    startAfterCreate: true
    waitForRunning: true
    workerGroup:
      key: ${GROUP}
    xmlDefinition: |
${indent(tinyDomainXml(name), 6)}
  - id: stop
    type: io.kestra.plugin.kvm.StopVm
    uri: qemu:///system
    name: ${name}
    waitForStopped: true
    timeToWait: PT90S
    timeout: PT2M
    workerGroup:
      key: ${GROUP}
`;

  it('a kill during the shutdown wait ends the execution KILLED and leaves the domain running', async () => {
    const name = `${prefix}killed`;
    const id = await client.deployAndRun(stopFlow('kvm-stop-killed', name));
    // The guest has no OS and ignores the ACPI request: the wait goes on until killed.
    await until(async () => (await client.logs(id)).body.some((l: any) => l.taskId === 'stop' && String(l.message).includes('shutdown requested')), 'the shutdown request', 600);
    expect((await client.kill(id)).status).toBe(202);
    const done = await client.waitFor(id, ['KILLED'], 30_000);
    expect(taskRun(done, 'stop').state.current).toBe('KILLED');
    await until(
      async () => (await client.logs(id)).body.some((l: any) => l.taskId === 'stop' && String(l.message).includes('libvirt carries on')),
      "the killed attempt's log line",
      100,
    );
    expect(state(name)).toBe('running');
  });

  it('a worker SIGKILLed during the wait: the next attempt resumes it without asking libvirt again', async () => {
    const name = `${prefix}restart`;
    const id = await client.deployAndRun(stopFlow('kvm-stop-restart', name));
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const temporal = new Client({ connection });
      await until(
        async () => {
          const pending = (await temporal.workflow.getHandle(id).describe()).raw.pendingActivities ?? [];
          for (const a of pending) {
            const payload = a.heartbeatDetails?.payloads?.[0];
            if (!payload) continue;
            const [decoded] = await codec.decode([payload as never]);
            if (Buffer.from(decoded.data!).toString().includes('"op":"shutdown"')) return true;
          }
          return false;
        },
        'heartbeat details in Temporal',
        600,
      );
    } finally {
      await connection.close();
    }
    const exited = new Promise((r) => worker.once('exit', r));
    stack.signalGroup(worker, 'SIGKILL');
    await exited;
    // While no worker runs, the guest goes down (as a slow guest finally would).
    virsh('destroy', name);
    worker = await groupWorker();

    const done = await client.waitFor(id, undefined, 120_000);
    expect(done.state.current, JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current]))).toBe('SUCCESS');
    const stop = taskRun(done, 'stop');
    expect(stop.attempts.length).toBeGreaterThan(1);
    // An attempt that looked afresh would find the domain shut off and answer stopped: false; the
    // resumed one finished the wait for the shutdown the first attempt asked for.
    expect(stop.outputs).toMatchObject({ state: 'VIR_DOMAIN_SHUTOFF', stopped: true });
    const logs: string[] = (await client.logs(id)).body.filter((l: any) => l.taskId === 'stop').map((l: any): string => String(l.message));
    expect(logs.some((m) => m.includes('not asking again'))).toBe(true);
    // The SIGKILLed attempt may not have written its last lines; never more than one request.
    expect(logs.filter((m) => m.includes('shutdown requested')).length).toBeLessThanOrEqual(1);
  });
});
