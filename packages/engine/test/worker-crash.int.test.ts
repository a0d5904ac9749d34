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
      for (let i = 0; i < 100 && server.calls('/work').length < 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(server.calls('/work').length).toBeGreaterThan(0);
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      worker = groupWorker();
      await stack.waitForOutput(worker, /polling/, 'restarted crashy worker');
      for (const id of ids) {
        const done = await client.waitFor(id, undefined, 90_000);
        expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
        expect(taskRun(done, 'after').state.current).toBe('SUCCESS');
      }
      const attempts = ids.map(async (id) => taskRun((await client.execution(id)).body, 'slow').attempts.length);
      expect(Math.max(...(await Promise.all(attempts)))).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });
});
