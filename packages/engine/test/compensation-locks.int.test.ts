// Declared compensation and resource locks through the real stack (docs/compensation.md,
// docs/locks.md): the worker's lock activities against PostgreSQL, the API's lockWaits, kills
// during compensation and of a lock's holder, and a lock holder whose worker is SIGKILLed.
import { describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { api, taskRun } from '@baton/testing';
import { killStackWorkers, startReplacementWorker } from '@baton/testing/stack-workers';

const client = api();
const db = getDb(inject('databaseUrl'));
const kvUrl = (ns: string, key: string) => `/api/v1/main/namespaces/${ns}/kv/${key}`;

/** Polls the execution until `check` holds (no timing assertion: only an upper bound). */
async function until<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not happen in ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 1500)}`);
}

const view = async (id: string) => (await client.execution(id)).body;
const runsOf = (execution: any, taskId: string) => execution.taskRunList.filter((t: any) => t.taskId === taskId);

async function deploy(yaml: string) {
  const deployed = await client.deploy(yaml);
  expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
}

async function start(namespace: string, flowId: string, inputs: Record<string, unknown> = {}) {
  const started = await client.run(namespace, flowId, inputs);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body.id as string;
}

describe('compensation', () => {
  it('undoes a KV Set when a later task fails: after errors, as task runs under _compensation; the execution stays FAILED', async () => {
    const id = await client.deployAndRun(`
id: undo-kv
namespace: test.compensation
tasks:
  - id: put
    type: io.kestra.plugin.core.kv.Set
    key: "made-{{ execution.id }}"
    value: "{{ execution.id }}"
    compensate:
      id: remove
      type: io.kestra.plugin.core.kv.Delete
      key: "made-{{ execution.id }}"
  - id: note
    type: io.kestra.plugin.core.debug.Return
    format: "key {{ outputs.put }}"
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the switch refused
errors:
  - id: on-error
    type: io.kestra.plugin.core.log.Log
    message: "failed"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(done.error).toContain('the switch refused');
    expect(done.taskRunList.map((t: any) => t.taskId)).toEqual(expect.arrayContaining(['put', 'note', 'broken', 'on-error', '_compensation', 'remove']));
    const holder = taskRun(done, '_compensation');
    expect(holder.state.current).toBe('SUCCESS');
    expect(holder.outputs).toEqual({ compensated: [{ taskId: 'put', by: 'remove', state: 'SUCCESS' }] });
    const remove = taskRun(done, 'remove');
    expect(remove.state.current).toBe('SUCCESS');
    expect(remove.parentTaskRunId).toBe(holder.id);
    // errors ran before the compensation (task-run sequence), the key is gone
    const seq = async (taskId: string) => (await db.taskRun.findFirstOrThrow({ where: { executionId: id, taskId } })).seq;
    expect(await seq('on-error')).toBeLessThan(await seq('_compensation'));
    expect((await client.call('GET', kvUrl('test.compensation', `made-${id}`))).status).toBe(404);
  });

  it('a kill during compensation ends the running undo and _compensation KILLED', async () => {
    const id = await client.deployAndRun(`
id: undo-killed
namespace: test.compensation
tasks:
  - id: step
    type: io.kestra.plugin.core.log.Log
    message: done
    compensate:
      - id: undo-wait
        type: io.kestra.plugin.core.flow.Pause
      - id: undo-after
        type: io.kestra.plugin.core.log.Log
        message: never
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
`);
    await client.waitFor(id, ['PAUSED']);
    const paused = await view(id);
    expect(taskRun(paused, '_compensation').state.current).toBe('RUNNING');
    expect((await client.kill(id)).status).toBe(202);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('KILLED');
    expect(taskRun(done, 'undo-wait').state.current).toBe('KILLED');
    expect(taskRun(done, '_compensation').state.current).toBe('KILLED');
    expect(runsOf(done, 'undo-after')).toEqual([]);
  });

  it('mode ASK pauses with the list; resumed with compensate=false nothing is undone', async () => {
    const id = await client.deployAndRun(`
id: undo-ask
namespace: test.compensation
compensation:
  mode: ASK
tasks:
  - id: step
    type: io.kestra.plugin.core.log.Log
    message: done
    compensate:
      id: undo-step
      type: io.kestra.plugin.core.log.Log
      message: undone
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
`);
    await client.waitFor(id, ['PAUSED']);
    const logs = (await client.logs(id)).body.map((l: any) => l.message);
    expect(logs).toContain('the execution failed: undoing step (most recent first)');
    expect((await client.resume(id, { compensate: false })).status).toBeLessThan(300);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, '_compensation').outputs).toEqual({ compensated: [], declined: ['step'] });
    expect(runsOf(done, 'undo-step')).toEqual([]);
  });
});

describe('resource locks', () => {
  const holderFlow = (id: string, extra = '') => `
id: ${id}
namespace: test.locks
inputs:
  - id: vm
    type: STRING
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
    locks: ["vm:{{ inputs.vm }}"]
${extra}`;
  const waiterFlow = (id: string, extra = '') => `
id: ${id}
namespace: test.locks
inputs:
  - id: vm
    type: STRING
tasks:
  - id: touch
    type: io.kestra.plugin.core.log.Log
    message: "touching {{ inputs.vm }}"
    locks: ["vm:{{ inputs.vm }}"]
${extra}`;

  it('two executions race for one key: the second waits, says for whom (API and log), and runs once the first ended', async () => {
    await deploy(holderFlow('race-holder'));
    await deploy(waiterFlow('race-waiter'));
    const a = await start('test.locks', 'race-holder', { vm: 'race-1' });
    await client.waitFor(a, ['PAUSED']);
    const b = await start('test.locks', 'race-waiter', { vm: 'race-1' });
    const waiting = await until(
      'the waiter to report its wait',
      () => view(b),
      (e: any) => !!e.lockWaits?.length,
    );
    expect(waiting.lockWaits).toEqual([{ key: 'vm:race-1', heldBy: a, taskId: 'touch', since: expect.any(String) }]);
    const logs = await until(
      'the wait log line',
      async () => (await client.logs(b)).body.map((l: any) => l.message),
      (m: string[]) => m.length > 0,
    );
    expect(logs).toContain(`waiting for lock vm:race-1 held by execution ${a}`);
    expect(waiting.state.current).toBe('RUNNING');
    expect((await client.resume(a, {})).status).toBeLessThan(300);
    expect((await client.waitFor(a)).state.current).toBe('SUCCESS');
    const done = await client.waitFor(b);
    expect(done.state.current).toBe('SUCCESS');
    expect(done.lockWaits).toBeUndefined();
    expect((await client.logs(b)).body.map((l: any) => l.message)).toContain('took lock vm:race-1');
    // The row turns terminal a workflow task before the workflow gives its locks back.
    await until(
      'the lock to be given back',
      () => db.resourceLock.count({ where: { key: 'vm:race-1' } }),
      (n: number) => n === 0,
    );
  });

  it('lockTimeout: the waiter fails naming the key and the holder; a kill of the holder releases its lock', async () => {
    await deploy(holderFlow('timeout-holder'));
    await deploy(waiterFlow('timeout-waiter', '    lockTimeout: PT2S\n'));
    const a = await start('test.locks', 'timeout-holder', { vm: 'timeout-1' });
    await client.waitFor(a, ['PAUSED']);
    const b = await start('test.locks', 'timeout-waiter', { vm: 'timeout-1' });
    const failed = await client.waitFor(b);
    expect(failed.state.current).toBe('FAILED');
    expect(failed.error).toBe(`touch: lock vm:timeout-1 is still held by execution ${a} after PT2S (lockTimeout)`);
    expect(failed.lockWaits).toBeUndefined();
    // The holder is killed: its lock no longer stops anyone.
    expect((await client.kill(a)).status).toBe(202);
    expect((await client.waitFor(a)).state.current).toBe('KILLED');
    await until(
      'the killed holder to give its lock back',
      () => db.resourceLock.count({ where: { key: 'vm:timeout-1' } }),
      (n: number) => n === 0,
    );
    const c = await start('test.locks', 'timeout-waiter', { vm: 'timeout-1' });
    expect((await client.waitFor(c)).state.current).toBe('SUCCESS');
  });

  it('flow-level locks: a second execution of the flow waits for the whole first one', async () => {
    await deploy(`
id: flow-lock
namespace: test.locks
locks: ["zone:{{ inputs.zone }}"]
inputs:
  - id: zone
    type: STRING
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
`);
    const a = await start('test.locks', 'flow-lock', { zone: 'z1' });
    await client.waitFor(a, ['PAUSED']);
    const b = await start('test.locks', 'flow-lock', { zone: 'z1' });
    const waiting = await until(
      'the flow-level wait',
      () => view(b),
      (e: any) => !!e.lockWaits?.length,
    );
    expect(waiting.lockWaits).toEqual([{ key: 'zone:z1', heldBy: a, since: expect.any(String) }]);
    expect(runsOf(waiting, 'hold')).toEqual([]);
    await client.resume(a, {});
    await client.waitFor(b, ['PAUSED']);
    await client.resume(b, {});
    expect((await client.waitFor(b)).state.current).toBe('SUCCESS');
  });

  it('a holder whose worker was SIGKILLed keeps its lock while it lives on a new worker, and gives it up when it ends', async () => {
    await deploy(holderFlow('crash-holder'));
    await deploy(waiterFlow('crash-waiter'));
    const a = await start('test.locks', 'crash-holder', { vm: 'crash-1' });
    await client.waitFor(a, ['PAUSED']);
    const b = await start('test.locks', 'crash-waiter', { vm: 'crash-1' });
    await until(
      'the waiter to wait',
      () => view(b),
      (e: any) => !!e.lockWaits?.length,
    );
    // The worker running both workflows dies (every live worker of the stack); nobody restarts it.
    await killStackWorkers(inject('workerPid'), inject('dataDir'));
    // The lock still belongs to the (open) holder: the waiter must not have taken it.
    expect((await db.resourceLock.findFirst({ where: { key: 'vm:crash-1' } }))?.executionId).toBe(a);
    await startReplacementWorker(inject('dataDir'));
    expect((await view(b)).state.current).toBe('RUNNING');
    // The holder is killed on the new worker; the waiter takes the lock over and runs.
    expect((await client.kill(a)).status).toBe(202);
    expect((await client.waitFor(a, undefined, 90_000)).state.current).toBe('KILLED');
    const done = await client.waitFor(b, undefined, 90_000);
    expect(done.state.current).toBe('SUCCESS');
    await until(
      'the lock to be given back',
      () => db.resourceLock.count({ where: { key: 'vm:crash-1' } }),
      (n: number) => n === 0,
    );
  });
});
