// Kestra's run-time variables (RunVariables in Kestra's source): task, taskrun, parent/parents,
// execution, flow and tasks, rendered by the real engine in the workflow and in activities.
import { describe, expect, it } from 'vitest';
import { api, taskRun } from '@baton/testing';

const client = api();

describe('run-time variables', () => {
  it('task, taskrun, execution and flow are there in activities', async () => {
    const id = await client.deployAndRun(`
id: vars-basic
namespace: test.vars
tasks:
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }}|{{ task.type }}|{{ taskrun.attemptsCount }}|{{ taskrun.id | length > 0 }}|{{ taskrun.startDate | length > 0 }}|{{ execution.id == execution.originalId }}|{{ execution.state }}|{{ flow.namespace }}.{{ flow.id }}@{{ flow.revision }}|{{ flow.tenantId }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'show').outputs.value).toBe(`show|io.kestra.plugin.core.debug.Return|1|true|true|true|RUNNING|test.vars.vars-basic@${done.flowRevision ?? 1}|main`);
  });

  it('parent and parents follow the task-run tree, under If inside ForEach too', async () => {
    const id = await client.deployAndRun(`
id: vars-parents
namespace: test.vars
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: check
        type: io.kestra.plugin.core.flow.If
        condition: "{{ taskrun.value == 'b' }}"
        then:
          - id: inner
            type: io.kestra.plugin.core.debug.Return
            format: "{{ parent.task.id }}:{{ parent.taskrun.value }}:{{ parents | length }}:{{ parents[1].task.id }}:{{ taskrun.parentId | length > 0 }}"
      - id: direct
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}:{{ parent.task.id }}:{{ tasks.check[taskrun.value].state }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current, done.error).toBe('SUCCESS');
    // Only iteration b took the then branch; its parent is the If, whose value is the loop value.
    expect(taskRun(done, 'inner').outputs.value).toBe('check:b:2:each:true');
    const direct = done.taskRunList.filter((t: any) => t.taskId === 'direct').map((t: any) => t.outputs.value);
    expect(direct).toEqual(['a:each:SUCCESS', 'b:each:SUCCESS']);
  });

  it('flowables render the same variables in the workflow', async () => {
    const id = await client.deployAndRun(`
id: vars-flowable
namespace: test.vars
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: branch
    type: io.kestra.plugin.core.flow.If
    condition: "{{ task.id == 'branch' and tasks.first.state == 'SUCCESS' and taskrun.attemptsCount == 0 }}"
    then:
      - id: yes
        type: io.kestra.plugin.core.log.Log
        message: yes
`);
    const done = await client.waitFor(id);
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'yes').state.current).toBe('SUCCESS');
  });
});

describe("flowable outputs and log lines as Kestra's", () => {
  it("If's evaluationResult, Switch's value and defaults, Sleep's Waiting line", async () => {
    const id = await client.deployAndRun(`
id: flowable-outputs
namespace: test.vars
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ 1 == 2 }}"
    then:
      - id: never
        type: io.kestra.plugin.core.log.Log
        message: no
  - id: pick
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ 'blue' }}"
    cases:
      red:
        - id: red
          type: io.kestra.plugin.core.log.Log
          message: red
    defaults:
      - id: other
        type: io.kestra.plugin.core.log.Log
        message: other
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.25S
  - id: report
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.check.evaluationResult }}/{{ outputs.pick.value }}/{{ outputs.pick.defaults }}"
`);
    const done = await client.waitFor(id);
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'check').outputs).toEqual({ evaluationResult: false });
    expect(taskRun(done, 'pick').outputs).toEqual({ value: 'blue', defaults: true });
    expect(taskRun(done, 'report').outputs.value).toBe('false/blue/true');
    const sleepLogs = (await client.logs(id)).body.filter((l: any) => l.taskId === 'nap').map((l: any) => [l.level, l.message]);
    expect(sleepLogs).toEqual([['INFO', 'Waiting for PT0.25S']]);
  });
});
