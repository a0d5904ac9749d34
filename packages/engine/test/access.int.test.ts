// Every route of GET /api/v1 × every kind of caller, checked against the access rules kept next to
// the router (apps/web/src/server/api/access-rules.ts): a new route without a rule fails here.
// Then what listings show to whom, inheritance down the namespace tree, groups, and the 403s.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, rawRequest } from '@baton/testing';
import { PERMISSIONS, ROLE_PERMISSIONS, allows, type Grant, type Permission } from '../src/services/identity/roles';
import { ACCESS_RULES, type AccessRule } from '../../../apps/web/src/server/api/access-rules';

const admin = api();
const base = () => inject('apiUrl');

interface Person {
  name: string;
  userId: string;
  email: string;
  token: string;
  grants: Grant[];
}
const people: Record<string, Person> = {};
let executionA = '';
let revokedToken = '';

async function person(name: string, grants: Grant[]): Promise<Person> {
  const email = `${name}@access.test`;
  const user = await admin.call('POST', '/api/v1/main/users', { email, password: 'a-long-password' });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  for (const g of grants) {
    const b = await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: g.role, ...(g.namespace ? { namespace: g.namespace } : {}) });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
  }
  const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'access test' });
  return (people[name] = { name, userId: user.body.id, email, token: token.body.token, grants });
}

const flow = (ns: string, id: string) => `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;

beforeAll(async () => {
  for (const [ns, id] of [
    ['team.a', 'flow-a'],
    ['team.a.sub', 'flow-a-sub'],
    ['team.b', 'flow-b'],
  ]) {
    expect((await admin.deploy(flow(ns, id))).status).toBeLessThan(300);
  }
  executionA = (await admin.run('team.a', 'flow-a')).body.id;
  // A PUBLIC app in team.a: its use routes answer everyone, its management routes Editors of team.a.
  const app = `id: access-app\ntype: io.kestra.plugin.ee.apps.Execution\ndisplayName: Access\nnamespace: team.a\nflowId: flow-a\naccess:\n  type: PUBLIC\n`;
  expect((await admin.call('POST', '/api/v1/main/apps', app, 'application/x-yaml')).status).toBe(201);
  await admin.run('team.b', 'flow-b');
  await person('viewer-b', [{ role: 'VIEWER', namespace: 'team.b' }]);
  await person('viewer', [{ role: 'VIEWER', namespace: 'team.a' }]);
  await person('operator', [{ role: 'OPERATOR', namespace: 'team.a' }]);
  await person('editor', [{ role: 'EDITOR', namespace: 'team.a' }]);
  await person('admin', [{ role: 'ADMIN', namespace: '' }]);
  const revoked = await admin.call('POST', `/api/v1/main/users/${people.viewer.userId}/api-tokens`, { name: 'to revoke' });
  revokedToken = revoked.body.token;
  await admin.call('DELETE', `/api/v1/main/users/${people.viewer.userId}/api-tokens/${revoked.body.id}`);
});

/** Concrete values for a route's path parameters (the `:id` of each resource is different). */
function fill(pattern: string): string {
  return pattern
    .replace(/\/apps\/:id/, '/apps/access-app')
    .replace(/\/blueprints\/:kind\/:id/, '/blueprints/shipped/nightly-purge')
    .replace(/\/blueprints\/custom\/:id/, '/blueprints/custom/no-such-blueprint')
    .replace(':executionId', executionA)
    .replace(/\/executions\/:id/, `/executions/${executionA}`)
    .replace(/\/logs\/:executionId/, `/logs/${executionA}`)
    .replace(/\/flows\/:namespace\/:id/, '/flows/team.a/flow-a')
    .replace(/\/executions\/:namespace\/:flowId/, '/executions/team.a/flow-a')
    .replace(/\/users\/:id/, () => `/users/${people.viewer.userId}`)
    .replace(/\/groups\/:id/, '/groups/no-such-group')
    .replace(/\/bindings\/:id/, '/bindings/no-such-binding')
    .replace(':tenant', 'main')
    .replace(':namespace', 'team.a')
    .replace(':revision', '1')
    .replace(':type', 'io.kestra.plugin.core.log.Log')
    .replace(':name', 'ACCESS_TEST')
    .replace(':tokenId', 'no-such-token')
    .replace(':taskRunId', 'no-such-task-run')
    .replace(':key', 'access_test_key')
    .replace(':userId', () => people.viewer.userId);
}

type Expected = 'allowed' | 401 | 403;

/** What the rule says a caller with these grants gets for the filled-in route (namespace team.a). */
function expected(rule: AccessRule, who: Person | undefined): Expected {
  if (rule.kind === 'public') return 'allowed';
  if (!who) return 401;
  const can = (p: Permission, ns: string) => allows(who.grants, p, ns);
  const somewhere = (p: Permission) => who.grants.some((g) => ROLE_PERMISSIONS[g.role].includes(p));
  switch (rule.kind) {
    case 'signedIn':
      return 'allowed';
    case 'instanceAdmin':
      return 403;
    case 'tenant':
      return can(rule.permission, '') ? 'allowed' : 403;
    case 'namespace':
    case 'execution':
    case 'app':
      return can(rule.permission, 'team.a') ? 'allowed' : 403;
    case 'somewhere':
      return somewhere(rule.permission) ? 'allowed' : 403;
    // Everyone here is bound in tenant main only, so "any tenant" is "somewhere in main".
    case 'anyTenant':
      return somewhere(rule.permission) ? 'allowed' : 403;
    case 'appUse':
      return 'allowed'; // the app is PUBLIC
    case 'selfOrAdmin':
      return who.userId === people.viewer.userId || can('users.manage', '') ? 'allowed' : 403;
  }
}

describe('what each caller sees', () => {
  const as = (name: string) => api({ authorization: `Bearer ${people[name].token}` });

  it('a viewer of team.b searching executions sees no team.a execution and gets no count of them', async () => {
    const search = await as('viewer-b').call('GET', '/api/v1/main/executions/search?size=200');
    expect(search.status).toBe(200);
    expect(search.body.results.length).toBeGreaterThan(0);
    expect(search.body.results.every((e: any) => e.namespace === 'team.b')).toBe(true);
    expect(search.body.total).toBe(search.body.results.length);
    const filtered = await as('viewer-b').call('GET', '/api/v1/main/executions/search?namespace=team.a');
    expect(filtered.body).toMatchObject({ results: [], total: 0 });
    const list = await as('viewer-b').call('GET', '/api/v1/main/executions/list?namespace=team.a');
    expect(list.body.results).toEqual([]);
    expect(list.body.total).toBe(0);
    const flows = await as('viewer-b').call('GET', '/api/v1/main/flows/search?size=200');
    expect(flows.body.results.map((f: any) => f.namespace)).toEqual(['team.b']);
    const namespaces = await as('viewer-b').call('GET', '/api/v1/main/namespaces');
    expect(namespaces.body.map((n: any) => n.namespace)).toEqual(['team.b']);
  });

  it('a binding at a namespace covers its children, not its siblings', async () => {
    const flows = await as('viewer').call('GET', '/api/v1/main/flows/search?size=200');
    expect(flows.body.results.map((f: any) => `${f.namespace}/${f.id}`).sort()).toEqual(['team.a.sub/flow-a-sub', 'team.a/flow-a']);
    expect((await as('viewer').call('GET', '/api/v1/main/flows/team.a.sub/flow-a-sub')).status).toBe(200);
    const sibling = await as('viewer').call('GET', '/api/v1/main/flows/team.b/flow-b');
    expect(sibling.status).toBe(403);
    expect(sibling.body.message).toContain('lacks flows.read in namespace team.b');
  });

  it('a refusal names the permission and the namespace, and a role bound to a group counts for its members', async () => {
    const person = await as('viewer').call('POST', `/api/v1/main/executions/team.a/flow-a`, {});
    expect(person.status).toBe(403);
    expect(person.body.message).toMatch(/lacks executions\.start in namespace team\.a of tenant main.*OPERATOR/);

    expect((await admin.call('POST', '/api/v1/main/groups', { id: 'runners' })).status).toBe(201);
    expect((await admin.call('PUT', `/api/v1/main/groups/runners/members/${people.viewer.userId}`)).status).toBe(200);
    expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'GROUP', id: 'runners' }, role: 'OPERATOR', namespace: 'team.a' })).status).toBe(201);
    const started = await as('viewer').call('POST', `/api/v1/main/executions/team.a/flow-a`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const me = await as('viewer').call('GET', '/api/v1/main/me');
    expect(me.body.permissions['executions.start']).toEqual(['team.a']);
    expect(me.body.permissions['users.manage']).toEqual([]);

    expect((await admin.call('DELETE', `/api/v1/main/groups/runners/members/${people.viewer.userId}`)).status).toBe(200);
    expect((await as('viewer').call('POST', `/api/v1/main/executions/team.a/flow-a`, {})).status).toBe(403);
  });

  it('an editor of team.a cannot save a flow into team.b by naming it in the YAML', async () => {
    const res = await as('editor').call('POST', '/api/v1/main/flows', flow('team.b', 'sneaky'), 'application/x-yaml');
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('lacks flows.write in namespace team.b');
    expect((await as('editor').call('POST', '/api/v1/main/flows', flow('team.a', 'fine'), 'application/x-yaml')).status).toBe(201);
  });

  it('an operator may not kill, by ids, an execution outside their namespaces', async () => {
    const b = (await admin.call('GET', '/api/v1/main/executions/search?namespace=team.b')).body.results[0].id;
    const res = await as('operator').call('DELETE', '/api/v1/main/executions/kill/by-ids', { ids: [executionA, b] });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('team.b');
  });

  it('refuses a binding to an unknown role or user with the fix', async () => {
    const role = await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: people.viewer.userId }, role: 'OWNER' });
    expect(role.status).toBe(400);
    expect(role.body.message).toContain('ADMIN, EDITOR, OPERATOR, APPROVER, VIEWER');
    const user = await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: 'nobody' }, role: 'VIEWER' });
    expect(user.status).toBe(422);
  });

  it('lists every permission for the admin as "all"', async () => {
    const me = await as('admin').call('GET', '/api/v1/main/me');
    for (const p of PERMISSIONS) expect(me.body.permissions[p]).toBe('all');
  });
});

describe('route × role', () => {
  it('has an access rule for every route GET /api/v1 lists, and no rule for a route that does not exist', async () => {
    const listed = (await admin.call('GET', '/api/v1')).body.routes as string[];
    expect(listed.length).toBeGreaterThan(50);
    expect(
      listed.filter((r) => !ACCESS_RULES[r]),
      'routes without a rule in access-rules.ts',
    ).toEqual([]);
    expect(
      Object.keys(ACCESS_RULES).filter((k) => !listed.includes(k)),
      'rules for routes that do not exist',
    ).toEqual([]);
  });

  it('answers every route for anonymous, wrong password, revoked token, viewer of another namespace, viewer, operator, editor and admin as the table says', async () => {
    const listed = (await admin.call('GET', '/api/v1')).body.routes as string[];
    const callers: { label: string; who?: Person; headers: (i: number) => Record<string, string> }[] = [
      { label: 'anonymous', headers: () => ({ authorization: '' }) },
      // A different unknown account and address each time: the answer stays 401, never a throttle's 429.
      {
        label: 'wrong password',
        headers: (i) => ({
          authorization: `Basic ${Buffer.from(`nobody-${i}@access.test:wrong-password`).toString('base64')}`,
          'x-forwarded-for': `198.51.${Math.floor(i / 250)}.${i % 250}`,
        }),
      },
      { label: 'revoked token', headers: () => ({ authorization: `Bearer ${revokedToken}` }) },
      ...['viewer-b', 'viewer', 'operator', 'editor', 'admin'].map((name) => ({
        label: name,
        who: people[name],
        headers: () => ({ authorization: `Bearer ${people[name].token}` }),
      })),
    ];
    const mismatches: string[] = [];
    let i = 0;
    for (const caller of callers) {
      for (const route of listed) {
        const [method, pattern] = route.split(' ');
        const rule = ACCESS_RULES[route];
        const want =
          caller.label === 'anonymous' || caller.label === 'wrong password' || caller.label === 'revoked token'
            ? rule.kind === 'public' || (rule.kind === 'appUse' && caller.label === 'anonymous')
              ? 'allowed'
              : 401
            : expected(rule, caller.who);
        const res = await rawRequest(base(), {
          method,
          path: fill(pattern),
          // Node answers a DELETE body without a length with a bare 400: say the length.
          headers: { ...caller.headers(i++), ...(method === 'GET' ? {} : { 'content-type': 'application/json', 'content-length': '2' }) },
          body: method === 'GET' ? undefined : '{}',
        });
        // Allowed: any answer but a refusal (400 for the empty body, 404, 409 …), and never a 500.
        // The setup route is public and answers a missing setup token with 403 by design.
        const got: Expected | number = res.status === 401 || (res.status === 403 && pattern !== '/api/v1/setup') ? res.status : 'allowed';
        if (got !== want || res.status >= 500) mismatches.push(`${caller.label} ${route}: expected ${want}, got ${res.status} ${res.text.slice(0, 160)}`);
        if (res.status === 403 && pattern !== '/api/v1/setup' && rule.kind !== 'instanceAdmin' && !/lacks [a-zA-Z.]+ (in|tenant-wide)/.test(res.json?.message ?? '')) {
          mismatches.push(`${caller.label} ${route}: a 403 must name the permission and where: ${res.text.slice(0, 160)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
