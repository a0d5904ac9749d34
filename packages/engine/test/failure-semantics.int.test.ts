// Failure semantics as Kestra has them (issue 14): no failure is swallowed by a flowable, retries
// of flowables rerun the whole block, and the messages and log lines are Kestra's.
// Against the real stack: Temporal dev server, worker, PostgreSQL, the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, taskRun } from '@baton/testing';

const client = api();
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const run = (yaml: string, inputs: Record<string, unknown> = {}) => client.deployAndRun(yaml, inputs);
const runsOf = (execution: any, taskId: string) => execution.taskRunList.filter((t: any) => t.taskId === taskId);
const logsOf = async (id: string, taskId: string) => (await client.logs(id)).body.filter((l: any) => l.taskId === taskId).map((l: any) => [l.level, l.message]);

describe('Parallel', () => {
  it('a failed child fails the Parallel and the execution after its running siblings end; the next task does not run', async () => {
    const id = await run(`
id: parallel-fails
namespace: test.failures
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: slow
        type: io.kestra.plugin.core.http.Request
        uri: "${server.url}/parallel-slow?delayMs=800"
      - id: broken
        type: io.kestra.plugin.core.execution.Fail
        errorMessage: the broken branch
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: must not run
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'both').state.current).toBe('FAILED');
    expect(taskRun(done, 'broken').error).toBe('the broken branch');
    // The parent names the child that failed, so its error says where.
    expect(taskRun(done, 'both').error).toBe('broken: the broken branch');
    // The sibling that was running finished; it was not abandoned.
    expect(taskRun(done, 'slow').state.current).toBe('SUCCESS');
    expect(runsOf(done, 'after')).toHaveLength(0);
    expect(done.error).toBe('broken: the broken branch');
  });

  it('with a concurrency limit, no new child starts after a failure', async () => {
    const id = await run(`
id: parallel-limited
namespace: test.failures
tasks:
  - id: lanes
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 1
    tasks:
      - id: first
        type: io.kestra.plugin.core.execution.Fail
      - id: second
        type: io.kestra.plugin.core.log.Log
        message: must not start
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(runsOf(done, 'second')).toHaveLength(0);
  });

  it('allowFailure on the failing child keeps the Parallel going and ends WARNING', async () => {
    const id = await run(`
id: parallel-allowed
namespace: test.failures
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: broken
        type: io.kestra.plugin.core.execution.Fail
        allowFailure: true
      - id: fine
        type: io.kestra.plugin.core.log.Log
        message: fine
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: runs
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('WARNING');
    expect(taskRun(done, 'after').state.current).toBe('SUCCESS');
  });
});

describe('ForEach', () => {
  it('with concurrencyLimit 1, runs in order and stops at the first failing iteration', async () => {
    const id = await run(`
id: foreach-ordered
namespace: test.failures
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c", "a"]
    concurrencyLimit: 1
    tasks:
      - id: check
        type: io.kestra.plugin.core.execution.Fail
        condition: "{{ taskrun.value == 'b' }}"
        errorMessage: "iteration {{ taskrun.value }} is bad"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    const checks = runsOf(done, 'check');
    // Distinct values, in order, stopping at b: c never starts and the duplicate "a" is not rerun.
    expect(checks.map((t: any) => t.value)).toEqual(['a', 'b']);
    expect(checks.map((t: any) => t.state.current)).toEqual(['SUCCESS', 'FAILED']);
    expect(taskRun(done, 'each').error).toBe('check: Fail on a condition');
    const logs = (await client.logs(id)).body.filter((l: any) => l.taskRunId === checks[1].id).map((l: any) => [l.level, l.message]);
    expect(logs).toEqual([
      ['ERROR', 'iteration b is bad'],
      ['ERROR', 'Fail on a condition'],
    ]);
  });

  it("each iteration's group shows its own error, not another iteration's", async () => {
    const id = await run(`
id: foreach-own-errors
namespace: test.failures
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x", "y"]
    concurrencyLimit: 0
    tasks:
      - id: group
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: boom
            type: io.kestra.plugin.core.execution.Fail
            errorMessage: "bad {{ taskrun.value }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    const groups = Object.fromEntries(runsOf(done, 'group').map((t: any) => [t.value, t.error]));
    expect(groups).toEqual({ x: 'boom: bad x', y: 'boom: bad y' });
  });

  it('refuses null values with a message, as Kestra does', async () => {
    const id = await run(`
id: foreach-nulls
namespace: test.failures
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '["a", null]'
    tasks:
      - id: say
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'each').error).toMatch(/1 null value/);
  });
});

describe('retry on flowable tasks', () => {
  it('retries the whole Sequential: every child runs again as a new task run', async () => {
    server.failNext('/block-flaky', 2);
    const id = await run(`
id: retry-block
namespace: test.failures
tasks:
  - id: block
    type: io.kestra.plugin.core.flow.Sequential
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 3
    tasks:
      - id: before
        type: io.kestra.plugin.core.log.Log
        message: step one
      - id: call
        type: io.kestra.plugin.core.http.Request
        uri: "${server.url}/block-flaky"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('SUCCESS');
    expect(server.calls('/block-flaky')).toHaveLength(3);
    expect(runsOf(done, 'before')).toHaveLength(3);
    expect(runsOf(done, 'call').map((t: any) => t.state.current)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
    const block = taskRun(done, 'block');
    expect(block.state.current).toBe('SUCCESS');
    expect(block.state.histories.map((h: any) => h.state)).toContain('RETRYING');
  });

  it('fails once the attempts are used up', async () => {
    const id = await run(`
id: retry-block-exhausted
namespace: test.failures
tasks:
  - id: block
    type: io.kestra.plugin.core.flow.Parallel
    retry:
      type: constant
      interval: PT0.05S
      maxAttempt: 2
    tasks:
      - id: never
        type: io.kestra.plugin.core.execution.Fail
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(runsOf(done, 'never')).toHaveLength(2);
  });
});

describe('messages and task-run records', () => {
  it("Fail's default message is Kestra's and is logged at ERROR", async () => {
    const id = await run(`
id: fail-default
namespace: test.failures
tasks:
  - id: stop
    type: io.kestra.plugin.core.execution.Fail
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'stop').error).toBe('Task failure');
    expect(await logsOf(id, 'stop')).toEqual([['ERROR', 'Task failure']]);
  });

  it('a Subflow to a flow that does not exist fails at once, naming the namespace and id', async () => {
    const started = Date.now();
    const id = await run(`
id: calls-nothing
namespace: test.failures
tasks:
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.nowhere
    flowId: no-such-flow
`);
    const done = await client.waitFor(id, undefined, 20_000);
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'child').error).toMatch(/test\.nowhere\.no-such-flow/);
    // Not retried for minutes: the prepare activity is non-retryable for a missing flow.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a task run that succeeded after retries does not carry the earlier error as its own', async () => {
    server.failNext('/recovers', 1);
    const id = await run(`
id: recovers
namespace: test.failures
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/recovers"
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 3
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('SUCCESS');
    const call = taskRun(done, 'call');
    expect(call.error ?? null).toBeNull();
    expect(call.attempts).toHaveLength(2);
    expect(call.attempts[0].state.current).toBe('FAILED');
  });

  it('a killed task run ends with its attempt KILLED', async () => {
    const id = await run(`
id: killed-attempt
namespace: test.failures
tasks:
  - id: slow
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/very-slow?delayMs=20000"
`);
    await client.waitFor(id, ['RUNNING']);
    // Wait until the attempt is visible, then kill.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await client.execution(id)).body.taskRunList?.length) await new Promise((r) => setTimeout(r, 100));
    expect((await client.kill(id)).status).toBe(202);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('KILLED');
    const slow = taskRun(done, 'slow');
    expect(slow.state.current).toBe('KILLED');
    expect(slow.attempts.map((a: any) => a.state.current)).toEqual(['KILLED']);
  });

  it('flow outputs that cannot render fail the execution with the reason', async () => {
    const id = await run(`
id: bad-output
namespace: test.failures
tasks:
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: hi
outputs:
  - id: broken
    type: STRING
    value: "{{ outputs.hello.nope }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current).toBe('FAILED');
    expect(done.error).toMatch(/broken/);
  });
});
