// Kill switches (docs/kill-switch.md) through the REST API, on the real stack: each mode and
// scope, executions running, paused and waiting in a concurrency queue, a CANCEL switch reaching an
// execution between two tasks and inside a Parallel whose siblings still run, starts refused however they come (API, subflow, replay, restart),
// expiry by end date, who may set a switch, and the audit log.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KillSwitchPreviewSchema, KillSwitchSchema } from '@baton/contract';
import { api, checkContract, startTestServer, taskRun } from '@baton/testing';

const admin = api();
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const sleeping = (ns: string, id: string, extra = '') => `id: ${id}
namespace: ${ns}
${extra}tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M
`;
const paused = (ns: string, id: string) => `id: ${id}
namespace: ${ns}
tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
`;
const quick = (ns: string, id: string) => `id: ${id}
namespace: ${ns}
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

async function deploy(yaml: string) {
  const res = await admin.deploy(yaml);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}
async function start(ns: string, flowId: string, client = admin) {
  return client.call('POST', `/api/v1/main/executions/${ns}/${flowId}`, {});
}
async function started(ns: string, flowId: string) {
  const res = await start(ns, flowId);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
}
async function setSwitch(body: Record<string, unknown>, client = admin) {
  const res = await client.call('POST', '/api/v1/main/kill-switches', body);
  if (res.status === 201) checkContract(KillSwitchSchema, res.body, 'POST /kill-switches');
  return res;
}
async function lift(id: string) {
  const res = await admin.call('DELETE', `/api/v1/main/kill-switches/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Polls `check` until it returns something truthy (no fixed sleeps: the machine may be slow). */
async function until<T>(what: string, check: () => Promise<T> | T, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An HTTP server that answers a path only once the test releases it, and notes requests the client aborted. */
async function holdingServer() {
  const waiting = new Map<string, http.ServerResponse>();
  const released = new Set<string>();
  const aborted = new Set<string>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path }));
    if (released.has(path)) return answer();
    waiting.set(path, res);
    res.on('close', () => {
      if (!res.writableEnded) aborted.add(path);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    open: (path: string) => waiting.has(path) && !waiting.get(path)!.writableEnded && !aborted.has(path),
    aborted: (path: string) => aborted.has(path),
    release(path: string) {
      released.add(path);
      const res = waiting.get(path);
      if (res && !res.writableEnded) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path }));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('KILL switch on a namespace', () => {
  const ns = 'ks.kill';
  let running = '';
  let child = '';
  let pausedId = '';
  let slotHolder = '';
  let queued = '';
  let outside = '';
  let switchId = '';

  beforeAll(async () => {
    await deploy(sleeping(ns, 'sleeper'));
    await deploy(sleeping(`${ns}.sub`, 'sleeper'));
    await deploy(paused(ns, 'paused'));
    await deploy(sleeping(ns, 'limited', 'concurrency:\n  limit: 1\n  behavior: QUEUE\n'));
    await deploy(sleeping('ks.killother', 'sleeper'));
    await deploy(quick(ns, 'quick'));
    // The parent lives outside the switch; its subflow inside.
    await deploy(`id: parent
namespace: ks.outside
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: ${ns}
    flowId: quick
`);
    running = await started(ns, 'sleeper');
    child = await started(`${ns}.sub`, 'sleeper');
    pausedId = await started(ns, 'paused');
    slotHolder = await started(ns, 'limited');
    await admin.waitFor(slotHolder, ['RUNNING']);
    queued = await started(ns, 'limited');
    outside = await started('ks.killother', 'sleeper');
    await Promise.all([admin.waitFor(running, ['RUNNING']), admin.waitFor(child, ['RUNNING']), admin.waitFor(pausedId, ['PAUSED']), admin.waitFor(queued, ['QUEUED'])]);
    await admin.waitFor(outside, ['RUNNING']);
  });

  it('the preview shows the blast radius by flow: running, paused and queued, children included, nothing outside', async () => {
    const res = await admin.call('GET', `/api/v1/main/kill-switches/preview?namespace=${ns}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const preview = checkContract(KillSwitchPreviewSchema, res.body, 'preview');
    expect(preview.total).toEqual({ running: 3, paused: 1, queued: 1 });
    const flows = Object.fromEntries(preview.byFlow.map((f) => [`${f.namespace}.${f.flowId}`, f]));
    expect(flows[`${ns}.limited`]).toMatchObject({ running: 1, queued: 1, paused: 0 });
    expect(flows[`${ns}.paused`]).toMatchObject({ paused: 1 });
    expect(flows[`${ns}.sub.sleeper`]).toMatchObject({ running: 1 });
    expect(flows['ks.killother.sleeper']).toBeUndefined();
    // The whole tenant must be asked for by name.
    expect((await admin.call('GET', '/api/v1/main/kill-switches/preview')).status).toBe(400);
  });

  it('kills running, paused and queued executions in scope, recording the switch; the one outside runs on', async () => {
    const res = await setSwitch({ scope: { namespace: ns }, mode: 'KILL', reason: 'bad deploy of ks' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    switchId = res.body.id;
    expect(res.body).toMatchObject({ mode: 'KILL', active: true, affected: 5, createdBy: expect.any(String), scope: { namespace: ns, flowId: null, executionId: null } });
    for (const id of [running, child, pausedId, slotHolder, queued]) {
      const done = await admin.waitFor(id, ['KILLED', 'SUCCESS', 'FAILED', 'CANCELLED'], 30_000);
      expect(done.state.current, id).toBe('KILLED');
      expect(done.killSwitchId).toBe(switchId);
    }
    expect(taskRun(await admin.waitFor(pausedId, ['KILLED']), 'hold').state.current).toBe('KILLED');
    expect((await admin.execution(outside)).body.state.current).toBe('RUNNING');
    expect((await admin.execution(outside)).body.killSwitchId ?? null).toBeNull();
  });

  it('refuses new executions in scope with 409 naming the switch, its reason and who set it (API, children, subflow, replay, restart)', async () => {
    const refused = await start(ns, 'quick');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(switchId);
    expect(refused.body.message).toContain('bad deploy of ks');
    expect(refused.body.message).toMatch(/set by \S+/);
    expect((await start(`${ns}.sub`, 'sleeper')).status).toBe(409);
    // A namespace that only shares a prefix is not a child.
    const other = await start('ks.killother', 'sleeper');
    expect(other.status).toBe(200);
    await admin.kill(other.body.id);
    // Replay and restart of a killed execution.
    const replay = await admin.call('POST', `/api/v1/main/executions/${running}/replay`, {});
    expect(replay.status).toBe(409);
    expect(replay.body.message).toContain(switchId);
    const restart = await admin.call('POST', `/api/v1/main/executions/${running}/restart`);
    expect(restart.status).toBe(409);
    expect((await admin.execution(running)).body.state.current).toBe('KILLED');
    // A subflow: the parent is outside the switch, its child inside: the Subflow task fails saying why.
    const parent = await started('ks.outside', 'parent');
    const ended = await admin.waitFor(parent);
    expect(ended.state.current).toBe('FAILED');
    expect(taskRun(ended, 'call').state.current).toBe('FAILED');
    expect(ended.error).toContain(switchId);
  });

  it('lifting it lets executions start again, and no concurrency slot stayed taken', async () => {
    const lifted = await lift(switchId);
    expect(lifted).toMatchObject({ active: false, liftedBy: expect.any(String) });
    expect((await admin.call('DELETE', `/api/v1/main/kill-switches/${switchId}`)).status).toBe(409);
    const again = await started(ns, 'limited');
    // The flow's limit is 1 and both earlier executions were killed: this one runs at once.
    await admin.waitFor(again, ['RUNNING'], 15_000);
    await admin.kill(again);
    await admin.kill(outside);
    const quickRun = await started(ns, 'quick');
    expect((await admin.waitFor(quickRun)).state.current).toBe('SUCCESS');
  });

  it('setting and lifting are in the audit log', async () => {
    const set = await admin.call('GET', `/api/v1/main/auditlogs/search?action=killSwitch.set&resource=killSwitch:${switchId}`);
    expect(set.body.results).toHaveLength(1);
    expect(set.body.results[0].after).toMatchObject({ mode: 'KILL', reason: 'bad deploy of ks', affected: 5 });
    const lifted = await admin.call('GET', `/api/v1/main/auditlogs/search?action=killSwitch.lifted&resource=killSwitch:${switchId}`);
    expect(lifted.body.results).toHaveLength(1);
  });
});

describe('CANCEL switch on a flow', () => {
  const ns = 'ks.cancel';

  it('reaches an execution between two tasks: the running task finishes, the next never starts, it ends CANCELLED', async () => {
    await deploy(`id: two-steps
namespace: ${ns}
tasks:
  - id: first
    type: io.kestra.plugin.core.http.Request
    uri: "${server.url}/ks-cancel/{{ execution.id }}?delayMs=3000"
  - id: second
    type: io.kestra.plugin.core.log.Log
    message: should not run
`);
    await deploy(paused(ns, 'held'));
    const id = await started(ns, 'two-steps');
    await admin.waitFor(id, ['RUNNING']);
    // Wait until the first task's request is in flight.
    for (let i = 0; i < 100 && !server.calls(`/ks-cancel/${id}`).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.calls(`/ks-cancel/${id}`)).toHaveLength(1);
    const other = await started(ns, 'held');
    await admin.waitFor(other, ['PAUSED']);
    const res = await setSwitch({ scope: { namespace: ns, flowId: 'two-steps' }, mode: 'CANCEL', reason: 'stop after the current step' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.affected).toBe(1);
    const done = await admin.waitFor(id, ['SUCCESS', 'FAILED', 'KILLED', 'CANCELLED'], 30_000);
    expect(done.state.current).toBe('CANCELLED');
    expect(done.killSwitchId).toBe(res.body.id);
    expect(done.error).toContain('stop after the current step');
    expect(taskRun(done, 'first').state.current).toBe('SUCCESS');
    expect(done.taskRunList.some((t: any) => t.taskId === 'second')).toBe(false);
    // A flow scope: the other flow of the namespace is untouched, and starts.
    expect((await admin.execution(other)).body.state.current).toBe('PAUSED');
    expect((await start(ns, 'two-steps')).status).toBe(409);
    await lift(res.body.id);
    await admin.kill(other);
  });

  it('ends a paused execution CANCELLED, and one waiting in a concurrency queue', async () => {
    await deploy(sleeping(ns, 'limited', 'concurrency:\n  limit: 1\n  behavior: QUEUE\n'));
    const holder = await started(ns, 'limited');
    await admin.waitFor(holder, ['RUNNING']);
    const waiting = await started(ns, 'limited');
    await admin.waitFor(waiting, ['QUEUED']);
    const pausedId = await started(ns, 'held');
    await admin.waitFor(pausedId, ['PAUSED']);
    const res = await setSwitch({ scope: { namespace: ns }, mode: 'CANCEL', reason: 'drain ks.cancel' });
    expect(res.status).toBe(201);
    expect(res.body.affected).toBe(3);
    const p = await admin.waitFor(pausedId, ['SUCCESS', 'FAILED', 'KILLED', 'CANCELLED'], 30_000);
    expect(p.state.current).toBe('CANCELLED');
    expect(taskRun(p, 'hold').state.current).toBe('CANCELLED');
    const q = await admin.waitFor(waiting, ['SUCCESS', 'FAILED', 'KILLED', 'CANCELLED'], 30_000);
    expect(q.state.current).toBe('CANCELLED');
    expect(q.killSwitchId).toBe(res.body.id);
    expect(q.taskRunList).toEqual([]);
    // The holder's current task (a 5-minute Sleep) goes on: CANCEL does not interrupt it.
    expect((await admin.execution(holder)).body.state.current).toBe('RUNNING');
    await lift(res.body.id);
    await admin.kill(holder);
  });
});

describe('switches over tasks in the middle of an HTTP call', () => {
  const ns = 'ks.parallel';
  /** Holds each request until the test releases its path; says which requests the client aborted. */
  let held: Awaited<ReturnType<typeof holdingServer>>;
  beforeAll(async () => {
    held = await holdingServer();
  });
  afterAll(async () => {
    await held?.close();
  });

  it('running branches finish their current task, no new task starts, and the execution ends CANCELLED only once they have', async () => {
    await deploy(`id: fan-out
namespace: ${ns}
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: slow
        type: io.kestra.plugin.core.http.Request
        uri: "${held.url}/slow/{{ execution.id }}"
      - id: steps
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: fast
            type: io.kestra.plugin.core.http.Request
            uri: "${held.url}/fast/{{ execution.id }}"
          - id: next-step
            type: io.kestra.plugin.core.log.Log
            message: should not run
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: should not run either
`);
    const id = await started(ns, 'fan-out');
    await until('both branches calling', () => held.open(`/slow/${id}`) && held.open(`/fast/${id}`));
    const res = await setSwitch({ scope: { namespace: ns, flowId: 'fan-out' }, mode: 'CANCEL', reason: 'freeze during the incident' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.affected).toBe(1);

    // One branch's task finishes; its next task never starts: the branch ends CANCELLED.
    held.release(`/fast/${id}`);
    const branchDone = await until('the Sequential branch ended', async () => {
      const e = (await admin.execution(id)).body;
      return e.taskRunList.some((t: any) => t.taskId === 'steps' && t.state.current !== 'RUNNING' && t.state.current !== 'CREATED') ? e : undefined;
    });
    expect(taskRun(branchDone, 'fast').state.current).toBe('SUCCESS');
    expect(taskRun(branchDone, 'steps').state.current).toBe('CANCELLED');
    // The other branch is still in its task: neither the block nor the execution may end before it.
    expect(branchDone.state.current).toBe('RUNNING');
    expect(taskRun(branchDone, 'both').state.current).toBe('RUNNING');
    expect(held.aborted(`/slow/${id}`)).toBe(false);

    held.release(`/slow/${id}`);
    const done = await admin.waitFor(id, ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'], 60_000);
    expect(done.state.current).toBe('CANCELLED');
    expect(done.killSwitchId).toBe(res.body.id);
    expect(done.error).toContain('freeze during the incident');
    expect(taskRun(done, 'slow').state.current).toBe('SUCCESS');
    expect(taskRun(done, 'both').state.current).toBe('CANCELLED');
    expect(done.taskRunList.map((t: any) => t.taskId)).not.toContain('next-step');
    expect(done.taskRunList.map((t: any) => t.taskId)).not.toContain('after');
    expect(held.aborted(`/slow/${id}`)).toBe(false);
    await lift(res.body.id);
  });

  it('KILL aborts every request in flight and each execution ends KILLED with its history and the switch', async () => {
    await deploy(`id: calls
namespace: ${ns}.kill
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: "${held.url}/kill/{{ execution.id }}"
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: should not run
`);
    const ids = await Promise.all(Array.from({ length: 6 }, () => started(`${ns}.kill`, 'calls')));
    await until('every call in flight', () => ids.every((id) => held.open(`/kill/${id}`)));
    const res = await setSwitch({ scope: { namespace: `${ns}.kill` }, mode: 'KILL', reason: 'runaway calls' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.affected).toBe(6);
    for (const id of ids) {
      const done = await admin.waitFor(id, ['SUCCESS', 'FAILED', 'KILLED', 'CANCELLED'], 60_000);
      expect(done.state.current, id).toBe('KILLED');
      expect(done.killSwitchId).toBe(res.body.id);
      expect(done.state.histories.map((h: any) => h.state).slice(-2)).toEqual(['KILLING', 'KILLED']);
      const call = taskRun(done, 'call');
      expect(call.state.current).toBe('KILLED');
      expect(call.attempts.at(-1).state.current).toBe('KILLED');
      expect(done.taskRunList.map((t: any) => t.taskId)).not.toContain('after');
    }
    await until('every request aborted', () => ids.every((id) => held.aborted(`/kill/${id}`)));
    await lift(res.body.id);
  });
});

describe('BLOCK, execution scope and expiry', () => {
  const ns = 'ks.block';

  it('BLOCK refuses new executions only: the running one goes on', async () => {
    await deploy(sleeping(ns, 'sleeper'));
    const id = await started(ns, 'sleeper');
    await admin.waitFor(id, ['RUNNING']);
    const res = await setSwitch({ scope: { namespace: ns, flowId: 'sleeper' }, mode: 'BLOCK', reason: 'freeze' });
    expect(res.status).toBe(201);
    expect(res.body.affected).toBe(0);
    expect((await start(ns, 'sleeper')).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await admin.execution(id)).body.state.current).toBe('RUNNING');
    await lift(res.body.id);
    await admin.kill(id);
  });

  it('an execution scope kills that execution and refuses its restart; its flow still starts', async () => {
    await deploy(paused(ns, 'one'));
    const target = await started(ns, 'one');
    const sibling = await started(ns, 'one');
    await Promise.all([admin.waitFor(target, ['PAUSED']), admin.waitFor(sibling, ['PAUSED'])]);
    const res = await setSwitch({ scope: { executionId: target }, mode: 'KILL', reason: 'this one only' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.scope).toMatchObject({ executionId: target, namespace: ns, flowId: 'one' });
    expect((await admin.waitFor(target, ['KILLED'], 30_000)).killSwitchId).toBe(res.body.id);
    expect((await admin.execution(sibling)).body.state.current).toBe('PAUSED');
    const restart = await admin.call('POST', `/api/v1/main/executions/${target}/restart`);
    expect(restart.status).toBe(409);
    expect(restart.body.message).toContain('this one only');
    const fresh = await start(ns, 'one');
    expect(fresh.status).toBe(200);
    await lift(res.body.id);
    expect((await admin.call('POST', `/api/v1/main/executions/${target}/restart`)).status).toBeLessThan(300);
    for (const id of [target, sibling, fresh.body.id]) await admin.kill(id);
    expect((await setSwitch({ scope: { executionId: 'no-such-execution' }, mode: 'KILL', reason: 'x' })).status).toBe(404);
  });

  it('an end date lifts the switch by itself', async () => {
    await deploy(quick(ns, 'expiring'));
    const endDate = new Date(Date.now() + 2500).toISOString();
    const res = await setSwitch({ scope: { namespace: ns, flowId: 'expiring' }, mode: 'BLOCK', reason: 'short freeze', endDate });
    expect(res.status).toBe(201);
    expect(res.body.endDate).toBe(endDate);
    const refused = await start(ns, 'expiring');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`until ${endDate}`);
    await new Promise((r) => setTimeout(r, 3000));
    const ok = await start(ns, 'expiring');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const after = await admin.call('GET', `/api/v1/main/kill-switches/${res.body.id}`);
    expect(after.body).toMatchObject({ active: false, liftedAt: null });
    const inForce = await admin.call('GET', `/api/v1/main/kill-switches?inForce=true&namespace=${ns}&flowId=expiring`);
    expect(inForce.body.results.map((k: any) => k.id)).not.toContain(res.body.id);
  });

  it('bad requests are 4xx that say what to send', async () => {
    expect((await setSwitch({ scope: { namespace: ns }, mode: 'STOP', reason: 'x' })).status).toBe(400);
    expect((await setSwitch({ scope: { namespace: ns }, mode: 'KILL' })).status).toBe(400);
    expect((await setSwitch({ scope: { flowId: 'x' }, mode: 'KILL', reason: 'x' })).status).toBe(400);
    expect((await setSwitch({ scope: { namespace: ns, bogus: 1 }, mode: 'KILL', reason: 'x' })).status).toBe(400);
    expect((await setSwitch({ scope: { namespace: ns }, mode: 'KILL', reason: 'x', endDate: 'tomorrow' })).status).toBe(400);
    expect((await setSwitch({ scope: { namespace: ns }, mode: 'KILL', reason: 'x', endDate: '2020-01-01T00:00:00Z' })).status).toBe(422);
    expect((await admin.call('GET', '/api/v1/main/kill-switches/ks_nope')).status).toBe(404);
  });
});

describe('who may set a switch', () => {
  let operator: ReturnType<typeof api>;

  beforeAll(async () => {
    const user = await admin.call('POST', '/api/v1/main/users', { email: 'ks-operator@ks.test', password: 'a-long-password' });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'OPERATOR', namespace: 'ks.ops' })).status).toBe(201);
    const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'ks' });
    operator = api({ authorization: `Bearer ${token.body.token}` });
    await deploy(quick('ks.ops.team', 'f'));
  });

  it('an operator sets and lifts switches within their namespaces, not tenant-wide nor elsewhere', async () => {
    const own = await setSwitch({ scope: { namespace: 'ks.ops.team' }, mode: 'BLOCK', reason: 'ops freeze' }, operator);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.createdBy).toBe('ks-operator@ks.test');
    const refused = await start('ks.ops.team', 'f');
    expect(refused.body.message).toContain('ks-operator@ks.test');
    expect((await setSwitch({ scope: {}, mode: 'BLOCK', reason: 'everything' }, operator)).status).toBe(403);
    expect((await setSwitch({ scope: { namespace: 'ks.other' }, mode: 'BLOCK', reason: 'not mine' }, operator)).status).toBe(403);
    expect((await operator.call('GET', '/api/v1/main/kill-switches/preview?tenant=true')).status).toBe(403);
    expect((await operator.call('DELETE', `/api/v1/main/kill-switches/${own.body.id}`)).status).toBe(200);
    expect((await start('ks.ops.team', 'f')).status).toBe(200);
  });
});

describe('tenant scope', () => {
  it('a KILL switch on a tenant kills its executions and refuses new ones there only', async () => {
    const tenant = 'kstenant';
    expect([201, 409]).toContain((await admin.call('POST', '/api/v1/tenants', { id: tenant })).status);
    const deployed = await admin.call('POST', `/api/v1/${tenant}/flows`, sleeping('ks.t', 'sleeper'), 'application/x-yaml');
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
    const run = await admin.call('POST', `/api/v1/${tenant}/executions/ks.t/sleeper`, {});
    expect(run.status).toBe(200);
    const read = async () => (await admin.call('GET', `/api/v1/${tenant}/executions/${run.body.id}`)).body;
    for (let i = 0; i < 100 && (await read()).state.current !== 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
    const preview = await admin.call('GET', `/api/v1/${tenant}/kill-switches/preview?tenant=true`);
    expect(preview.body.total.running).toBe(1);
    const res = await admin.call('POST', `/api/v1/${tenant}/kill-switches`, { scope: {}, mode: 'KILL', reason: 'tenant incident' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ scopeText: 'the whole tenant', affected: 1 });
    for (let i = 0; i < 200 && (await read()).state.current !== 'KILLED'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await read()).killSwitchId).toBe(res.body.id);
    expect((await admin.call('POST', `/api/v1/${tenant}/executions/ks.t/sleeper`, {})).status).toBe(409);
    // Tenant main is not under it.
    await deploy(quick('ks.t', 'elsewhere'));
    expect((await start('ks.t', 'elsewhere')).status).toBe(200);
    expect((await admin.call('DELETE', `/api/v1/${tenant}/kill-switches/${res.body.id}`)).status).toBe(200);
  });
});
