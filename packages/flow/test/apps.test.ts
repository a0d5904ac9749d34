import { describe, expect, it } from 'vitest';
import { appJsonSchema, blocksFor, parseApp, resolveStage } from '../src/apps';

// A Kestra App as its docs write it (full block types, Kestra's routing block included).
const KESTRA_APP = `id: request_vm
type: io.kestra.plugin.ee.apps.Execution
displayName: Request a VM
namespace: company.team
flowId: provision
tags: [infra]
access:
  type: PRIVATE
  groups: [requesters]
layout:
  - on: OPEN
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdown
        content: "## Ask for a VM"
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionForm
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionButton
        text: Submit
        style: INFO
        size: DEFAULT
      - type: io.kestra.plugin.ee.apps.execution.blocks.internal.Route
  - on: RUNNING
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Loading
      - type: io.kestra.plugin.ee.apps.execution.blocks.Logs
        filter:
          logLevel: INFO
          taskIds: [create]
      - type: io.kestra.plugin.ee.apps.core.blocks.AutoRefresh
  - on: SUCCESS
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Alert
        style: SUCCESS
        showIcon: true
        content: Done
      - type: io.kestra.plugin.ee.apps.execution.blocks.Outputs
        filter:
          include: [ip]
      - type: io.kestra.plugin.ee.apps.core.blocks.Button
        text: Docs
        url: https://example.com
        style: DEFAULT
  - on: FALLBACK
    blocks:
      - type: Markdown
        content: Something else happened
`;

describe('parseApp', () => {
  it("reads a Kestra App unchanged, dropping Kestra's routing block and filling defaults", () => {
    const { app, errors } = parseApp(KESTRA_APP);
    expect(errors).toEqual([]);
    expect(app!.access).toEqual({ type: 'PRIVATE', groups: ['requesters'], catalog: true });
    expect(app!.layout.map((l) => l.on)).toEqual(['OPEN', 'RUNNING', 'SUCCESS', 'FALLBACK']);
    expect(app!.layout[0].blocks.map((b) => b.type)).toEqual(['Markdown', 'CreateExecutionForm', 'CreateExecutionButton']);
    expect(app!.layout[1].blocks[1]).toEqual({ type: 'Logs', filter: { logLevel: 'INFO', taskIds: ['create'] } });
    expect(app!.layout[0].blocks[2]).toEqual({ type: 'CreateExecutionButton', text: 'Submit', style: 'INFO', size: 'DEFAULT' });
  });

  it("uses Kestra's default layout when there is none", () => {
    const { app } = parseApp('id: a\ntype: io.kestra.plugin.ee.apps.Execution\ndisplayName: A\nnamespace: ns\nflowId: f\n');
    expect(app!.layout.map((l) => l.on)).toEqual(['OPEN', 'CREATED']);
    expect(app!.access.type).toBe('PRIVATE');
  });

  it('reports each mistake at its line and column', () => {
    const text = `id: a
type: io.kestra.plugin.ee.apps.Execution
displayName: A
namespace: ns
flowId: f
colour: red
layout:
  - on: OPENED
    blocks: []
  - on: SUCCESS
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdwn
        content: x
      - type: Button
        text: go
`;
    const { app, errors } = parseApp(text);
    expect(app).toBeUndefined();
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [6, 1],
      [8, 9],
      [12, 15],
      [14, 9],
    ]);
    expect(errors[0].message).toMatch(/unknown key 'colour'/);
    expect(errors[1].message).toMatch(/on must be one of OPEN/);
    expect(errors[2].message).toMatch(/did you mean 'io.kestra.plugin.ee.apps.core.blocks.Markdown'/);
    expect(errors[3].message).toMatch(/missing required key 'url'/);
  });

  it('reports YAML syntax errors and a wrong type', () => {
    expect(parseApp('id: [').errors[0].message).toMatch(/YAML syntax error/);
    const { errors } = parseApp('id: a\ntype: io.kestra.plugin.core.flow.Pause\ndisplayName: A\nnamespace: ns\nflowId: f\n');
    expect(errors[0]).toMatchObject({ line: 2, column: 7, path: 'type' });
  });

  it('refuses groups on a PUBLIC app', () => {
    const { errors } = parseApp('id: a\ntype: io.kestra.plugin.ee.apps.Execution\ndisplayName: A\nnamespace: ns\nflowId: f\naccess:\n  type: PUBLIC\n  groups: [x]\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 8, path: 'access.groups' });
  });
});

describe('stages', () => {
  it('follows the execution state', () => {
    expect(resolveStage({})).toBe('OPEN');
    expect(resolveStage({ state: 'CREATED' })).toBe('CREATED');
    expect(resolveStage({ state: 'QUEUED' })).toBe('CREATED');
    expect(resolveStage({ state: 'RUNNING', history: [{ state: 'CREATED' }, { state: 'RUNNING' }] })).toBe('RUNNING');
    expect(resolveStage({ state: 'PAUSED' })).toBe('PAUSE');
    expect(resolveStage({ state: 'RUNNING', history: [{ state: 'RUNNING' }, { state: 'PAUSED' }, { state: 'RUNNING' }] })).toBe('RESUME');
    expect(resolveStage({ state: 'SUCCESS' })).toBe('SUCCESS');
    expect(resolveStage({ state: 'WARNING' })).toBe('SUCCESS');
    for (const s of ['FAILED', 'KILLED', 'CANCELLED']) expect(resolveStage({ state: s })).toBe('FAILURE');
    expect(resolveStage({ state: 'RUNNING', error: true })).toBe('ERROR');
  });

  it('falls back from RESUME to RUNNING, then to FALLBACK', () => {
    const { app } = parseApp(KESTRA_APP);
    expect(blocksFor(app!.layout, 'RESUME').stage).toBe('RUNNING');
    expect(blocksFor(app!.layout, 'PAUSE')).toMatchObject({ stage: 'FALLBACK', blocks: [{ type: 'Markdown' }] });
    expect(blocksFor([], 'SUCCESS')).toEqual({ stage: 'SUCCESS', blocks: [] });
  });
});

describe('appJsonSchema', () => {
  it('names every block type for completion', () => {
    const schema = appJsonSchema() as { $defs: { block: { properties: { type: { enum: string[] } } } }; properties: Record<string, unknown> };
    expect(schema.$defs.block.properties.type.enum).toContain('io.kestra.plugin.ee.apps.execution.blocks.ResumeExecutionButton');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['id', 'type', 'namespace', 'flowId', 'access', 'layout', 'tags']));
  });
});
