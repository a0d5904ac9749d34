// MAAS waits inside real Temporal activities: a kill stops the wait (the attempt is KILLED, MAAS is
// not asked again), and a worker SIGKILLed mid-wait is replaced by an attempt that resumes from the
// heartbeat details instead of commissioning the machine a second time.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { api, taskRun } from '@baton/testing';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const client = api();
const codec = new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined));
const started: import('node:child_process').ChildProcess[] = [];

async function maas(method: string, route: string, body?: unknown) {
  const res = await fetch(`${inject('maasUrl')}${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json().catch(() => undefined);
}
/** POSTs to one machine (commission, deploy, ...) that reached the simulator. */
async function machinePosts(): Promise<number> {
  const log = (await maas('GET', '/_sim/requests')) as Array<{ method: string; path: string }>;
  return log.filter((r) => r.method === 'POST' && /\/machines\/[a-z]+\/$/.test(r.path)).length;
}
async function until(check: () => Promise<boolean>, what: string, tries = 300) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function flow(id: string, workerGroup?: string) {
  return `
id: ${id}
namespace: test.metal
tasks:
  - id: enlist
    type: maas.machines.Enlist
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    macAddress: "52:54:00:99:00:01"
    hostname: wait-node
  - id: commission
    type: io.kestra.plugin.ee.canonical.maas.CommissionMachine
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    systemId: "{{ outputs.enlist.systemId }}"
    waitForCompletion: true
    pollInterval: PT0.3S
${workerGroup ? `    workerGroup:\n      key: ${workerGroup}\n` : ''}`;
}

beforeEach(async () => {
  await maas('POST', '/_sim/reset');
});
afterAll(async () => {
  for (const child of started) await stack.stopProcess(child, { signal: 'SIGKILL' });
  await maas('POST', '/_sim/reset');
});

describe('MAAS waits in Temporal activities', () => {
  it('a kill during the commissioning wait ends the execution KILLED without asking MAAS again', async () => {
    await maas('PUT', '/_sim/timings', { commissioningMs: 600_000 });
    const id = await client.deployAndRun(flow('commission-killed'));
    await until(async () => (await machinePosts()) === 1, 'the commission call');
    const killed = await client.kill(id);
    expect(killed.status).toBe(202);
    const done = await client.waitFor(id, ['KILLED'], 30_000);
    expect(taskRun(done, 'commission').state.current).toBe('KILLED');
    // The workflow records KILLED when the kill arrives; the activity writes its last log as it stops.
    const commissionLogs = async () => (await client.logs(id)).body.filter((l: any) => l.taskId === 'commission').map((l: any) => l.message as string);
    await until(async () => (await commissionLogs()).some((m: string) => m.includes('MAAS carries on')), "the killed attempt's log line", 100).catch(async (error) => {
      throw new Error(`${(error as Error).message}; logs: ${JSON.stringify(await commissionLogs())}`);
    });
    expect(await machinePosts()).toBe(1);
    // MAAS keeps commissioning: the machine is still Commissioning, as a person would find it.
    const machine = (await maas('GET', '/_sim/state')).machines.find((m: any) => m.hostname === 'wait-node');
    expect(machine.status_name).toBe('Commissioning');
  });

  it('a worker SIGKILLed during the wait: the next attempt resumes from the heartbeat and does not commission again', async () => {
    const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
    const groupWorker = () => {
      // Serves only the `metal-crashy` group, so the shared test worker cannot pick the task up.
      const child = stack.startWorker({ env: { ...env, BATON_WORKER_GROUPS: 'metal-crashy', BATON_WORKER_DEFAULT_QUEUE: 'false' }, quiet: true, name: 'metal-crashy-worker' });
      started.push(child);
      return child;
    };
    let worker = groupWorker();
    await stack.waitForOutput(worker, /polling/, 'metal crashy worker');
    await maas('PUT', '/_sim/timings', { commissioningMs: 8_000 });
    const id = await client.deployAndRun(flow('commission-survives-restart', 'metal-crashy'));
    await until(async () => (await machinePosts()) === 1, 'the commission call');

    // Kill only once Temporal holds the wait's heartbeat details (what the next attempt resumes from).
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const temporal = new Client({ connection });
      await until(async () => {
        const d = await temporal.workflow.getHandle(id).describe();
        const pending = d.raw.pendingActivities ?? [];
        for (const a of pending) {
          const payload = a.heartbeatDetails?.payloads?.[0];
          if (!payload) continue;
          // Payloads are encrypted by Baton's codec: decode as the worker does.
          const [decoded] = await codec.decode([payload as never]);
          if (Buffer.from(decoded.data!).toString().includes('"op":"commission"')) return true;
        }
        return false;
      }, 'heartbeat details in Temporal');
    } finally {
      await connection.close();
    }
    const exited = new Promise((r) => worker.once('exit', r));
    stack.signalGroup(worker, 'SIGKILL');
    await exited;
    worker = groupWorker();
    await stack.waitForOutput(worker, /polling/, 'restarted metal crashy worker');

    const done = await client.waitFor(id, undefined, 90_000);
    expect(done.state.current, JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.error]))).toBe('SUCCESS');
    const commission = taskRun(done, 'commission');
    expect(commission.attempts.length).toBeGreaterThan(1);
    expect(commission.outputs).toMatchObject({ status: 'Ready', commissioned: true });
    expect(await machinePosts()).toBe(1); // commissioned once, across both attempts
    const logs = (await client.logs(id)).body.filter((l: any) => l.taskId === 'commission').map((l: any) => l.message);
    expect(logs.some((m: string) => m.includes('resuming the wait for commissioning'))).toBe(true);
  });
});
