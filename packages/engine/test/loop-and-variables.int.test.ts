// LoopUntil (and WaitFor), AllowFailure, SetVariables and UnsetVariables on the real stack: the
// Temporal workflow, the activities and what the API shows afterwards.
import { describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';

const client = api();

describe('LoopUntil, AllowFailure, SetVariables, UnsetVariables', () => {
  it("runs Kestra's LoopUntil example: the loop ends when the child returns 4", async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: loop-until
namespace: test.loops
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.return.value == '4' }}"
    checkFrequency:
      interval: PT0.05S
    tasks:
      - id: return
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.loop.iterationCount }}"
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'loop').outputs).toEqual({ iterationCount: 4 });
    const values = done.taskRunList.filter((t: any) => t.taskId === 'return').map((t: any) => t.outputs.value);
    expect(values).toEqual(['1', '2', '3', '4']);
  });

  it('WaitFor with failOnMaxReached fails the execution after maxIterations, with the reason', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: wait-for-max
namespace: test.loops
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ false }}"
    failOnMaxReached: true
    checkFrequency:
      interval: PT0.05S
      maxIterations: 3
    tasks:
      - id: poll
        type: io.kestra.plugin.core.log.Log
        message: "poll {{ outputs.wait.iterationCount }}"
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: not reached
`),
    );
    expect(done.state.current).toBe('FAILED');
    expect(done.error).toContain('Max iterations reached');
    expect(done.taskRunList.filter((t: any) => t.taskId === 'poll')).toHaveLength(3);
    expect(done.taskRunList.some((t: any) => t.taskId === 'never')).toBe(false);
  });

  it('SetVariables feeds later tasks, UnsetVariables removes, AllowFailure lets the flow go on as WARNING', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: variables-at-runtime
namespace: test.loops
variables:
  name: World
tasks:
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      message: Hello
      name: Loïc
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.message }} {{ vars.name }}"
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [message]
  - id: best_effort
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: missing_now
        type: io.kestra.plugin.core.debug.Return
        format: "{{ vars.message }}"
  - id: last
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars | keys | join(',') }}"
`),
    );
    expect(done.state.current, done.error).toBe('WARNING');
    expect(taskRun(done, 'hello').outputs.value).toBe('Hello Loïc');
    expect(taskRun(done, 'missing_now').state.current).toBe('FAILED');
    expect(taskRun(done, 'best_effort').state.current).toBe('WARNING');
    expect(taskRun(done, 'last').outputs.value).toBe('name');
  });

  it('Labels labels the running execution; the executions search finds it by the new label', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: runtime-labels
namespace: test.loops
labels:
  team: infra
tasks:
  - id: label
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: ticket
        value: "CHG-{{ 40 + 2 }}"
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    const fetched = await client.execution(done.id);
    expect(fetched.body.labels).toEqual(
      expect.arrayContaining([
        { key: 'ticket', value: 'CHG-42' },
        { key: 'team', value: 'infra' },
      ]),
    );
    const found = await client.call('GET', `/api/v1/main/executions/search?namespace=test.loops&labels=ticket:CHG-42`);
    expect(found.body.results.map((e: any) => e.id)).toContain(done.id);
  });

  it("errorLogs() in the errors branch lists the execution's ERROR lines (Kestra's LogEntry fields)", async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: error-logs
namespace: test.loops
tasks:
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the disk is full
errors:
  - id: report
    type: io.kestra.plugin.core.debug.Return
    format: "{{ errorLogs() | length }}|{{ errorLogs()[0].taskId }}|{{ errorLogs()[0].message }}|{{ errorLogs()[0].level }}|{{ errorLogs()[0].flowId }}"
`),
    );
    expect(done.state.current).toBe('FAILED');
    expect(taskRun(done, 'report').outputs.value).toBe('1|broken|the disk is full|ERROR|error-logs');
  });

  it('a typed render into a text property is that text, as in Kestra (message: "{{ 1 + 1 }}" logs 2)', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: typed-into-text
namespace: test.loops
tasks:
  - id: sum
    type: io.kestra.plugin.core.log.Log
    message: "{{ 1 + 1 }}"
  - id: literal
    type: io.kestra.plugin.core.log.Log
    message: 42
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    const messages = (await client.logs(done.id)).body.map((l: any) => l.message);
    expect(messages).toEqual(expect.arrayContaining(['2', '42']));
  });
});
