// ForEachItem on the real stack, after Kestra's ForEachItemCaseTest (core/src/test/java/io/kestra/
// plugin/core/flow/ForEachItemCaseTest.java): an uploaded file split into batch files in internal
// storage, one real child execution per batch reading its batch with read(), Kestra's internal task
// runs (_split, _items, _merge) with numberOfBatches, iterations and the merged subflow outputs, and
// failing subflows failing the parent (forEachItemFailed).
import { describe, expect, inject, it } from 'vitest';
import { api, authHeaders, taskRun } from '@baton/testing';

const admin = api();

async function startWithFile(namespace: string, flowId: string, input: string, name: string, content: string) {
  const form = new FormData();
  form.append(input, new Blob([content]), name);
  const res = await fetch(`${inject('apiUrl')}/api/v1/main/executions/${namespace}/${flowId}`, { method: 'POST', body: form, headers: authHeaders() });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.id as string;
}

async function deploy(yaml: string) {
  const res = await admin.deploy(yaml);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

const items = Array.from({ length: 10 }, (_, i) => `{"host": "web-${i}"}`).join('\n') + '\n';

describe('ForEachItem', () => {
  it('runs one subflow per batch with the batch file, counts the iterations and merges the subflow outputs', async () => {
    await deploy(`
id: batch-child
namespace: feitem.team
inputs:
  - id: items
    type: FILE
  - id: iteration
    type: INT
tasks:
  - id: count
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(inputs.items) | trim | split('\\n') | length }}"
outputs:
  - id: lines
    type: STRING
    value: "{{ outputs.count.value }}"
  - id: iteration
    type: INT
    value: "{{ inputs.iteration }}"
`);
    await deploy(`
id: batch-parent
namespace: feitem.team
labels:
  team: ops
inputs:
  - id: file
    type: FILE
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: 4
    namespace: feitem.team
    flowId: batch-child
    inheritLabels: true
    inputs:
      items: "{{ taskrun.items }}"
      iteration: "{{ taskrun.iteration }}"
  - id: merged
    type: io.kestra.plugin.core.log.Log
    message: "{{ read(outputs.each_merge.subflowOutputs) | trim }}"
`);
    const id = await startWithFile('feitem.team', 'batch-parent', 'file', 'hosts.jsonl', items);
    const done = await admin.waitFor(id, undefined, 90_000);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');

    // Kestra's shape: the ForEachItem's task run and its three internal ones under it.
    const each = taskRun(done, 'each');
    const split = taskRun(done, 'each_split');
    const runs = taskRun(done, 'each_items');
    const merge = taskRun(done, 'each_merge');
    for (const r of [split, runs, merge]) expect(r.parentTaskRunId).toBe(each.id);
    expect(split.outputs.splits).toMatch(new RegExp(`^kestra:///feitem/team/batch-parent/executions/${id}/tasks/each_split/[^/]+/splits\\.txt$`));
    expect(runs.outputs).toMatchObject({ numberOfBatches: 3, iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 3 } });

    // Each child got its batch file (in the parent's storage) and its iteration, from 0.
    const children = await Promise.all((runs.outputs.executionIds as string[]).map(async (childId) => (await admin.execution(childId)).body));
    expect(children.map((c) => c.state.current)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(children.map((c) => c.inputs.iteration)).toEqual([0, 1, 2]);
    expect(children[0].inputs.items).toMatch(new RegExp(`^kestra:///feitem/team/batch-parent/executions/${id}/tasks/each_split/[^/]+/0\\.jsonl$`));
    expect(children.map((c) => c.outputs.lines)).toEqual(['4', '4', '2']);
    expect(children.map((c) => c.parentId)).toEqual([id, id, id]);
    // inheritLabels: the parent's labels (not Baton's system ones) on every child.
    for (const c of children) expect(c.labels).toContainEqual({ key: 'team', value: 'ops' });

    // The merged file: one line per subflow, in iteration order, read by the next task.
    expect(merge.outputs.subflowOutputs).toMatch(/\/tasks\/each_merge\/[^/]+\/outputs\.ion$/);
    const logs = (await admin.logs(id)).body.filter((l: any) => l.taskId === 'merged');
    expect(logs.map((l: any) => l.message.split('\n').map((line: string) => JSON.parse(line)))).toEqual([
      [
        { lines: '4', iteration: 0 },
        { lines: '4', iteration: 1 },
        { lines: '2', iteration: 2 },
      ],
    ]);
  });

  it('failed subflows fail it (transmitFailed): the iterations say so, no merge, the next task does not run', async () => {
    await deploy(`
id: failing-child
namespace: feitem.team
inputs:
  - id: items
    type: STRING
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "bad batch"
`);
    await deploy(`
id: failing-parent
namespace: feitem.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      partitions: 2
    namespace: feitem.team
    flowId: failing-child
    inputs:
      items: "{{ taskrun.items }}"
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: never
`);
    const id = await startWithFile('feitem.team', 'failing-parent', 'file', 'hosts.txt', items);
    const done = await admin.waitFor(id, undefined, 90_000);
    expect(done.state.current).toBe('FAILED');
    expect(done.taskRunList.map((t: any) => t.taskId).sort()).toEqual(['each', 'each_items', 'each_split']);
    const runs = taskRun(done, 'each_items');
    expect(runs.state.current).toBe('FAILED');
    expect(runs.outputs).toMatchObject({ numberOfBatches: 2, iterations: { CREATED: 0, RUNNING: 0, FAILED: 2 } });
    expect(runs.error ?? done.error ?? '').toContain('2 of 2 subflow executions of feitem.team.failing-child did not succeed');
  });

  it('refuses a flow whose ForEachItem id makes an internal id that is already taken, with the line', async () => {
    const res = await admin.deploy(`
id: clash
namespace: feitem.team
tasks:
  - id: each_items
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "kestra:///x"
    namespace: feitem.team
    flowId: batch-child
`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain("makes 'each_items'");
  });
});
