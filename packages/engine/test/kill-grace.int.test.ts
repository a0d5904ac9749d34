// The kill grace period: a kill waits for the running task to stop (its activity acknowledges the
// cancellation) before the execution is recorded KILLED, and waits no longer than the grace
// period for a task whose worker cannot answer.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, startTestServer, taskRun } from '@baton/testing';
import { workflowBundle } from '../../../apps/worker/src/bundle';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';

const client = api();
let server: Awaited<ReturnType<typeof startTestServer>>;
const workers: import('node:child_process').ChildProcess[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const worker of workers) {
    stack.signalGroup(worker, 'SIGCONT');
    await stack.stopProcess(worker, { signal: 'SIGKILL' });
  }
  await server?.close();
});

/** The Temporal history's event types, in order (named by their attributes: activityTaskCanceled...). */
/** The history's event types once the workflow has closed (waits up to 30 s for its last workflow task). */
async function closedHistoryEvents(workflowId: string): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const events = await historyEvents(workflowId);
    if (events.at(-1) === 'workflowExecutionCompleted' || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function historyEvents(workflowId: string): Promise<string[]> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).map((e) => {
      const attributes = Object.entries(e).find(([key, value]) => key.endsWith('EventAttributes') && value);
      return attributes ? attributes[0].replace(/EventAttributes$/, '') : `unknown ${String(e.eventType)}`;
    });
  } finally {
    await connection.close();
  }
}

/** Replays a history against the current workflow code: throws if it would take another path. */
async function replay(history: unknown, workflowId: string) {
  const bundle = await workflowBundle(path.join(os.tmpdir(), 'baton-replay-cache'));
  // Histories are encrypted by Baton's codec (the fixture from before it passes through as it is).
  const dataConverter = { payloadCodecs: [new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined))] };
  await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter }, history, workflowId);
}

/**
 * Reads a history saved as JSON (`temporal workflow show --output json`). The SDK's own
 * historyFromJSON fails in this checkout: @temporalio/common and @temporalio/proto each have a copy
 * of protobufjs in node_modules ("type must be a Type"), so decode with the copy that made the types.
 */
function historyFromJsonFile(file: string): unknown {
  const require = createRequire(import.meta.url);
  const nearProto = createRequire(require.resolve('@temporalio/proto'));
  const proto = require('@temporalio/proto');
  const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root');
  const { fromJson } = nearProto('protobufjs/ext/protojson');
  const type = patchProtobufRoot(proto).lookupType('temporal.api.history.v1.History');
  return fromJson(type, JSON.parse(fs.readFileSync(file, 'utf8')), { ignoreUnknownFields: true });
}

async function fetchHistory(workflowId: string) {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    return await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
  } finally {
    await connection.close();
  }
}

/** Waits until the execution's task has an attempt recorded and its request reached the server. */
async function taskRunning(id: string, taskId: string, serverPath: string) {
  for (let i = 0; i < 200; i++) {
    const execution = (await client.execution(id)).body;
    const run = execution.taskRunList?.find((t: any) => t.taskId === taskId);
    if (run?.attempts?.length && server.calls(serverPath).length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${taskId} of ${id} never started`);
}

describe('kill grace period', () => {
  it('records KILLED only after the running task acknowledged the kill', async () => {
    const id = await client.deployAndRun(`
id: kill-waits
namespace: test.grace
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/grace-ack?delayMs=60000"
`);
    await taskRunning(id, 'call', '/grace-ack');
    expect((await client.kill(id)).status).toBe(202);
    const done = await client.waitFor(id, ['KILLED', 'SUCCESS', 'FAILED'], 30_000);
    expect(done.state.current).toBe('KILLED');

    // The workflow saw the activity's cancellation before it ended: it waited for the task.
    const events = await historyEvents(id);
    const completed = events.indexOf('workflowExecutionCompleted');
    expect(completed, events.join(' ')).toBeGreaterThan(0);
    expect(events.indexOf('activityTaskCanceled'), events.join(' ')).toBeGreaterThan(events.indexOf('activityTaskCancelRequested'));
    expect(events.indexOf('activityTaskCanceled'), events.join(' ')).toBeLessThan(completed);
    // ...and the attempt is the one the task recorded when it stopped, with what stopped it.
    const call = taskRun(done, 'call');
    expect(call.state.current).toBe('KILLED');
    expect(call.attempts).toHaveLength(1);
    expect(call.attempts[0].state.current).toBe('KILLED');
    expect(call.attempts[0].error).toMatch(/cancel/i);
    expect(Date.parse(done.state.endDate ?? done.state.histories.at(-1).date)).toBeGreaterThanOrEqual(Date.parse(call.attempts[0].state.endDate));
    await replay(await fetchHistory(id), id);
  });

  it('stops waiting after the grace period when the task cannot answer (its worker is frozen)', async () => {
    // A worker of its own for the `frozen` group, so that freezing it touches no other test.
    const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
    const worker = stack.startWorker({ env: { ...env, BATON_WORKER_GROUPS: 'frozen', BATON_WORKER_DEFAULT_QUEUE: 'false' }, quiet: true, name: 'frozen-worker' });
    workers.push(worker);
    await stack.waitForOutput(worker, /polling/, 'frozen worker');
    const id = await client.deployAndRun(`
id: kill-grace-expires
namespace: test.grace
tasks:
  - id: stuck
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/grace-frozen?delayMs=120000"
    workerGroup:
      key: frozen
    timeout: PT5M
`);
    await taskRunning(id, 'stuck', '/grace-frozen');
    // SIGSTOP: the worker holds the activity but can neither heartbeat nor acknowledge a kill.
    stack.signalGroup(worker, 'SIGSTOP');
    expect((await client.kill(id)).status).toBe(202);
    const done = await client.waitFor(id, ['KILLED', 'SUCCESS', 'FAILED'], 60_000);
    expect(done.state.current).toBe('KILLED');
    const stuck = taskRun(done, 'stuck');
    expect(stuck.state.current).toBe('KILLED');
    // The operator learns that the task may still be running somewhere.
    expect(stuck.error).toMatch(/did not stop within the 10 s grace period/);
    // The row turns KILLED in the workflow's last projection, a moment before the workflow itself
    // completes (one more workflow task): its history is read once it has closed.
    const events = await closedHistoryEvents(id);
    // The grace timer ran out; the activity never acknowledged.
    expect(events, events.join(' ')).toContain('timerFired');
    expect(events).not.toContain('activityTaskCanceled');
    expect(events.at(-1)).toBe('workflowExecutionCompleted');
    await replay(await fetchHistory(id), id);
  });

  it('replays the history of an execution killed before the grace period applied (no patch marker)', async () => {
    // Recorded with the workflow code before the fix (`temporal workflow show --output json`):
    // there the kill ended the wait at once. Without the patch check the current code would start
    // the grace timer instead of completing, and this replay would fail with a nondeterminism error.
    const file = path.join(import.meta.dirname, 'fixtures/killed-before-grace.history.json');
    const history = JSON.parse(fs.readFileSync(file, 'utf8'));
    const types = history.events.map((e: { eventType: string }) => e.eventType);
    expect(types).toContain('EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED');
    expect(types).not.toContain('EVENT_TYPE_ACTIVITY_TASK_CANCELED');
    await replay(historyFromJsonFile(file), 'killed-before-grace');
  });
});
