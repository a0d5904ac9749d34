// Core tasks not covered by the tour in engine.int.test.ts, pause expiry behaviours, concurrency
// FAIL, and a replay of a real history against the current workflow code (determinism guard).
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { api, taskRun } from '@baton/testing';
import { workflowBundle } from '../../../apps/worker/src/bundle';
import { EncryptionCodec, keyringFrom } from '../src/crypto/index';

const client = api();

const run = (yaml: string, inputs: Record<string, unknown> = {}) => client.deployAndRun(yaml, inputs);

describe('core tasks', () => {
  it('Sequential groups, Sleep waits durably, Return renders, Log writes each message', async () => {
    const started = Date.now();
    const id = await run(`
id: core-mix
namespace: test.core
variables:
  greeting: hello
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.7S
      - id: say
        type: io.kestra.plugin.core.log.Log
        level: WARN
        message:
          - "{{ vars.greeting }} from {{ flow.namespace }}.{{ flow.id }}"
          - "execution {{ execution.id }}"
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.greeting | upper }}-{{ 2 * 21 }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('SUCCESS');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(taskRun(done, 'nap').parentTaskRunId).toBe(taskRun(done, 'group').id);
    expect(taskRun(done, 'ret').outputs.value).toBe('HELLO-42');
    const logs = (await client.logs(id)).body.filter((l: any) => l.taskId === 'say');
    expect(logs.map((l: any) => [l.level, l.message])).toEqual([
      ['WARN', 'hello from test.core.core-mix'],
      ['WARN', `execution ${id}`],
    ]);
  });

  it('logLevel drops the lines below it', async () => {
    const id = await run(`
id: quiet
namespace: test.core
tasks:
  - id: chatty
    type: io.kestra.plugin.core.log.Log
    logLevel: WARN
    level: INFO
    message: "not kept"
  - id: loud
    type: io.kestra.plugin.core.log.Log
    logLevel: WARN
    level: ERROR
    message: "kept"
`);
    expect((await client.waitFor(id)).state.current).toBe('SUCCESS');
    const logs = (await client.logs(id)).body;
    expect(logs.map((l: any) => `${l.taskId}:${l.message}`)).toEqual(['loud:kept']);
  });

  it('an expression error names the task, the property and what exists', async () => {
    const id = await run(`
id: bad-expression
namespace: test.core
tasks:
  - id: values
    type: io.kestra.plugin.core.output.OutputValues
    values:
      a: 1
  - id: use
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.values.values.b }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'use').error).toMatch(/use.*message|message.*use/);
    expect(taskRun(done, 'use').error).toContain('b');
    expect(taskRun(done, 'use').attempts).toHaveLength(1); // not retried: retrying cannot fix it
  });
});

describe('pause expiry', () => {
  const pauseFlow = (id: string, behavior: string) => `
id: ${id}
namespace: test.core
tasks:
  - id: wait_for_approval
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.5S
    behavior: ${behavior}
    onResume:
      - id: note
        type: STRING
        defaults: none
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.wait_for_approval.onResume.note }}"
`;

  it('RESUME continues with onResume defaults', async () => {
    const done = await client.waitFor(await run(pauseFlow('pause-resume', 'RESUME')));
    expect(done.state.current).toBe('SUCCESS');
    expect(taskRun(done, 'wait_for_approval').outputs).toMatchObject({ timedOut: true, onResume: { note: 'none' } });
    expect(taskRun(done, 'after').outputs.value).toBe('none');
  });

  it('WARN continues and ends WARNING; FAIL fails; CANCEL cancels', async () => {
    expect((await client.waitFor(await run(pauseFlow('pause-warn', 'WARN')))).state.current).toBe('WARNING');
    const failed = await client.waitFor(await run(pauseFlow('pause-fail', 'FAIL')));
    expect(failed.state.current).toBe('FAILED');
    expect(failed.error).toContain('pause expired');
    const cancelled = await client.waitFor(await run(pauseFlow('pause-cancel', 'CANCEL')));
    expect(cancelled.state.current).toBe('CANCELLED');
    expect(cancelled.taskRunList.some((t: any) => t.taskId === 'after')).toBe(false);
  });
});

describe('concurrency behaviours', () => {
  it('FAIL refuses an execution over the limit and says why', async () => {
    const yaml = `
id: exclusive
namespace: test.core
concurrency:
  limit: 1
  behavior: FAIL
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
`;
    const first = await run(yaml);
    await client.waitFor(first, ['PAUSED']);
    const second = await client.waitFor((await client.run('test.core', 'exclusive')).body.id);
    expect(second.state.current).toBe('FAILED');
    expect(second.error).toContain('concurrency limit of 1 reached');
    await client.resume(first);
    expect((await client.waitFor(first)).state.current).toBe('SUCCESS');
  });
});

describe('determinism', () => {
  it('replays the history of a finished execution against the current workflow code', async () => {
    const id = await run(`
id: replayed
namespace: test.core
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: a
        type: io.kestra.plugin.core.output.OutputValues
        values: { x: 1 }
      - id: loop
        type: io.kestra.plugin.core.flow.ForEach
        values: [1, 2]
        tasks:
          - id: item
            type: io.kestra.plugin.core.debug.Return
            format: "{{ taskrun.value }}"
  - id: check
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ outputs.a.values.x == 1 }}"
`);
    expect((await client.waitFor(id)).state.current).toBe('SUCCESS');
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const history = await new Client({ connection }).workflow.getHandle(id).fetchHistory();
      const bundle = await workflowBundle(path.join(os.tmpdir(), 'baton-replay-cache'));
      // Throws DeterminismViolationError if the interpreter would take a different path.
      // Histories are encrypted: replay decodes them with the stack's key, as the worker does.
      const dataConverter = { payloadCodecs: [new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined))] };
      await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter }, history, id);
    } finally {
      await connection.close();
    }
  });
});
