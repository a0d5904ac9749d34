// The engine end to end: flows deployed and run through the REST API, interpreted by the real
// worker on a real Temporal dev server, read back from the PostgreSQL projection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, historyText, startTestServer, taskRun } from '@baton/testing';

const client = api();
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const deployAndRun = (yaml: string, inputs: Record<string, unknown> = {}) => client.deployAndRun(yaml, inputs);

describe('the flow from the foundation issue', () => {
  it('runs inputs, Parallel, If, ForEach, retries, Pause resumed through the API, Assert and OutputValues to SUCCESS', async () => {
    server.failNext('/flaky', 2);
    const id = await deployAndRun(`
id: full-tour
namespace: test.engine
inputs:
  - id: hosts
    type: ARRAY
    itemType: STRING
    defaults: ["web-1", "web-2", "web-3"]
  - id: deploy
    type: BOOLEAN
    defaults: true
tasks:
  - id: prepare
    type: io.kestra.plugin.core.output.OutputValues
    values:
      release: "r-{{ inputs.hosts | length }}"
  - id: fanout
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: left
        type: io.kestra.plugin.core.log.Log
        message: "left {{ outputs.prepare.values.release }}"
      - id: flaky_call
        type: io.kestra.plugin.core.http.Request
        uri: "${server.url}/flaky"
        retry:
          type: constant
          interval: PT0.2S
          maxAttempt: 4
  - id: branch
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.deploy }}"
    then:
      - id: each_host
        type: io.kestra.plugin.core.flow.ForEach
        values: "{{ inputs.hosts }}"
        concurrencyLimit: 2
        tasks:
          - id: patch
            type: io.kestra.plugin.core.output.OutputValues
            values:
              host: "{{ taskrun.value | upper }}"
    else:
      - id: skipped
        type: io.kestra.plugin.core.log.Log
        message: never
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: ticket
        type: STRING
        validator: "CHG-[0-9]+"
  - id: gate
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ outputs.flaky_call.code == 200 }}"
      - "{{ outputs.patch['web-2'].values.host == 'WEB-2' }}"
      - "{{ outputs.approve.onResume.ticket | startsWith('CHG') }}"
  - id: result
    type: io.kestra.plugin.core.output.OutputValues
    values:
      summary: "{{ outputs.prepare.values.release }} approved as {{ outputs.approve.onResume.ticket }}"
outputs:
  - id: summary
    value: "{{ outputs.result.values.summary }}"
`);
    const paused = await client.waitFor(id, ['PAUSED', 'FAILED']);
    expect(paused.state.current).toBe('PAUSED');

    const bad = await client.resume(id, { ticket: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].message).toContain('validator');

    const resumed = await client.resume(id, { ticket: 'CHG-42' });
    expect(resumed.status).toBe(200);

    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done.taskRunList.filter((t: any) => t.error))).toBe('SUCCESS');
    expect(done.outputs).toEqual({ summary: 'r-3 approved as CHG-42' });

    const flaky = taskRun(done, 'flaky_call');
    expect(flaky.attempts.map((a: any) => a.state.current)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
    expect(server.calls('/flaky')).toHaveLength(3);

    const patches = done.taskRunList.filter((t: any) => t.taskId === 'patch');
    expect(patches.map((t: any) => t.value).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(patches.every((t: any) => t.parentTaskRunId === taskRun(done, 'each_host').id)).toBe(true);
    expect(done.taskRunList.some((t: any) => t.taskId === 'skipped')).toBe(false);
    expect(taskRun(done, 'approve').outputs.onResume).toEqual({ ticket: 'CHG-42' });
    expect(taskRun(done, 'approve').state.histories.map((h: any) => h.state)).toContain('PAUSED');

    const logs = await client.logs(id);
    expect(logs.body.some((l: any) => l.taskId === 'left' && l.message === 'left r-3')).toBe(true);
  });
});

describe('failure handling', () => {
  it('runs errors and finally branches and ends FAILED with the reason', async () => {
    const id = await deployAndRun(`
id: fails
namespace: test.engine
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "disk full on web-1"
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: unreachable
errors:
  - id: notify
    type: io.kestra.plugin.core.log.Log
    message: "failure noticed"
finally:
  - id: cleanup
    type: io.kestra.plugin.core.log.Log
    message: "cleanup"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(done.error).toContain('disk full on web-1');
    expect(taskRun(done, 'boom').state.current).toBe('FAILED');
    expect(taskRun(done, 'notify').state.current).toBe('SUCCESS');
    expect(taskRun(done, 'cleanup').state.current).toBe('SUCCESS');
    expect(done.taskRunList.some((t: any) => t.taskId === 'never')).toBe(false);
  });

  it('ends WARNING when an allowed failure happens, and skips tasks whose runIf is false', async () => {
    const id = await deployAndRun(
      `
id: warns
namespace: test.engine
tasks:
  - id: optional
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/missing-service"
    allowFailure: true
    timeout: PT0.5S
    method: GET
    options:
      timeout: PT5S
  - id: conditional
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ 1 > 2 }}"
    message: nope
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: still running
`.replace('/missing-service', '/slow?delayMs=3000'),
    );
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('WARNING');
    expect(taskRun(done, 'optional').state.current).toBe('WARNING');
    expect(taskRun(done, 'optional').error).toMatch(/timed out|timeout/i);
    expect(taskRun(done, 'conditional').state.current).toBe('SKIPPED');
    expect(taskRun(done, 'after').state.current).toBe('SUCCESS');
  });

  it('ends WARNING when a task needed retries and warningOnRetry is set', async () => {
    server.failNext('/wobbly', 1);
    const id = await deployAndRun(`
id: wobbly
namespace: test.engine
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/wobbly"
    retry:
      type: exponential
      interval: PT0.1S
      maxInterval: PT1S
      maxAttempt: 3
      warningOnRetry: true
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('WARNING');
    expect(taskRun(done, 'call').state.current).toBe('WARNING');
    expect(taskRun(done, 'call').outputs.code).toBe(200);
    expect(taskRun(done, 'call').attempts).toHaveLength(2);
  });

  it('fails an Assert with the conditions that were false', async () => {
    const id = await deployAndRun(`
id: gate
namespace: test.engine
inputs:
  - id: health
    type: STRING
    defaults: Degraded
tasks:
  - id: gate
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ inputs.health == 'Healthy' }}"
      - "{{ 1 == 1 }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    // Kestra's wording: the task fails with the count, and each false condition is an ERROR line.
    expect(taskRun(done, 'gate').error).toBe('1 assertion failed!');
    const logs = (await client.logs(id)).body.filter((l: any) => l.taskId === 'gate');
    expect(logs.map((l: any) => [l.level, l.message])).toContainEqual(['ERROR', "Assertion `{{ inputs.health == 'Healthy' }}` failed!"]);
  });
});

describe('restart', () => {
  it('restarts a failed execution from the failed task, keeping what succeeded', async () => {
    server.failNext('/flaky-dependency', 1);
    const id = await deployAndRun(`
id: restartable
namespace: test.engine
tasks:
  - id: prepare
    type: io.kestra.plugin.core.output.OutputValues
    values:
      ticket: "CHG-{{ 6 * 7 }}"
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/flaky-dependency"
  - id: report
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.prepare.values.ticket }} {{ outputs.call.code }}"
`);
    const failed = await client.waitFor(id);
    expect(failed.state.current).toBe('FAILED');
    const prepareRun = taskRun(failed, 'prepare').id;

    const restarted = await client.call('POST', `/api/v1/main/executions/${id}/restart`);
    expect(restarted.status).toBe(202);
    expect(restarted.body.kept).toEqual(['prepare']);
    const done = await client.waitFor(id, ['SUCCESS', 'FAILED'], 30_000);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    expect(done.state.histories.map((h: any) => h.state)).toEqual(['CREATED', 'RUNNING', 'FAILED', 'RESTARTED', 'RUNNING', 'SUCCESS']);
    // prepare ran once; call ran twice (failed, then succeeded); report read prepare's kept output
    expect(done.taskRunList.filter((t: any) => t.taskId === 'prepare').map((t: any) => t.id)).toEqual([prepareRun]);
    expect(done.taskRunList.filter((t: any) => t.taskId === 'call').map((t: any) => t.state.current)).toEqual(['FAILED', 'SUCCESS']);
    expect(taskRun(done, 'report').outputs.value).toBe('CHG-42 200');

    expect((await client.call('POST', `/api/v1/main/executions/${id}/restart`)).status).toBe(409);
  });
});

describe('kill', () => {
  it('stops a running task within 2 seconds: KILLING then KILLED', async () => {
    const id = await deployAndRun(`
id: slow
namespace: test.engine
tasks:
  - id: long_call
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/slow?delayMs=60000"
    options:
      timeout: PT2M
`);
    await client.waitFor(id, ['RUNNING']);
    // wait until the activity itself is running (the request reached the test server)
    for (let i = 0; i < 100 && !server.calls('/slow').length; i++) await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const killed = await client.kill(id);
    expect(killed.status).toBe(202);
    expect(killed.body.state).toBe('KILLING');
    const done = await client.waitFor(id, ['KILLED'], 10_000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2000);
    expect(done.state.histories.map((h: any) => h.state)).toEqual(expect.arrayContaining(['RUNNING', 'KILLING', 'KILLED']));
    expect(taskRun(done, 'long_call').state.current).toBe('KILLED');
    const again = await client.kill(id);
    expect(again.status).toBe(409);
  });
});

describe('concurrency', () => {
  it('queues executions over the limit and runs them after, without leaking slots on kill', async () => {
    const yaml = `
id: one-at-a-time
namespace: test.engine
concurrency:
  limit: 1
  behavior: QUEUE
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
`;
    const first = await deployAndRun(yaml);
    await client.waitFor(first, ['PAUSED']);
    const second = (await client.run('test.engine', 'one-at-a-time')).body.id;
    await client.waitFor(second, ['QUEUED']);
    await client.kill(first);
    await client.waitFor(first, ['KILLED']);
    await client.waitFor(second, ['PAUSED'], 15_000);
    await client.resume(second);
    expect((await client.waitFor(second)).state.current).toBe('SUCCESS');
  });
});

describe('secrets', () => {
  it('never appear in Temporal history, logs, outputs or API responses, even through filters', async () => {
    const secret = 's3cr3t-t0ken-value';
    const id = await deployAndRun(`
id: uses-secret
namespace: test.engine
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/with-auth"
    headers:
      Authorization: "Bearer {{ secret('TEST_TOKEN') }}"
  - id: say
    type: io.kestra.plugin.core.log.Log
    message:
      - "token is {{ secret('TEST_TOKEN') }}"
      - "upper {{ secret('TEST_TOKEN') | upper }}"
      - "b64 {{ secret('TEST_TOKEN') | base64encode }}"
  - id: leak
    type: io.kestra.plugin.core.output.OutputValues
    values:
      plain: "{{ secret('TEST_TOKEN') }}"
      shouted: "{{ secret('TEST_TOKEN') | upper }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    // the secret reached the remote service...
    expect(server.calls('/with-auth')[0].headers.authorization).toBe(`Bearer ${secret}`);
    // ...and nowhere else
    const forms = [secret, secret.toUpperCase(), Buffer.from(secret).toString('base64')];
    const logs = JSON.stringify((await client.logs(id)).body);
    const execution = JSON.stringify(done);
    const history = await historyText(id);
    for (const form of forms) {
      expect(logs).not.toContain(form);
      expect(execution).not.toContain(form);
      expect(history).not.toContain(form);
    }
    expect(logs).toContain('token is ******');
    expect(taskRun(done, 'leak').outputs.values).toEqual({ plain: '******', shouted: '******' });
  });
});

describe('subflows and switch', () => {
  it('runs a subflow, waits for it and reads its outputs', async () => {
    await client.deploy(`
id: child
namespace: test.engine
inputs:
  - id: who
    type: STRING
tasks:
  - id: make
    type: io.kestra.plugin.core.output.OutputValues
    values:
      greeting: "hello {{ inputs.who }}"
outputs:
  - id: greeting
    value: "{{ outputs.make.values.greeting }}"
`);
    const id = await deployAndRun(`
id: parent
namespace: test.engine
tasks:
  - id: pick
    type: io.kestra.plugin.core.flow.Switch
    value: "b"
    cases:
      a:
        - id: wrong
          type: io.kestra.plugin.core.log.Log
          message: a
      b:
        - id: call_child
          type: io.kestra.plugin.core.flow.Subflow
          namespace: test.engine
          flowId: child
          inputs:
            who: parent
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.call_child.outputs.greeting }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    expect(taskRun(done, 'show').outputs.value).toBe('hello parent');
    const childId = taskRun(done, 'call_child').outputs.executionId;
    const child = (await client.execution(childId)).body;
    expect(child.state.current).toBe('SUCCESS');
    expect(child.parentId).toBe(id);
  });
});
