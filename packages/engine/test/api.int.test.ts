// The REST API's contract: Kestra's shapes, 4xx with the fix for a user's mistake, never a 500.
import { describe, expect, it } from 'vitest';
import { api, authHeaders } from '@baton/testing';

const client = api();

const flow = (id: string, message = 'hello') => `id: ${id}
namespace: test.api
description: A flow for API tests
labels:
  team: platform
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: ${message}
`;

describe('flows API', () => {
  it('creates, reads, revises, lists and deletes flows', async () => {
    const created = await client.deploy(flow('crud'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'crud', namespace: 'test.api', revision: 1, labels: { team: 'platform' } });

    const same = await client.deploy(flow('crud'));
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ revision: 1, changed: false });

    const changed = await client.deploy(flow('crud', 'hello again'));
    expect(changed.body).toMatchObject({ revision: 2, changed: true });

    const revisions = await client.call('GET', '/api/v1/main/flows/test.api/crud/revisions');
    expect(revisions.body.map((r: any) => r.revision)).toEqual([2, 1]);
    expect(revisions.body[1].source).toContain('message: hello\n');

    const yaml = await fetch(`${client.base}/api/v1/main/flows/test.api/crud?source=yaml`, { headers: authHeaders() });
    expect(yaml.headers.get('content-type')).toContain('yaml');
    expect(await yaml.text()).toContain('hello again');

    const search = await client.call('GET', '/api/v1/main/flows/search?namespace=test&q=cru');
    expect(search.body.results.map((f: any) => f.id)).toContain('crud');

    expect((await client.call('DELETE', '/api/v1/main/flows/test.api/crud')).status).toBe(204);
    expect((await client.call('GET', '/api/v1/main/flows/test.api/crud')).status).toBe(404);
  });

  it('answers 422 with path, line and column for an invalid flow, and saves nothing', async () => {
    const res = await client.deploy(`id: broken
namespace: test.api
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    mesage: hi
`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'tasks[0].mesage', line: 6, column: 5 }));
    expect((await client.call('GET', '/api/v1/main/flows/test.api/broken')).status).toBe(404);
  });

  it('answers 422 for YAML syntax errors with the line', async () => {
    const res = await client.deploy('id: x\nnamespace: test.api\ntasks:\n  - id: [oops\n');
    expect(res.status).toBe(422);
    expect(res.body.errors[0].line).toBeGreaterThanOrEqual(4);
  });

  it('validates without saving', async () => {
    const ok = await client.call('POST', '/api/v1/main/flows/validate', flow('only-validated'), 'application/x-yaml');
    expect(ok.body).toEqual({ valid: true, errors: [], suppliedDefaults: [] });
    const bad = await client.call('POST', '/api/v1/main/flows/validate', 'id: x\nnamespace: test.api\ntasks: []\n', 'application/x-yaml');
    expect(bad.body.valid).toBe(false);
    expect(bad.body.errors[0]).toMatchObject({ path: 'tasks', line: 3 });
    expect((await client.call('GET', '/api/v1/main/flows/test.api/only-validated')).status).toBe(404);
  });

  it('refuses an empty body with a 400 that says what to send', async () => {
    const res = await client.call('POST', '/api/v1/main/flows', '', 'application/x-yaml');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('application/x-yaml');
  });
});

describe('executions API', () => {
  it('returns Kestra-shaped executions, searchable by namespace, flow, state and labels', async () => {
    await client.deploy(flow('shape'));
    const started = await client.call('POST', '/api/v1/main/executions/test.api/shape?labels=ticket:CHG-1&wait=true', {});
    expect(started.status).toBe(200);
    const execution = started.body;
    expect(execution.state.current, JSON.stringify(execution)).toBe('SUCCESS');
    expect(execution).toMatchObject({ namespace: 'test.api', flowId: 'shape', flowRevision: 1, state: { current: 'SUCCESS' } });
    expect(execution.labels).toEqual(
      expect.arrayContaining([
        { key: 'ticket', value: 'CHG-1' },
        { key: 'team', value: 'platform' },
      ]),
    );
    expect(execution.taskRunList[0]).toMatchObject({ taskId: 'hello', state: { current: 'SUCCESS' }, attempts: [expect.objectContaining({ attempt: 1 })] });
    expect(execution.state.histories.map((h: any) => h.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);

    const search = await client.call('GET', '/api/v1/main/executions/search?namespace=test.api&flowId=shape&state=SUCCESS&labels=ticket:CHG-1');
    expect(search.body.results.map((e: any) => e.id)).toContain(execution.id);
    const none = await client.call('GET', '/api/v1/main/executions/search?flowId=shape&state=FAILED');
    expect(none.body.results.map((e: any) => e.id)).not.toContain(execution.id);

    const logs = await client.logs(execution.id);
    expect(logs.body).toContainEqual(expect.objectContaining({ taskId: 'hello', level: 'INFO', message: 'hello' }));
  });

  it('answers 422 listing each invalid input', async () => {
    await client.deploy(`id: typed
namespace: test.api
inputs:
  - id: count
    type: INT
  - id: env
    type: SELECT
    values: [dev, prod]
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.count }} {{ inputs.env }}"
`);
    const res = await client.run('test.api', 'typed', { count: 'three', env: 'staging' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.input).sort()).toEqual(['count', 'env']);

    const form = new FormData();
    form.set('count', '3');
    form.set('env', 'prod');
    const multipart = await fetch(`${client.base}/api/v1/main/executions/test.api/typed?wait=true`, { method: 'POST', body: form, headers: authHeaders() });
    const body = await multipart.json();
    expect(body.inputs).toEqual({ count: 3, env: 'prod' });
    expect(body.state.current).toBe('SUCCESS');
  });

  it('answers 404 for unknown flows and executions, 409 for resuming what is not paused, 400 for bad JSON', async () => {
    expect((await client.run('test.api', 'nope')).status).toBe(404);
    expect((await client.execution('doesnotexist')).status).toBe(404);
    expect((await client.kill('doesnotexist')).status).toBe(404);
    expect((await client.logs('doesnotexist')).status).toBe(404);
    const done = (await client.call('POST', '/api/v1/main/executions/test.api/shape?wait=true', {})).body;
    expect((await client.resume(done.id)).status).toBe(409);
    expect((await client.call('POST', '/api/v1/main/executions/test.api/shape', '{not json')).status).toBe(400);
    expect((await client.call('GET', '/api/v1/main/nothing/here')).status).toBe(404);
  });
});

describe('plugins API', () => {
  it('lists plugins with their schemas and serves the flow JSON Schema', async () => {
    const plugins = await client.call('GET', '/api/v1/plugins');
    const log = plugins.body.find((p: any) => p.id === 'core.Log');
    expect(log.aliases).toContain('io.kestra.plugin.core.log.Log');
    expect(log.props.properties.message).toBeDefined();
    const one = await client.call('GET', '/api/v1/plugins/io.kestra.plugin.core.log.Log');
    expect(one.body.id).toBe('core.Log');
    const schema = await client.call('GET', '/api/v1/plugins/schemas/flow');
    expect(schema.body.required).toEqual(expect.arrayContaining(['id', 'namespace', 'tasks']));
    expect((await client.call('GET', '/api/v1/plugins/io.kestra.plugin.core.log.Lgo')).status).toBe(404);
  });

  it('reports health', async () => {
    expect((await client.call('GET', '/api/health')).body).toEqual({ status: 'UP', database: 'UP' });
  });
});
