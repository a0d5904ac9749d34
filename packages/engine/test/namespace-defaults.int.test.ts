// Namespace plugin defaults end to end: stored as revisions, inherited down the namespace tree,
// merged with flow defaults by the one rule (docs/plugin-defaults.md), and used by executions.
import { describe, expect, it } from 'vitest';
import { api, authHeaders, taskRun } from '@baton/testing';

const client = api();
const yaml = 'application/x-yaml';
const defaultsUrl = (ns: string) => `/api/v1/main/namespaces/${ns}/plugin-defaults`;

describe('namespace plugin defaults', () => {
  it('refuses an invalid document with each error located, and stores nothing', async () => {
    const res = await client.call(
      'PUT',
      defaultsUrl('nsd.invalid'),
      `- type: io.kestra.plugin.core.debug.Return
  values:
    formatt: x
- type: io.kestra.plugin.nothing
  values: {}
`,
      yaml,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ line: 3, column: 5, message: expect.stringContaining("did you mean 'format'") }),
      expect.objectContaining({ line: 4, message: expect.stringContaining("no plugin type matches 'io.kestra.plugin.nothing'") }),
    ]);
    const after = await client.call('GET', defaultsUrl('nsd.invalid'));
    expect(after.body).toMatchObject({ revision: 0, defaults: [] });
    expect((await client.call('PUT', defaultsUrl('nsd.invalid'), { defaults: [null, 'x'] })).status).toBe(422);
    expect((await client.call('PUT', defaultsUrl('nsd.invalid'), { nope: 1 })).status).toBe(400);
    expect((await client.call('PUT', defaultsUrl('bad..ns'), { defaults: [] })).status).toBe(422);
  });

  it('the closest default wins, a parent forced default beats the flow, and executions use them', async () => {
    // Tenant-wide: a non-forced format; namespace nsd: forced level on Log; nsd.child: closer format.
    expect(
      (
        await client.call(
          'PUT',
          defaultsUrl('_'),
          `- type: io.kestra.plugin.core.debug
  values:
    format: from-tenant
`,
          yaml,
        )
      ).status,
    ).toBe(200);
    const parent = await client.call('PUT', defaultsUrl('nsd'), {
      defaults: [
        { type: 'io.kestra.plugin.core.debug.Return', values: { format: 'from-nsd' } },
        { type: 'io.kestra.plugin.core.log.Log', values: { message: 'forced by nsd' }, forced: true },
      ],
    });
    expect(parent.status).toBe(200);
    expect(parent.body).toMatchObject({ revision: 1, changed: true });
    expect(
      (
        await client.call(
          'PUT',
          defaultsUrl('nsd.child'),
          `- type: core.Return
  values:
    format: "from-child {{ flow.namespace }}"
`,
          yaml,
        )
      ).status,
    ).toBe(200);

    const flow = `
id: defaults-tree
namespace: nsd.child.leaf
pluginDefaults:
  - type: io.kestra.plugin.core.log.Log
    forced: true
    values:
      message: forced by the flow
tasks:
  - id: closest
    type: io.kestra.plugin.core.debug.Return
  - id: own
    type: io.kestra.plugin.core.debug.Return
    format: task value
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: the task's own message
`;
    const validated = await client.call('POST', '/api/v1/main/flows/validate', flow, yaml);
    expect(validated.body.valid).toBe(true);
    expect(validated.body.suppliedDefaults).toEqual([
      { taskId: 'closest', line: 11, column: 5, properties: [{ name: 'format', source: 'namespace nsd.child', forced: false }] },
      { taskId: 'say', line: 16, column: 5, properties: [{ name: 'message', source: 'namespace nsd', forced: true }] },
    ]);

    const done = await client.waitFor(await client.deployAndRun(flow));
    expect(done.state.current, done.error).toBe('SUCCESS');
    expect(taskRun(done, 'closest').outputs.value).toBe('from-child nsd.child.leaf');
    expect(taskRun(done, 'own').outputs.value).toBe('task value');
    const logs = await client.logs(done.id);
    expect(logs.body.map((l: any) => l.message)).toContain('forced by nsd');

    // What the namespace page shows: its own defaults and what it inherits.
    const page = await client.call('GET', defaultsUrl('nsd.child'));
    expect(page.body.inherited.map((l: any) => l.source)).toEqual(['tenant', 'namespace nsd']);

    // A change is a new revision and the next execution sees it (the plan cache is keyed by it).
    const changed = await client.call(
      'PUT',
      defaultsUrl('nsd.child'),
      `- type: core.Return
  values:
    format: changed
`,
      yaml,
    );
    expect(changed.body).toMatchObject({ revision: 2, changed: true });
    const again = await client.waitFor((await client.run('nsd.child.leaf', 'defaults-tree')).body.id);
    expect(taskRun(again, 'closest').outputs.value).toBe('changed');

    // Removing the child's defaults lets the parent's through.
    await client.call('PUT', defaultsUrl('nsd.child'), '[]\n', yaml);
    const third = await client.waitFor((await client.run('nsd.child.leaf', 'defaults-tree')).body.id);
    expect(taskRun(third, 'closest').outputs.value).toBe('from-nsd');
    await client.call('PUT', defaultsUrl('_'), '[]\n', yaml);
  });

  it('keeps every revision, answers an unchanged save without a new one, and exports YAML', async () => {
    const source = `- type: io.kestra.plugin.core.http
  values:
    uri: https://example.com/hook
`;
    expect((await client.call('PUT', defaultsUrl('nsd.hist'), source, yaml)).body).toMatchObject({ revision: 1, changed: true });
    expect((await client.call('PUT', defaultsUrl('nsd.hist'), source, yaml)).body).toMatchObject({ revision: 1, changed: false });
    await client.call('PUT', defaultsUrl('nsd.hist'), source.replace('hook', 'hook2'), yaml);
    const revisions = await client.call('GET', `${defaultsUrl('nsd.hist')}/revisions`);
    expect(revisions.body.map((r: any) => r.revision)).toEqual([2, 1]);
    expect(revisions.body[1].source).toBe(source);
    const exported = await fetch(`${client.base}${defaultsUrl('nsd.hist')}?source=yaml`, { headers: authHeaders() });
    expect(exported.headers.get('content-type')).toContain('yaml');
    expect(await exported.text()).toContain('hook2');
  });

  it('a required property supplied only by a namespace default lets the flow save; without it, it is reported', async () => {
    const flow = `
id: needs-uri
namespace: nsd.required
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
`;
    const before = await client.call('POST', '/api/v1/main/flows/validate', flow, yaml);
    expect(before.body.valid).toBe(false);
    expect(before.body.errors[0].message).toMatch(/uri/);
    await client.call('PUT', defaultsUrl('nsd.required'), { defaults: [{ type: 'io.kestra.plugin.core.http.Request', values: { uri: 'http://127.0.0.1:9/none' } }] });
    const saved = await client.deploy(flow);
    expect(saved.status).toBe(201);
  });
});
