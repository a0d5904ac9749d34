// A worker killed with SIGKILL in the middle of an activity loses nothing: once a worker is back,
// the attempt is retried and the execution finishes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { api, startTestServer, taskRun } from '@baton/testing';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const client = api();
const started: import('node:child_process').ChildProcess[] = [];

function groupWorker() {
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  // Serves only the `crashy` worker group, so the shared test worker cannot pick the task up.
  const child = stack.startWorker({ env: { ...env, BATON_WORKER_GROUPS: 'crashy', BATON_WORKER_DEFAULT_QUEUE: 'false' }, quiet: true, name: 'crashy-worker' });
  started.push(child);
  return child;
}

afterAll(async () => {
  for (const child of started) await stack.stopProcess(child, { signal: 'SIGKILL' });
});

describe('worker crash', () => {
  it('finishes every execution after the worker is SIGKILLed mid-activity and restarted', async () => {
    const server = await startTestServer();
    try {
      let worker = groupWorker();
      await stack.waitForOutput(worker, /polling/, 'crashy worker');
      await client.deploy(`
id: survives-crash
namespace: test.engine
tasks:
  - id: before
    type: io.kestra.plugin.core.log.Log
    message: before
  - id: slow
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/work?delayFirstMs=20000"
    workerGroup:
      key: crashy
    timeout: PT3S
    retry:
      type: constant
      interval: PT0.5S
      maxAttempt: 5
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
`);
      const ids = await Promise.all([1, 2].map(async () => (await client.run('test.engine', 'survives-crash')).body.id as string));
      // Kill once an attempt is both recorded and talking to the remote service.
      const recorded = async () => {
        const runs = await Promise.all(ids.map(async (id) => (await client.execution(id)).body.taskRunList));
        return runs.flat().some((t: any) => t.taskId === 'slow' && t.attempts.length > 0);
      };
      for (let i = 0; i < 100 && !(server.calls('/work').length > 0 && (await recorded())); i++) await new Promise((r) => setTimeout(r, 100));
      expect(server.calls('/work').length).toBeGreaterThan(0);
      // SIGKILL the whole process group: tsx runs the worker as a child process.
      const exited = new Promise((r) => worker.once('exit', r));
      stack.signalGroup(worker, 'SIGKILL');
      await exited;
      for (let i = 0; i < 50 && stack.groupAlive(worker); i++) await new Promise((r) => setTimeout(r, 100));
      expect(stack.groupAlive(worker)).toBe(false);
      worker = groupWorker();
      await stack.waitForOutput(worker, /polling/, 'restarted crashy worker');
      for (const id of ids) {
        const done = await client.waitFor(id, undefined, 90_000);
        expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
        expect(taskRun(done, 'after').state.current).toBe('SUCCESS');
      }
      const runs = await Promise.all(ids.map(async (id) => taskRun((await client.execution(id)).body, 'slow')));
      // The attempt that was running when the worker died timed out and was retried on the new one.
      expect(Math.max(...runs.map((r) => r.attempts.length)), JSON.stringify(runs.map((r) => r.attempts))).toBeGreaterThan(1);
      // No attempt is left RUNNING: one cut off mid-call never reported and ended FAILED when the
      // next one began; one whose result was recorded but never reached Temporal keeps its SUCCESS.
      for (const run of runs) {
        const states = run.attempts.map((a: any) => a.state.current);
        expect(states.at(-1), JSON.stringify(run.attempts)).toBe('SUCCESS');
        for (const state of states) expect(['FAILED', 'SUCCESS'], JSON.stringify(run.attempts)).toContain(state);
      }
    } finally {
      await server.close();
    }
  });
});
