// Apps (docs/apps.md) through the real API: management with line/column errors, access by the
// app's own rule (PUBLIC without sign-in, PRIVATE, groups), starts that carry the app label and
// the requester, and the stage the app page is in as the execution moves.
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '@baton/testing';

const admin = api();
const anonymous = api({});
const tokens: Record<string, string> = {};
const emails: Record<string, string> = {};
const as = (name: string) => api({ authorization: `Bearer ${tokens[name]}` });
const yaml = (client: ReturnType<typeof api>, method: string, path: string, body: string) => client.call(method, path, body, 'application/x-yaml');

async function person(name: string, bindings: { role: string; namespace?: string }[] = [], groups: string[] = []) {
  const email = `${name}@apps.test`;
  const user = await admin.call('POST', '/api/v1/main/users', { email, password: 'a-long-password' });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  for (const b of bindings) expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, ...b })).status).toBe(201);
  for (const g of groups) expect((await admin.call('PUT', `/api/v1/main/groups/${g}/members/${user.body.id}`)).status).toBe(200);
  tokens[name] = (await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'apps test' })).body.token;
  emails[name] = email;
}

const PROVISION = `id: provision
namespace: apps.team
inputs:
  - id: hostname
    type: STRING
  - id: cpus
    type: INT
    defaults: 2
tasks:
  - id: make
    type: io.kestra.plugin.core.output.OutputValues
    values:
      ip: "10.0.0.{{ inputs.cpus }}"
      secretish: internal
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "made {{ inputs.hostname }}"
outputs:
  - id: ip
    value: "{{ outputs.make.values.ip }}"
  - id: internal
    value: "{{ outputs.make.values.secretish }}"
`;

const APPROVAL = `id: approval
namespace: apps.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: approved
`;

const app = (id: string, access: string, extra = '', flowId = 'provision') => `id: ${id}
type: io.kestra.plugin.ee.apps.Execution
displayName: App ${id}
namespace: apps.team
flowId: ${flowId}
tags: [infra]
access:
${access}
layout:
  - on: OPEN
    blocks:
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionForm
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionButton
        text: Go
  - on: RUNNING
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Loading
  - on: PAUSE
    blocks:
      - type: io.kestra.plugin.ee.apps.execution.blocks.ResumeExecutionButton
      - type: io.kestra.plugin.ee.apps.execution.blocks.CancelExecutionButton
        text: Reject
  - on: SUCCESS
    blocks:
      - type: io.kestra.plugin.ee.apps.execution.blocks.Outputs
        filter:
          include: [ip]
      - type: io.kestra.plugin.ee.apps.execution.blocks.Logs
${extra}`;

beforeAll(async () => {
  expect((await yaml(admin, 'POST', '/api/v1/main/flows', PROVISION)).status).toBeLessThan(300);
  expect((await yaml(admin, 'POST', '/api/v1/main/flows', APPROVAL)).status).toBeLessThan(300);
  expect((await admin.call('POST', '/api/v1/main/groups', { id: 'requesters' })).status).toBe(201);
  await person('editor', [{ role: 'EDITOR', namespace: 'apps.team' }]);
  await person('other-editor', [{ role: 'EDITOR', namespace: 'elsewhere' }]);
  await person('requester', [], ['requesters']);
  await person('outsider');
  for (const [id, access] of [
    ['public-app', '  type: PUBLIC'],
    ['private-app', '  type: PRIVATE'],
    ['group-app', '  type: PRIVATE\n  groups: [requesters]'],
  ]) {
    const res = await yaml(admin, 'POST', '/api/v1/main/apps', app(id, access));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  expect((await yaml(admin, 'POST', '/api/v1/main/apps', app('approval-app', '  type: PRIVATE', '', 'approval'))).status).toBe(201);
});

describe('managing apps', () => {
  it('validates with every error at its line and column, and refuses to save an invalid app with them', async () => {
    const bad = app('bad', '  type: SECRET').replace('text: Go', 'txt: Go');
    const checked = await yaml(as('editor'), 'POST', '/api/v1/main/apps/validate', bad);
    expect(checked.status).toBe(200);
    expect(checked.body.valid).toBe(false);
    expect(checked.body.errors.map((e: any) => [e.line, e.column])).toEqual([
      [8, 9],
      [14, 9],
    ]);
    expect(checked.body.errors[1].message).toMatch(/unknown key 'txt'/);
    const saved = await yaml(as('editor'), 'POST', '/api/v1/main/apps', bad);
    expect(saved.status).toBe(422);
    expect(saved.body.errors).toEqual(checked.body.errors);
    expect(saved.body.message).toMatch(/line 8, column 9/);

    const noFlow = await yaml(as('editor'), 'POST', '/api/v1/main/apps', app('ghost', '  type: PUBLIC', '', 'no-such-flow'));
    expect(noFlow.status).toBe(422);
    expect(noFlow.body.errors[0]).toMatchObject({ path: 'flowId', line: 5, column: 9 });

    const good = await yaml(as('editor'), 'POST', '/api/v1/main/apps/validate', app('fine', '  type: PUBLIC'));
    expect(good.body).toMatchObject({ valid: true, errors: [], app: { id: 'fine', access: { type: 'PUBLIC', groups: [], catalog: true } } });
    expect((await yaml(as('editor'), 'POST', '/api/v1/main/apps/validate', 'id: [')).body.errors[0]).toMatchObject({ line: 1 });
  });

  it('creates, refuses a second create, updates as a new revision, lists, gets and deletes', async () => {
    const created = await yaml(as('editor'), 'POST', '/api/v1/main/apps', app('crud-app', '  type: PRIVATE'));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ id: 'crud-app', namespace: 'apps.team', flowId: 'provision', revision: 1, createdBy: emails.editor, tags: ['infra'] });
    expect((await yaml(as('editor'), 'POST', '/api/v1/main/apps', app('crud-app', '  type: PRIVATE'))).status).toBe(409);

    const changed = app('crud-app', '  type: PUBLIC').replace('displayName: App crud-app', 'displayName: Renamed');
    const updated = await yaml(as('editor'), 'PUT', '/api/v1/main/apps/crud-app', changed);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ displayName: 'Renamed', revision: 2, updatedBy: emails.editor, access: { type: 'PUBLIC' } });
    expect((await yaml(as('editor'), 'PUT', '/api/v1/main/apps/crud-app', app('other-id', '  type: PUBLIC'))).status).toBe(400);
    expect((await yaml(as('editor'), 'PUT', '/api/v1/main/apps/crud-app', 'id: crud-app\nlayout: 3\n')).status).toBe(422);

    const got = await as('editor').call('GET', '/api/v1/main/apps/crud-app');
    expect(got.status).toBe(200);
    expect(got.body.source).toBe(changed);
    const list = await as('editor').call('GET', '/api/v1/main/apps/search?q=crud');
    expect(list.body.results.map((a: any) => a.id)).toEqual(['crud-app']);
    expect((await as('editor').call('GET', '/api/v1/main/apps/search?tags=infra')).body.total).toBeGreaterThanOrEqual(4);

    expect((await as('editor').call('DELETE', '/api/v1/main/apps/crud-app')).status).toBe(204);
    expect((await as('editor').call('GET', '/api/v1/main/apps/crud-app')).status).toBe(404);
    // Re-created, it continues the revision numbering its deleted self left.
    expect((await yaml(as('editor'), 'POST', '/api/v1/main/apps', app('crud-app', '  type: PRIVATE'))).body.revision).toBe(3);
  });

  it('is an Editor’s job, in the app’s namespace only', async () => {
    const elsewhere = await yaml(as('other-editor'), 'POST', '/api/v1/main/apps', app('sneaky', '  type: PUBLIC'));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toContain('lacks flows.write in namespace apps.team');
    expect((await as('other-editor').call('GET', '/api/v1/main/apps/public-app')).status).toBe(403);
    expect((await as('other-editor').call('DELETE', '/api/v1/main/apps/public-app')).status).toBe(403);
    expect((await as('other-editor').call('GET', '/api/v1/main/apps/search')).body.results).toEqual([]);
    expect((await yaml(as('requester'), 'POST', '/api/v1/main/apps', app('sneaky', '  type: PUBLIC'))).status).toBe(403);
    expect((await as('requester').call('GET', '/api/v1/main/apps/public-app')).status).toBe(403);
  });
});

describe('who may use an app', () => {
  it('PUBLIC without signing in; PRIVATE for signed-in users; groups for their members', async () => {
    const pub = await anonymous.call('GET', '/api/v1/main/apps/public-app/view');
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body.inputs.map((i: any) => i.id)).toEqual(['hostname', 'cpus']);
    expect(pub.body.layout[0]).toMatchObject({ on: 'OPEN', blocks: [{ type: 'CreateExecutionForm' }, { type: 'CreateExecutionButton', text: 'Go' }] });
    expect(pub.body.source).toBeUndefined();

    expect((await anonymous.call('GET', '/api/v1/main/apps/private-app/view')).status).toBe(401);
    expect((await as('outsider').call('GET', '/api/v1/main/apps/private-app/view')).status).toBe(200);

    expect((await anonymous.call('GET', '/api/v1/main/apps/group-app/view')).status).toBe(401);
    const outsider = await as('outsider').call('GET', '/api/v1/main/apps/group-app/view');
    expect(outsider.status).toBe(403);
    expect(outsider.body.message).toContain('requesters');
    expect((await as('requester').call('GET', '/api/v1/main/apps/group-app/view')).status).toBe(200);

    // Wrong credentials stay a 401, even on a PUBLIC app; an unknown app is a 404.
    expect((await api({ authorization: 'Bearer not-a-token' }).call('GET', '/api/v1/main/apps/public-app/view')).status).toBe(401);
    expect((await anonymous.call('GET', '/api/v1/main/apps/no-such-app/view')).status).toBe(404);
    // Only the use routes are open: management and other routes still need sign-in.
    expect((await anonymous.call('GET', '/api/v1/main/apps/public-app')).status).toBe(401);
    expect((await anonymous.call('GET', '/api/v1/main/apps/catalog')).status).toBe(401);
  });

  it('lists in the catalog what each person may use', async () => {
    const ids = async (who: string) => ((await as(who).call('GET', '/api/v1/main/apps/catalog')).body.results as any[]).map((a) => a.id).sort();
    expect(await ids('outsider')).toEqual(expect.arrayContaining(['private-app', 'public-app']));
    expect(await ids('outsider')).not.toContain('group-app');
    expect(await ids('requester')).toEqual(expect.arrayContaining(['group-app', 'private-app', 'public-app']));
  });
});

describe('running an app', () => {
  it('starts the flow for a requester without any role, labelled with the app and recording who asked', async () => {
    // The requester may not start the flow directly: only the app lets them.
    expect((await as('requester').call('POST', '/api/v1/main/executions/apps.team/provision', { hostname: 'web-1' })).status).toBe(403);
    const bad = await as('requester').call('POST', '/api/v1/main/apps/group-app/executions', { cpus: 'many' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.input).sort()).toEqual(['cpus', 'hostname']);

    const started = await as('requester').call('POST', '/api/v1/main/apps/group-app/executions', { hostname: 'web-1', cpus: 4 });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const id = started.body.id;
    const execution = await admin.waitFor(id);
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.labels).toEqual(expect.arrayContaining([{ key: 'system.app', value: 'group-app' }]));
    expect(execution.triggeredBy).toBe(emails.requester);
    const byLabel = await admin.call('GET', '/api/v1/main/executions/search?labels=system.app:group-app');
    expect(byLabel.body.results.map((e: any) => e.id)).toContain(id);

    const view = await as('requester').call('GET', `/api/v1/main/apps/group-app/executions/${id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ state: 'SUCCESS', stage: 'SUCCESS', outputs: { ip: '10.0.0.4' }, canDecide: false });
    expect(view.body.outputs.internal).toBeUndefined(); // the Outputs block includes ip only
    expect(view.body.logs.some((l: any) => l.message === 'made web-1')).toBe(true);
    expect(view.body.inputs).toBeUndefined(); // no Inputs block at this stage

    // Someone outside the app's groups cannot read it, and the app is no window on other executions.
    expect((await as('outsider').call('GET', `/api/v1/main/apps/group-app/executions/${id}`)).status).toBe(403);
    expect((await as('requester').call('GET', `/api/v1/main/apps/private-app/executions/${id}`)).status).toBe(404);
    const direct = (await admin.call('POST', '/api/v1/main/executions/apps.team/provision', { hostname: 'x' })).body.id;
    expect((await as('requester').call('GET', `/api/v1/main/apps/group-app/executions/${direct}`)).status).toBe(404);
  });

  it('starts a PUBLIC app without signing in, as anonymous', async () => {
    const started = await anonymous.call('POST', '/api/v1/main/apps/public-app/executions', { hostname: 'anon-1' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const execution = await admin.waitFor(started.body.id);
    expect(execution.triggeredBy).toBe('anonymous');
    const view = await anonymous.call('GET', `/api/v1/main/apps/public-app/executions/${started.body.id}`);
    expect(view.body).toMatchObject({ stage: 'SUCCESS', outputs: { ip: '10.0.0.2' } });
    expect((await anonymous.call('POST', '/api/v1/main/apps/private-app/executions', { hostname: 'anon-2' })).status).toBe(401);
  });

  it('shows the PAUSE stage, offers the decision only to those who may resume, then SUCCESS', async () => {
    const started = await as('outsider').call('POST', '/api/v1/main/apps/approval-app/executions', {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const id = started.body.id;
    await admin.waitFor(id, ['PAUSED']);
    const requesterView = await as('outsider').call('GET', `/api/v1/main/apps/approval-app/executions/${id}`);
    expect(requesterView.body).toMatchObject({
      state: 'PAUSED',
      stage: 'PAUSE',
      canDecide: false,
      blocks: [{ type: 'ResumeExecutionButton' }, { type: 'CancelExecutionButton', text: 'Reject' }],
    });
    expect((await as('outsider').call('POST', `/api/v1/main/executions/${id}/resume`, {})).status).toBe(403);
    const adminView = await admin.call('GET', `/api/v1/main/apps/approval-app/executions/${id}`);
    expect(adminView.body.canDecide).toBe(true);
    expect((await admin.resume(id)).status).toBeLessThan(300);
    await admin.waitFor(id);
    expect((await as('outsider').call('GET', `/api/v1/main/apps/approval-app/executions/${id}`)).body.stage).toBe('SUCCESS');
  });

  it('rejects (kills) a paused one: the FAILURE stage', async () => {
    const id = (await as('outsider').call('POST', '/api/v1/main/apps/approval-app/executions', {})).body.id;
    await admin.waitFor(id, ['PAUSED']);
    expect((await admin.kill(id)).status).toBe(202);
    await admin.waitFor(id, ['KILLED']);
    // No FAILURE entry and no FALLBACK in this layout: the stage is named, with no blocks.
    expect((await as('outsider').call('GET', `/api/v1/main/apps/approval-app/executions/${id}`)).body).toMatchObject({ stage: 'FAILURE', blocks: [] });
  });
});
