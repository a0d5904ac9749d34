import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '@baton/plugin-sdk';
import { definitions as core } from '@baton/plugin-core';
import { validateFlow } from '../src';

const registry = new PluginRegistry().register(...core);
const validate = (source: string) => validateFlow(source, { registry });

describe('validateFlow', () => {
  it('accepts a Kestra flow and normalises it into a plan', () => {
    const result = validate(`
id: hello
namespace: company.team
inputs:
  - id: name
    type: STRING
    defaults: world
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
    retry:
      type: constant
      interval: PT1S
      maxAttempt: 3
`);
    expect(result.errors).toEqual([]);
    expect(result.plan?.tasks[0]).toMatchObject({
      id: 'greet',
      pluginId: 'core.Log',
      kind: 'runnable',
      props: { message: 'Hello {{ inputs.name }}' },
      retry: { type: 'constant', maxAttempt: 3 },
    });
    expect(result.plan?.tasks[0].props).not.toHaveProperty('retry');
  });

  it('reports YAML syntax errors with line and column', () => {
    const result = validate('id: a\nnamespace: b\ntasks:\n  - id: x\n    type: [unclosed\n');
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors[0].message).toMatch(/YAML syntax error/);
    expect(result.errors[0].line).toBeGreaterThanOrEqual(5);
  });

  it('points an unknown task type at its line with a did-you-mean hint', () => {
    const result = validate(`id: a
namespace: b
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Lgo
    message: hi
`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ path: 'tasks[0].type', line: 5, column: 11 });
    expect(result.errors[0].message).toContain("did you mean 'io.kestra.plugin.core.log.Log'");
  });

  it('flags an unknown property at the key, with a hint', () => {
    const result = validate(`id: a
namespace: b
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Log
    mesage: hi
`);
    const messages = result.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
    expect(messages).toContain("6:5 unknown property 'mesage' for core.Log; did you mean 'message'?");
  });

  it('reports wrong types and missing required properties where they are', () => {
    const result = validate(`id: a
namespace: b
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: "lots"
    tasks:
      - id: x
        type: io.kestra.plugin.core.execution.Assert
`);
    expect(result.errors.find((e) => e.path === 'tasks[0].concurrent')).toMatchObject({ line: 6 });
    expect(result.errors.find((e) => e.path === 'tasks[0].tasks[0].conditions')?.message).toMatch(/required/);
  });

  it('allows expressions where a typed value is expected', () => {
    const result = validate(`id: a
namespace: b
inputs:
  - id: n
    type: INT
    defaults: 2
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: "{{ inputs.n }}"
    tasks:
      - id: x
        type: io.kestra.plugin.core.log.Log
        message: hi
`);
    expect(result.errors).toEqual([]);
  });

  it('rejects duplicate task ids, unknown flow keys and bad namespaces', () => {
    const result = validate(`id: a
namespace: Bad..NS
taks: []
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Log
    message: one
  - id: x
    type: io.kestra.plugin.core.log.Log
    message: two
`);
    const text = result.errors.map((e) => e.message).join('\n');
    expect(text).toContain("duplicate task id 'x'");
    expect(text).toContain("unknown flow property 'taks'; did you mean 'tasks'?");
    expect(text).toContain('namespaces are lower-case dotted names');
  });

  it('checks references to outputs of unknown tasks and undeclared inputs', () => {
    const result = validate(`id: a
namespace: b
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.frist.value }} {{ inputs.missing }}"
`);
    const text = result.errors.map((e) => e.message).join('\n');
    expect(text).toContain("outputs.frist refers to no task of this flow; did you mean 'first'?");
    expect(text).toContain('inputs.missing is not a declared input');
  });

  it('validates input declarations and their defaults', () => {
    const result = validate(`id: a
namespace: b
inputs:
  - id: count
    type: INT
    defaults: many
  - id: pick
    type: SELECT
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Log
    message: hi
`);
    const text = result.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    expect(text).toContain('inputs[0].defaults: default does not fit type INT');
    expect(text).toContain("SELECT input 'pick' needs 'values'");
  });

  it('nests children of flowable tasks, including Switch cases', () => {
    const result = validate(`id: a
namespace: b
tasks:
  - id: s
    type: io.kestra.plugin.core.flow.Switch
    value: x
    cases:
      x:
        - id: in_x
          type: io.kestra.plugin.core.log.Log
          message: x
    defaults:
      - id: other
        type: io.kestra.plugin.core.log.Log
        message: other
`);
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.plan!.tasks[0].children!)).toEqual(['cases.x', 'defaults']);
    expect(result.plan!.tasks[0].props).toEqual({ value: 'x' });
  });

  it('never throws on garbage', () => {
    for (const source of ['', '- a\n- b', 'just text', '{{', 'id: [', '\t\t:', 'tasks: 3', 'id: a\nnamespace: b\ntasks: [1, null, "x"]']) {
      const result = validate(source);
      expect(result.errors.length).toBeGreaterThan(0);
      for (const e of result.errors) expect(e.line).toBeGreaterThanOrEqual(1);
    }
  });
  describe('hardening (issue 15)', () => {
    const flowWith = (id: string, namespace = 'company.team') =>
      `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;

    it('refuses a YAML alias bomb with a 422-style error at the first alias, without throwing', () => {
      const lines = ['id: a', 'namespace: b', 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let i = 1; i < 10; i++)
        lines.push(
          `x${i}: &a${i} [${Array(9)
            .fill(`*a${i - 1}`)
            .join(', ')}]`,
        );
      lines.push('tasks: []');
      const result = validate(lines.join('\n'));
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0].message).toMatch(/aliases expand too much/);
      expect(result.errors[0]).toMatchObject({ line: 4 });
      expect(result.errors[0].column).toBeGreaterThan(1);
    });

    it('accepts Kestra flow ids with dots and limits ids to 100 and namespaces to 150 characters', () => {
      expect(validate(flowWith('my.flow_v2-x')).errors).toEqual([]);
      expect(validate(flowWith('a'.repeat(100))).errors).toEqual([]);
      const longId = validate(flowWith('a'.repeat(101)));
      expect(longId.errors).toEqual([expect.objectContaining({ path: 'id', line: 1, message: expect.stringContaining('at most 100') })]);
      const ns = `${'a'.repeat(75)}.${'b'.repeat(75)}`;
      expect(validate(flowWith('ok', ns)).errors).toEqual([expect.objectContaining({ path: 'namespace', line: 2, message: expect.stringContaining('at most 150') })]);
      expect(validate(flowWith('.hidden')).errors[0].path).toBe('id');
    });

    it('refuses a NUL character anywhere in the flow, at its line', () => {
      const result = validate('id: a\nnamespace: b\ndescription: "bad\\0text"\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n');
      expect(result.errors).toEqual([expect.objectContaining({ path: 'description', line: 3, message: expect.stringContaining('NUL') })]);
    });

    it('limits labels', () => {
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      const src = `id: a\nnamespace: b\nlabels: ${JSON.stringify(many)}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
      expect(validate(src).errors[0]).toMatchObject({ path: 'labels', line: 3 });
      const longValue = `id: a\nnamespace: b\nlabels:\n  team: ${'x'.repeat(256)}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
      expect(validate(longValue).errors[0].path).toMatch(/^labels/);
    });

    it('answers an error, not a stack overflow, for YAML nested thousands deep', () => {
      const deep = `id: a\nnamespace: b\nvariables:\n  x: ${'['.repeat(5000)}${']'.repeat(5000)}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
      const result = validate(deep);
      expect(result.errors.length).toBeGreaterThan(0);
    });
  });
});

describe('Dag (Kestra DagTest cases)', () => {
  const dag = (entries: string) => `id: d
namespace: company.team
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
${entries}`;

  it('keeps each task with its dependsOn', () => {
    const result = validate(
      dag(`      - task:
          id: task1
          type: io.kestra.plugin.core.log.Log
          message: one
      - task:
          id: task2
          type: io.kestra.plugin.core.log.Log
          message: two
        dependsOn: [task1]
`),
    );
    expect(result.errors).toEqual([]);
    const children = result.plan!.tasks[0].children!.tasks;
    expect(children.map((t) => [t.id, t.dependsOn])).toEqual([
      ['task1', undefined],
      ['task2', ['task1']],
    ]);
  });

  it('an unknown dependency is refused at its line and column (dag-notexist-task)', () => {
    const result = validate(
      dag(`      - task:
          id: task1
          type: io.kestra.plugin.core.log.Log
          message: one
        dependsOn: [taskX]
`),
    );
    expect(result.errors).toEqual([expect.objectContaining({ line: 11, column: 21, message: "Not existing task id in dependency: taskX; did you mean 'task1'?" })]);
  });

  it('a cycle is refused with the tasks in it (dag-cyclicdependency)', () => {
    const result = validate(
      dag(`      - task:
          id: task1
          type: io.kestra.plugin.core.log.Log
          message: one
        dependsOn: [task2]
      - task:
          id: task2
          type: io.kestra.plugin.core.log.Log
          message: two
        dependsOn: [task1]
      - task:
          id: task3
          type: io.kestra.plugin.core.log.Log
          message: three
        dependsOn: [task1]
`),
    );
    expect(result.errors).toEqual([expect.objectContaining({ line: 11, column: 20, message: 'Cyclic dependency detected: task1, task2' })]);
  });

  it('an invalid subtask is reported where it is (dag-invalid-subtask); a bad entry says what an entry is', () => {
    const result = validate(
      dag(`      - task:
          id: task1
          type: io.kestra.plugin.core.log.Log
      - id: loose
        type: io.kestra.plugin.core.log.Log
        message: x
`),
    );
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [8, "'message' takes string or array, not undefined"],
      [10, 'a Dag entry is a mapping {task: {id, type, ...}, dependsOn: [task ids]}'],
    ]);
  });
});
