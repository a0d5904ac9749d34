import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '@baton/plugin-sdk';
import { definitions as core } from '@baton/plugin-core';
import { validateFlow } from '../src';

const registry = new PluginRegistry().register(...core);
const validate = (source: string) => validateFlow(source, { registry });

describe('compensate and locks at save', () => {
  it('turns compensate (one task or a list), locks and the compensation mode into the plan', () => {
    const result = validate(`id: f
namespace: demo
compensation:
  mode: ASK
locks: ["vm:{{ inputs.vm }}"]
lockTimeout: PT5M
inputs:
  - id: vm
    type: STRING
tasks:
  - id: snapshot
    type: io.kestra.plugin.core.log.Log
    message: snap
    locks: ["host:h1"]
    lockTimeout: PT30S
    compensate:
      id: restore
      type: io.kestra.plugin.core.log.Log
      message: "restore {{ outputs.snapshot }}"
  - id: dns
    type: io.kestra.plugin.core.log.Log
    message: dns
    compensate:
      - id: dns-back
        type: io.kestra.plugin.core.log.Log
        message: back
      - id: dns-log
        type: io.kestra.plugin.core.log.Log
        message: logged
`);
    expect(result.errors).toEqual([]);
    const plan = result.plan!;
    expect(plan.compensation).toEqual({ mode: 'ASK' });
    expect(plan.locks).toEqual(['vm:{{ inputs.vm }}']);
    expect(plan.lockTimeout).toBe('PT5M');
    expect(plan.tasks[0].compensate?.map((t) => t.id)).toEqual(['restore']);
    expect(plan.tasks[0].locks).toEqual(['host:h1']);
    expect(plan.tasks[0].lockTimeout).toBe('PT30S');
    expect(plan.tasks[1].compensate?.map((t) => t.id)).toEqual(['dns-back', 'dns-log']);
  });

  it('leaves plans of flows without them unchanged (no new keys)', () => {
    const plan = validate(`id: f\nnamespace: demo\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`).plan!;
    expect('compensation' in plan || 'locks' in plan || 'lockTimeout' in plan).toBe(false);
    expect(Object.keys(plan.tasks[0])).not.toContain('compensate');
    expect(Object.keys(plan.tasks[0])).not.toContain('locks');
  });

  it('refuses a lock that is not a string, at its line and column', () => {
    const result = validate(`id: f
namespace: demo
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
    locks:
      - 42
`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 8, column: 9 });
    expect(result.errors[0].message).toContain('a lock is a string key');
  });

  it('refuses flow locks that are not a list, and a bad lock expression', () => {
    const notList = validate(`id: f\nnamespace: demo\nlocks: vm-1\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`);
    expect(notList.errors[0]).toMatchObject({ line: 3 });
    expect(notList.errors[0].message).toContain('locks is a list of string keys');
    const badExpr = validate(`id: f\nnamespace: demo\nlocks: ["vm:{{ inputs.vm "]\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`);
    expect(badExpr.errors[0]).toMatchObject({ line: 3 });
    expect(badExpr.errors[0].message).toContain('expression error');
  });

  it('names unknown keys of a compensation task and of the compensation block', () => {
    const result = validate(`id: f
namespace: demo
compensation:
  mode: ON_FAILURE
  when: always
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
    compensate:
      id: undo
      type: io.kestra.plugin.core.log.Log
      message: undo
      colour: red
`);
    expect(result.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [5, 3, "unknown property 'when'"],
      [14, 7, expect.stringContaining("'colour'")],
    ]);
  });

  it('refuses compensate outside tasks, nested compensate, a bad mode and a non-task', () => {
    const result = validate(`id: f
namespace: demo
compensation:
  mode: SOMETIMES
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
    compensate:
      id: undo
      type: io.kestra.plugin.core.log.Log
      message: undo
      compensate:
        id: undo-undo
        type: io.kestra.plugin.core.log.Log
        message: x
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: hi
    compensate: delete-it
errors:
  - id: e
    type: io.kestra.plugin.core.log.Log
    message: hi
    compensate:
      id: e-undo
      type: io.kestra.plugin.core.log.Log
      message: x
`);
    const byLine = Object.fromEntries(result.errors.map((e) => [e.line, e.message]));
    expect(byLine[4]).toMatch(/ON_FAILURE/);
    expect(byLine[13]).toContain('a compensation task cannot declare compensate');
    expect(byLine[20]).toContain('compensate is a task');
    expect(byLine[25]).toContain("a task of 'errors' cannot declare compensate");
  });

  it('keeps compensation task ids unique in the flow', () => {
    const result = validate(
      `id: f\nnamespace: demo\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    compensate:\n      id: a\n      type: io.kestra.plugin.core.log.Log\n      message: undo\n`,
    );
    expect(result.errors[0].message).toContain("duplicate task id 'a'");
    expect(result.errors[0].line).toBe(8);
  });
});
