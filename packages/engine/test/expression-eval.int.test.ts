// Kestra's debug expression (POST /executions/{id}/eval/{taskRunId}) against real executions.
import { describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';

const client = api();
const evalAt = (id: string, taskRunId?: string) => `/api/v1/main/executions/${id}/eval${taskRunId ? `/${taskRunId}` : ''}`;

describe('expression debugger', () => {
  it("renders against an execution's inputs, outputs, variables and a task run's own variables", async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: eval-me
namespace: test.eval
variables:
  region: eu
inputs:
  - id: count
    type: INT
    defaults: 3
  - id: token
    type: SECRET
    defaults: hunter2-secret
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: echo
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}-{{ inputs.count }}"
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    const typed = await client.call('POST', evalAt(done.id), '{{ inputs.count * 2 }}', 'text/plain');
    expect(typed.body).toEqual({ value: 6, result: '6' });
    const text = await client.call('POST', evalAt(done.id), '{{ vars.region }}/{{ outputs.echo.b.value }}/{{ flow.id }}', 'text/plain');
    expect(text.body.result).toBe('eu/b-3/eval-me');

    const runB = done.taskRunList.find((t: any) => t.taskId === 'echo' && t.value === 'b');
    const asRun = await client.call('POST', evalAt(done.id, runB.id), '{{ taskrun.value }} {{ task.id }} {{ task.type }}', 'text/plain');
    expect(asRun.body.result).toBe('b echo io.kestra.plugin.core.debug.Return');
    expect(taskRun(done, 'each').state.current).toBe('SUCCESS');

    // The stored SECRET input is masked, and secret() is refused: the debugger reveals nothing.
    expect(JSON.stringify((await client.call('POST', evalAt(done.id), '{{ inputs.token }}', 'text/plain')).body)).not.toContain('hunter2');
    const refused = await client.call('POST', evalAt(done.id), "{{ secret('ANY') }}", 'text/plain');
    expect(refused.status).toBe(200);
    expect(refused.body.error).toContain('secret() is not available in the expression debugger');
  });

  it('reports expression errors in the answer and mistakes as 4xx', async () => {
    const done = await client.waitFor(
      await client.deployAndRun('id: eval-errors\nnamespace: test.eval\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n'),
    );
    const undefinedVar = await client.call('POST', evalAt(done.id), '{{ outputs.nope.value }}', 'text/plain');
    expect(undefinedVar.status).toBe(200);
    expect(undefinedVar.body.error).toMatch(/nope/);
    expect((await client.call('POST', evalAt(done.id), '{{ 1 +', 'text/plain')).body.error).toBeTruthy();
    expect((await client.call('POST', evalAt(done.id), '   ', 'text/plain')).status).toBe(400);
    expect((await client.call('POST', evalAt(done.id, 'no-such-run'), '{{ 1 }}', 'text/plain')).status).toBe(404);
    expect((await client.call('POST', evalAt('NoSuchExecution'), '{{ 1 }}', 'text/plain')).status).toBe(404);
  });
});
