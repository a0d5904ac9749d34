// VmEventTrigger on the real stack against the real libvirtd (qemu:///system, 64 MiB diskless
// domains): the poller workflow runs its polls on a worker of a KVM group, as on a hypervisor.
// One execution per transition; a transition made while that worker was down fires once when it is
// back (and one made while the poller workflow itself was gone); debounce; flapping; and the
// self-healing VM blueprint end to end. The latency from a state change to the execution's start
// is printed (no timed assertion: the machine is shared).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '@baton/testing';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';
import { pollingWorkflowId } from '../src/workflow/trigger-contracts';
import { cleanup, ensureLibvirtd, tinyDomainXml, uniquePrefix, virsh } from '../../plugins/kvm/test/libvirtd';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const client = api();
const prefix = uniquePrefix();
const GROUP = 'kvm-events-test';
const NS = 'test.vmevents';
const started: import('node:child_process').ChildProcess[] = [];
let db: pg.Client;
const latencies: number[] = [];

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function groupWorker() {
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  const child = stack.startWorker({ env: { ...env, BATON_WORKER_GROUPS: GROUP, BATON_WORKER_DEFAULT_QUEUE: 'false' }, quiet: true, name: 'kvm-events-worker' });
  started.push(child);
  await stack.waitForOutput(child, /polling/, 'kvm events worker');
  return child;
}

function defineDomain(name: string, start = true) {
  const file = path.join(os.tmpdir(), `${name}.xml`);
  fs.writeFileSync(file, tinyDomainXml(name));
  virsh('define', file);
  if (start) virsh('start', name);
  return virsh('domuuid', name).trim();
}

const domstate = (name: string) => virsh('domstate', name).trim();

interface Row {
  id: string;
  state: string;
  trigger: { variables: Record<string, any> };
  created_at: Date;
  started_at: Date | null;
}
async function executions(flowId: string): Promise<Row[]> {
  const { rows } = await db.query('SELECT id, state, trigger, created_at, started_at FROM executions WHERE namespace = $1 AND flow_id = $2 ORDER BY created_at', [NS, flowId]);
  return rows;
}
async function triggerRow(flowId: string, triggerId = 'vm') {
  const { rows } = await db.query('SELECT * FROM flow_triggers WHERE namespace = $1 AND flow_id = $2 AND trigger_id = $3', [NS, flowId, triggerId]);
  return rows[0] as { last_evaluated_at: Date | null; last_reason: string | null; state: any; last_execution_id: string | null } | undefined;
}
/** Waits for a poll that started after now (so it saw whatever was changed before this call). */
async function nextPoll(flowId: string) {
  const after = Date.now();
  return until(async () => {
    const row = await triggerRow(flowId);
    return row?.last_evaluated_at && row.last_evaluated_at.getTime() > after ? row : undefined;
  }, `a poll of ${flowId}`);
}
const memory = (row: any, uuid: string) => row?.state?.checkpoint?.domains?.[uuid];

function flow(flowId: string, trigger: string) {
  return `
id: ${flowId}
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.event }} {{ trigger.name }} {{ trigger.previousState }} -> {{ trigger.state }}"
triggers:
  - id: vm
    type: io.kestra.plugin.kvm.VmEventTrigger
    uri: qemu:///system
    interval: PT1S
    workerGroup:
      key: ${GROUP}
${trigger}`;
}

async function deploy(yaml: string) {
  const res = await client.deploy(yaml);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

/** Records how long after `changedAt` the execution started (created, then started by the worker). */
function latency(changedAt: number, row: Row, setting = 'poll interval 1 s') {
  const ms = (row.started_at ?? row.created_at).getTime() - changedAt;
  latencies.push(ms);
  console.log(
    `[vm-event latency] ${row.trigger.variables.name} ${row.trigger.variables.previousState} -> ${row.trigger.variables.state}: execution started ${ms} ms after the change (${setting})`,
  );
}

let worker: import('node:child_process').ChildProcess;
beforeAll(async () => {
  await ensureLibvirtd();
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  worker = await groupWorker();
}, 180_000);
afterAll(async () => {
  for (const flowId of ['vm-transitions', 'vm-events', 'vm-debounce', 'vm-flapping', 'kvm-self-healing-vm']) await client.call('DELETE', `/api/v1/main/flows/${NS}/${flowId}`);
  for (const child of started) await stack.stopProcess(child, { signal: 'SIGKILL' });
  cleanup(prefix);
  await db?.end();
  if (latencies.length)
    console.log(
      `[vm-event latency] ${latencies.length} transitions: min ${Math.min(...latencies)} ms, max ${Math.max(...latencies)} ms, median ${[...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)]} ms`,
    );
}, 120_000);

describe('VmEventTrigger against libvirtd', () => {
  it('fires once per transition, never on a poll without change, and catches what changed while its worker or workflow was down', async () => {
    const name = `${prefix}trans`;
    const uuid = defineDomain(name);
    await deploy(flow('vm-transitions', `    name: ${name}\n    debounce: PT2S\n    flapThreshold: 0\n`));
    // The first poll records the domain as running and fires nothing.
    // Generous: under load the web's first call to Temporal can fail, and the worker's reconcile
    // (every minute) then starts the poller.
    const first = await until(
      async () => {
        const row = await triggerRow('vm-transitions');
        return memory(row, uuid) ? row : undefined;
      },
      'the first poll',
      180_000,
    );
    expect(memory(first, uuid).state).toBe('VIR_DOMAIN_RUNNING');
    expect(await executions('vm-transitions')).toEqual([]);

    let changedAt = Date.now();
    virsh('destroy', name);
    const [off] = await until(async () => {
      const rows = await executions('vm-transitions');
      return rows.length ? rows : undefined;
    }, 'the execution of running → shut off');
    latency(changedAt, off!, 'poll interval 1 s, debounce 2 s');
    expect(off!.trigger.variables).toMatchObject({ event: 'transition', name, uuid, previousState: 'VIR_DOMAIN_RUNNING', state: 'VIR_DOMAIN_SHUTOFF' });

    changedAt = Date.now();
    virsh('start', name);
    const on = await until(async () => {
      const rows = await executions('vm-transitions');
      return rows.length >= 2 ? rows[1] : undefined;
    }, 'the execution of shut off → running');
    latency(changedAt, on!, 'poll interval 1 s, debounce 2 s');
    expect(on!.trigger.variables).toMatchObject({ previousState: 'VIR_DOMAIN_SHUTOFF', state: 'VIR_DOMAIN_RUNNING' });
    // Polls without a change start nothing.
    await nextPoll('vm-transitions');
    await nextPoll('vm-transitions');
    expect(await executions('vm-transitions')).toHaveLength(2);

    // The polling worker goes away for real; the domain changes meanwhile; the worker comes back.
    await stack.stopProcess(worker, { signal: 'SIGKILL' });
    virsh('destroy', name);
    const downSince = Date.now();
    worker = await groupWorker();
    const caught = await until(async () => {
      const rows = await executions('vm-transitions');
      return rows.length >= 3 ? rows[2] : undefined;
    }, 'the transition made while the worker was down');
    expect(caught!.trigger.variables).toMatchObject({ previousState: 'VIR_DOMAIN_RUNNING', state: 'VIR_DOMAIN_SHUTOFF' });
    console.log(
      `[vm-event latency] transition while the polling worker was down: execution started ${(caught!.started_at ?? caught!.created_at).getTime() - downSince} ms after the change (includes the worker restart)`,
    );

    // The poller workflow itself is terminated; the domain changes; the flow is saved again (as
    // any save, or a worker start, does) and the new poller resumes from the stored checkpoint.
    const temporal = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
      dataConverter: { payloadCodecs: [new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined))] },
    });
    await temporal.workflow.getHandle(pollingWorkflowId({ tenant: 'main', namespace: NS, flowId: 'vm-transitions', triggerId: 'vm' })).terminate('test: poller down');
    virsh('start', name);
    await deploy(flow('vm-transitions', `    name: ${name}\n    debounce: PT2S\n    flapThreshold: 0\n    description: saved again\n`));
    const resumed = await until(async () => {
      const rows = await executions('vm-transitions');
      return rows.length >= 4 ? rows[3] : undefined;
    }, 'the transition made while the poller workflow was gone');
    expect(resumed!.trigger.variables).toMatchObject({ previousState: 'VIR_DOMAIN_SHUTOFF', state: 'VIR_DOMAIN_RUNNING' });
    await nextPoll('vm-transitions');
    await nextPoll('vm-transitions');
    const all = await executions('vm-transitions');
    expect(all.map((r) => r.trigger.variables.state)).toEqual(['VIR_DOMAIN_SHUTOFF', 'VIR_DOMAIN_RUNNING', 'VIR_DOMAIN_SHUTOFF', 'VIR_DOMAIN_RUNNING']);
    expect(new Set(all.map((r) => r.id)).size).toBe(4);
    await temporal.connection.close();

    // The Triggers page shows the last poll, the last event and the interval.
    const listed = await client.call('GET', `/api/v1/main/triggers?namespace=${NS}&flowId=vm-transitions`);
    expect(listed.status).toBe(200);
    expect(listed.body.results[0]).toMatchObject({
      kind: 'polling',
      interval: 'PT1S',
      workerGroup: GROUP,
      lastEvent: `${name} VIR_DOMAIN_SHUTOFF → VIR_DOMAIN_RUNNING`,
      lastExecutionId: all[3]!.id,
    });
    expect(listed.body.results[0].lastEvaluatedAt).toBeTruthy();
  }, 900_000);

  it('events: a destroy and a start within one interval are two executions, fired by libvirt lifecycle events; latency events vs polling', async () => {
    const name = `${prefix}evt`;
    const uuid = defineDomain(name);
    // interval PT30S: polling alone would see neither change before the test ends, let alone both.
    await deploy(
      flow(
        'vm-events',
        `    name: ${name}
    flapThreshold: 0
`,
      ).replace('interval: PT1S', 'interval: PT30S'),
    );
    await until(async () => memory(await triggerRow('vm-events'), uuid), 'the first poll', 180_000);
    const changedAt = Date.now();
    virsh('destroy', name);
    const startedAt = Date.now();
    virsh('start', name);
    const rows = await until(async () => {
      const list = await executions('vm-events');
      return list.length >= 2 ? list : undefined;
    }, 'the two executions of the destroy and the start');
    expect(rows[0]!.trigger.variables).toMatchObject({
      name,
      uuid,
      previousState: 'VIR_DOMAIN_RUNNING',
      state: 'VIR_DOMAIN_SHUTOFF',
      source: 'event',
      libvirtEvent: 'STOPPED',
      libvirtDetail: 'DESTROYED',
    });
    expect(rows[1]!.trigger.variables).toMatchObject({ previousState: 'VIR_DOMAIN_SHUTOFF', state: 'VIR_DOMAIN_RUNNING' });
    latency(changedAt, rows[0]!, 'events, interval 30 s');
    latency(startedAt, rows[1]!, `events, interval 30 s (seen by ${rows[1]!.trigger.variables.source})`);
    expect((await executions('vm-events')).length).toBe(2);

    // The same trigger polling only (events: false, interval 1 s): the latency to compare with.
    await deploy(
      flow(
        'vm-events',
        `    name: ${name}
    flapThreshold: 0
    events: false
`,
      ),
    );
    await nextPoll('vm-events');
    const polledAt = Date.now();
    virsh('destroy', name);
    const polled = await until(async () => {
      const list = await executions('vm-events');
      return list.length >= 3 ? list[2] : undefined;
    }, 'the execution of the polled destroy');
    expect(polled!.trigger.variables).toMatchObject({ previousState: 'VIR_DOMAIN_RUNNING', state: 'VIR_DOMAIN_SHUTOFF', source: 'poll' });
    expect(polled!.trigger.variables.libvirtEvent).toBeUndefined();
    latency(polledAt, polled!, 'polling, interval 1 s');
  }, 600_000);

  it('debounce: a state that flips back within it fires nothing; one that holds fires once', async () => {
    const name = `${prefix}deb`;
    const uuid = defineDomain(name);
    await deploy(flow('vm-debounce', `    name: ${name}\n    debounce: PT4S\n    flapThreshold: 0\n`));
    await until(async () => memory(await triggerRow('vm-debounce'), uuid), 'the first poll', 180_000);
    virsh('suspend', name);
    await until(async () => memory(await triggerRow('vm-debounce'), uuid)?.pending?.state === 'VIR_DOMAIN_PAUSED', 'a poll that sees the pause');
    virsh('resume', name);
    const row = await until(async () => {
      const r = await triggerRow('vm-debounce');
      return memory(r, uuid)?.pending === undefined && r?.last_reason?.includes('flipped back') ? r : undefined;
    }, 'a poll that sees it running again');
    expect(row.last_reason).toContain('VIR_DOMAIN_PAUSED flipped back to VIR_DOMAIN_RUNNING within the debounce');
    expect(await executions('vm-debounce')).toEqual([]);

    const changedAt = Date.now();
    virsh('suspend', name);
    const [held] = await until(async () => {
      const rows = await executions('vm-debounce');
      return rows.length ? rows : undefined;
    }, 'the execution after the debounce');
    console.log(`[vm-event latency] with debounce PT4S: execution started ${(held!.started_at ?? held!.created_at).getTime() - changedAt} ms after the change`);
    expect(held!.trigger.variables).toMatchObject({ previousState: 'VIR_DOMAIN_RUNNING', state: 'VIR_DOMAIN_PAUSED' });
    await nextPoll('vm-debounce');
    await nextPoll('vm-debounce');
    expect(await executions('vm-debounce')).toHaveLength(1);
    virsh('resume', name);
  }, 600_000);

  it('flapping: N changes within the window give one flapping execution, not a storm', async () => {
    const name = `${prefix}flap`;
    const uuid = defineDomain(name);
    await deploy(flow('vm-flapping', `    name: ${name}\n    states: [shutoff, crashed]\n    flapThreshold: 3\n    flapWindow: PT10M\n`));
    await until(async () => memory(await triggerRow('vm-flapping'), uuid), 'the first poll', 180_000);
    // Six changes, each seen by a poll before the next.
    for (const [command, state] of [
      ['suspend', 'VIR_DOMAIN_PAUSED'],
      ['resume', 'VIR_DOMAIN_RUNNING'],
      ['suspend', 'VIR_DOMAIN_PAUSED'],
      ['resume', 'VIR_DOMAIN_RUNNING'],
      ['destroy', 'VIR_DOMAIN_SHUTOFF'],
      ['start', 'VIR_DOMAIN_RUNNING'],
    ]) {
      virsh(command!, name);
      await until(async () => memory(await triggerRow('vm-flapping'), uuid)?.seen === state, `a poll that sees ${state}`);
    }
    const rows = await executions('vm-flapping');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.trigger.variables).toMatchObject({ event: 'flapping', name, transitions: 3, state: 'VIR_DOMAIN_PAUSED' });
    expect((await triggerRow('vm-flapping'))!.last_reason).toContain('flapping, transitions not fired');
  }, 600_000);
});

describe('blueprint kvm-self-healing-vm on libvirtd', () => {
  it('restarts a VM that was shut off and notifies; when it keeps going down it stops and asks a person', async () => {
    const name = `${prefix}heal`;
    defineDomain(name);
    const sink = inject('notificationSinkUrl');
    const hook = `/vm-heal-${Date.now()}`;
    for (const [secret, value] of [
      ['KVM_URI', 'qemu:///system'],
      ['SLACK_WEBHOOK_URL', `${sink}${hook}`],
    ]) {
      const res = await client.call('PUT', `/api/v1/main/secrets/${NS}/${secret}`, { value });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    // The blueprint as shipped, with the test's VM, group, a fast interval, no debounce and a low flap threshold.
    const source = fs
      .readFileSync(path.resolve(import.meta.dirname, '../../../blueprints/kvm-self-healing-vm.yaml'), 'utf8')
      .replace('namespace: infra.kvm', `namespace: ${NS}`)
      .replace('^(web-1|web-2|db-1)$', `^${name}$`)
      .replaceAll('key: kvm-hosts', `key: ${GROUP}`)
      .replace('interval: PT15S', 'interval: PT1S')
      .replace('debounce: PT30S', 'debounce: PT0S')
      .replace('flapThreshold: 4', 'flapThreshold: 3');
    await deploy(source);
    await until(async () => (await triggerRow('kvm-self-healing-vm', 'vm_down'))?.state?.checkpoint, 'the first poll', 180_000);

    const changedAt = Date.now();
    virsh('destroy', name);
    const [healed] = await until(async () => {
      const rows = await executions('kvm-self-healing-vm');
      return rows.length ? rows : undefined;
    }, 'the self-healing execution');
    latency(changedAt, healed!);
    const done = await client.waitFor(healed!.id, undefined, 120_000);
    expect(done.state.current, JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.attempts?.at(-1)?.error]))).toBe('SUCCESS');
    expect(domstate(name)).toBe('running');
    const received = async () => ((await (await fetch(`${sink}/received`)).json()) as { webhooks: { path: string; body: any }[] }).webhooks.filter((w) => w.path === hook);
    const [message] = await until(async () => ((await received()).length ? received() : undefined), 'the notification');
    expect(message!.body.text).toContain(`VM ${name} went VIR_DOMAIN_RUNNING → VIR_DOMAIN_SHUTOFF`);
    expect(message!.body.text).toContain('restarted, now VIR_DOMAIN_RUNNING');

    // Down again: with the restart that makes three changes in the window → one flapping event,
    // which pauses for a person and does not restart the VM.
    await until(
      async () => memory(await triggerRow('kvm-self-healing-vm', 'vm_down'), virsh('domuuid', name).trim())?.seen === 'VIR_DOMAIN_RUNNING',
      'a poll that sees it running again',
    );
    virsh('destroy', name);
    const flapping = await until(async () => {
      const rows = await executions('kvm-self-healing-vm');
      return rows.length >= 2 ? rows[1] : undefined;
    }, 'the flapping execution');
    expect(flapping!.trigger.variables).toMatchObject({ event: 'flapping', name });
    const paused = await client.waitFor(flapping!.id, ['PAUSED'], 120_000);
    expect(paused.taskRunList.map((t: any) => t.taskId)).not.toContain('restart');
    expect(domstate(name)).toBe('shut off');
    const messages = await until(async () => {
      const list = await received();
      return list.length >= 2 ? list : undefined;
    }, 'the flapping alert');
    expect(messages[1]!.body.text).toContain(`VM ${name} is flapping`);
    expect(messages[1]!.body.text).toContain(flapping!.id);
  }, 600_000);
});
