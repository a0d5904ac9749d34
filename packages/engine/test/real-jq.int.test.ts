// The jq filter in runnable tasks is real jq (jq-wasm in a worker thread); in flowable properties,
// evaluated by the workflow, it is Baton's bounded subset. Both on the real stack.
import { describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';

const client = api();

describe('jq', () => {
  it('runs real jq in tasks: reduce, def, regex and recursion, with every output as a list', async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: real-jq
namespace: test.jq
variables:
  hosts: [{"name": "web-1", "cpu": 2}, {"name": "db-1", "cpu": 8}, {"name": "web-2", "cpu": 4}]
tasks:
  - id: sum
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.hosts | jq('reduce .[] as $h (0; . + $h.cpu)') | first }}"
  - id: web
    type: io.kestra.plugin.core.debug.Return
    format: >-
      {{ vars.hosts | jq('[.[] | select(.name | test("^web-")) | .name] | join(",")') | first }}
  - id: deep
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.hosts | jq('def big: . > 3; [.. | numbers | select(big)]') | first | length }}"
  - id: branch
    type: io.kestra.plugin.core.flow.If
    condition: "{{ vars.hosts | jq('.[0].cpu') | first == 2 }}"
    then:
      - id: yes
        type: io.kestra.plugin.core.debug.Return
        format: subset in the workflow
`),
    );
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'sum').outputs.value).toBe('14');
    expect(taskRun(done, 'web').outputs.value).toBe('web-1,web-2');
    expect(taskRun(done, 'deep').outputs.value).toBe('2');
    expect(taskRun(done, 'yes').outputs.value).toBe('subset in the workflow');
  });

  it("a jq error fails the task with jq's own words", async () => {
    const done = await client.waitFor(
      await client.deployAndRun(`
id: bad-jq
namespace: test.jq
tasks:
  - id: broken
    type: io.kestra.plugin.core.debug.Return
    format: "{{ {'a': 'x'} | jq('.a + 1') }}"
`),
    );
    expect(done.state.current).toBe('FAILED');
    expect(done.error).toMatch(/cannot be added/);
  });
});
