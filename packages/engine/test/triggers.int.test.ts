// Triggers on the real stack (docs/triggers.md): Schedule (seconds cron, disabled, missed schedules
// after the scheduler was away, no duplicate fire), Webhook (synchronous outputs, wrong key) and
// Flow triggers (once per upstream end, states, preconditions). Nothing here waits for minutes: the
// schedules use a seconds cron, and "the scheduler was down for 3 hours" is the trigger's last
// handled time moved 3 hours back before the scheduler is woken.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { getDb } from '@baton/db';
import { defaultRegistry } from '@baton/plugin-catalog';
import { api, taskRun } from '@baton/testing';
import { EncryptionCodec, ExecutionService, FlowService, keyringFrom, scheduleWorkflowId, TriggerService } from '../src/index';

const client = api();
const db = getDb(inject('databaseUrl'));
const NS = 'test.triggers';
let connection: Connection | undefined;
let temporal: Client | undefined;

async function temporalClient(): Promise<Client> {
  connection ??= await Connection.connect({ address: inject('temporalAddress') });
  temporal ??= new Client({ connection, dataConverter: { payloadCodecs: [new EncryptionCodec(keyringFrom(inject('encryptionKey'), undefined))] } });
  return temporal;
}

/** The services as a second worker would build them (a "restarted" scheduler). */
async function triggerService() {
  const flows = new FlowService(db, defaultRegistry());
  const executions = new ExecutionService(db, flows, temporalClient);
  return new TriggerService(db, flows, executions, temporalClient);
}

async function executionsOf(flowId: string): Promise<any[]> {
  const res = await client.call('GET', `/api/v1/main/executions/search?namespace=${NS}&flowId=${flowId}&size=100`);
  expect(res.status).toBe(200);
  return res.body.results;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false | ''>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const deployed: string[] = [];
async function deploy(yaml: string) {
  const res = await client.deploy(yaml);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  deployed.push(res.body.id);
  return res.body;
}

afterAll(async () => {
  // Deleting a flow ends its schedulers: nothing keeps firing after the suite.
  for (const id of deployed) await client.call('DELETE', `/api/v1/main/flows/${NS}/${id}`);
  await connection?.close();
});

const logTask = `tasks:
  - id: when
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.date }}|{{ trigger.next }}|{{ trigger.previous }}"`;

describe('Schedule trigger', () => {
  it('fires every second with a seconds cron and records trigger.date; the Triggers page lists its next fire', async () => {
    await deploy(`id: every-second
namespace: ${NS}
${logTask}
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
`);
    const runs = await until('two scheduled executions', async () => {
      const list = await executionsOf('every-second');
      return list.length >= 2 && list;
    });
    const done = await client.waitFor(runs[0].id);
    expect(done.state.current, done.error).toBe('SUCCESS');
    const [date, next, previous] = String(taskRun(done, 'when').outputs.value).split('|');
    expect(date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Date.parse(next!) - Date.parse(date!)).toBe(1000);
    expect(Date.parse(date!) - Date.parse(previous!)).toBe(1000);
    expect(done.trigger).toMatchObject({ id: 'tick', type: 'io.kestra.plugin.core.trigger.Schedule', variables: { date } });
    // Distinct fire times, one execution each.
    const dates = new Set(runs.map((r: any) => r.trigger?.variables?.date));
    expect(dates.size).toBe(runs.length);
    const triggers = await client.call('GET', `/api/v1/main/triggers?namespace=${NS}&flowId=every-second`);
    expect(triggers.status).toBe(200);
    const tick = triggers.body.results.find((t: any) => t.triggerId === 'tick');
    expect(tick).toMatchObject({ kind: 'schedule', disabled: false, cron: '*/1 * * * * *' });
    expect(Date.parse(tick.nextDate)).toBeGreaterThan(Date.parse(date!));
    expect(tick.lastExecutionId).toBeTruthy();

    // Disabled from the API (audited): no execution starts after it.
    const off = await client.call('PUT', `/api/v1/main/triggers/${NS}/every-second/tick`, { disabled: true });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.disabled).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    const before = (await executionsOf('every-second')).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await executionsOf('every-second')).length).toBe(before);
    const audit = await until('the audit entry', () => db.auditEvent.findFirst({ where: { resource: `trigger:${NS}/every-second/tick`, action: 'trigger.updated' } }));
    expect(audit.after).toEqual({ disabled: true });
  });

  it('a trigger disabled in the YAML does not fire and says why', async () => {
    await deploy(`id: disabled-schedule
namespace: ${NS}
${logTask}
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    disabled: true
`);
    const row = await until('an evaluation', async () => {
      const list = (await client.call('GET', `/api/v1/main/triggers?namespace=${NS}&flowId=disabled-schedule`)).body.results;
      return list[0]?.lastReason ? list[0] : undefined;
    });
    expect(row.lastReason).toContain('disabled');
    expect(row.disabledInFlow).toBe(true);
    expect(await executionsOf('disabled-schedule')).toHaveLength(0);
  });

  it('recoverMissedSchedules ALL, LAST and NONE after the scheduler was down for 3 hours; a second scheduler starts no duplicate', async () => {
    const policies = { ALL: 'recover-all', LAST: 'recover-last', NONE: 'recover-none' } as const;
    for (const [policy, id] of Object.entries(policies)) {
      await deploy(`id: ${id}
namespace: ${NS}
${logTask}
triggers:
  - id: hourly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@hourly"
    recoverMissedSchedules: ${policy}
`);
    }
    const t = await temporalClient();
    const down = new Date(Date.now() - 3 * 3600_000 - 60_000);
    for (const id of Object.values(policies)) {
      await until('the trigger row', () => db.flowTrigger.findFirst({ where: { tenant: 'main', namespace: NS, flowId: id } }));
      await db.flowTrigger.updateMany({ where: { tenant: 'main', namespace: NS, flowId: id }, data: { lastDate: down } });
      await t.workflow.getHandle(scheduleWorkflowId({ tenant: 'main', namespace: NS, flowId: id, triggerId: 'hourly' })).signal('wake');
    }
    const all = await until('3 recovered executions', async () => {
      const list = await executionsOf(policies.ALL);
      return list.length === 3 && list;
    });
    const last = await until('1 recovered execution', async () => {
      const list = await executionsOf(policies.LAST);
      return list.length === 1 && list;
    });
    const hourMarks = all.map((e: any) => Date.parse(e.trigger.variables.date)).sort();
    expect(hourMarks.every((d: number) => d % 3600_000 === 0)).toBe(true);
    expect(Date.parse(last[0].trigger.variables.date)).toBe(hourMarks[2]);
    const none = await until('NONE evaluated', async () => {
      const row = await db.flowTrigger.findFirst({ where: { tenant: 'main', namespace: NS, flowId: policies.NONE } });
      return row?.lastReason ? row : undefined;
    });
    expect(none.lastReason).toContain('3 missed schedule(s) not recovered (recoverMissedSchedules: NONE)');
    expect(await executionsOf(policies.NONE)).toHaveLength(0);

    // A restarted worker (another process, the same fire times): the ids exist, nothing new starts.
    await db.flowTrigger.updateMany({ where: { tenant: 'main', namespace: NS, flowId: policies.ALL }, data: { lastDate: down } });
    const again = await (await triggerService()).schedules.evaluate({ tenant: 'main', namespace: NS, flowId: policies.ALL, triggerId: 'hourly' });
    expect(again.next).toBeTruthy();
    expect(await executionsOf(policies.ALL)).toHaveLength(3);
  });

  it('backfill starts the fire times of a range once', async () => {
    await deploy(`id: backfilled
namespace: ${NS}
${logTask}
triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
    timezone: Europe/Paris
`);
    const body = { start: '2026-01-01T00:00:00Z', end: '2026-01-03T23:00:00Z' };
    const first = await client.call('POST', `/api/v1/main/triggers/${NS}/backfilled/daily/backfill`, body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.started).toHaveLength(3);
    const second = await client.call('POST', `/api/v1/main/triggers/${NS}/backfilled/daily/backfill`, body);
    expect(second.body.started).toHaveLength(0);
    const done = await client.waitFor(first.body.started[0]);
    // 09:00 in Paris in winter is 08:00 UTC, written with the zone's offset as Kestra does.
    expect(String(taskRun(done, 'when').outputs.value).split('|')[0]).toBe('2026-01-01T09:00:00+01:00');
  });

  it('a bad cron, time zone or condition is a 422 with line and column', async () => {
    const res = await client.deploy(`id: bad-schedule
namespace: ${NS}
${logTask}
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "61 * * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.MultipleCondition
`);
    expect(res.status).toBe(422);
    const messages = res.body.details ?? res.body.errors ?? res.body;
    expect(JSON.stringify(messages)).toContain('Invalid value for minute');
    expect(JSON.stringify(messages)).toContain('preconditions');
    expect(JSON.stringify(messages)).toMatch(/"path":"triggers\[0\].cron","line":10,"column":11/);
  });
});

describe('Webhook trigger', () => {
  it('answers the outputs synchronously with wait and returnOutputs; anonymous callers need only the key', async () => {
    await deploy(`id: hooked
namespace: ${NS}
tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: "hello {{ trigger.body.name }} {{ trigger.parameters.tag[0] }}"
outputs:
  - id: greeting
    value: "{{ outputs.greet.value }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: s3cr3t-key-123
    wait: true
    returnOutputs: true
`);
    const anonymous = api({});
    const ok = await anonymous.call('POST', `/api/v1/main/executions/webhook/${NS}/hooked/s3cr3t-key-123?tag=blue`, { name: 'ada' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ greeting: 'hello ada blue' });
    const wrong = await anonymous.call('POST', `/api/v1/main/executions/webhook/${NS}/hooked/wrong-key`, { name: 'eve' });
    expect(wrong.status).toBe(404);
    const noFlow = await anonymous.call('POST', `/api/v1/main/executions/webhook/${NS}/no-such-flow/s3cr3t-key-123`, {});
    expect(noFlow.status).toBe(404);
    // Guessing keys: after 10 wrong ones this address is locked out of this webhook (429, Retry-After),
    // even with the right key, while the lock lasts.
    for (let i = 0; i < 10; i++) await anonymous.call('GET', `/api/v1/main/executions/webhook/${NS}/hooked/guess-${i}`);
    const locked = await anonymous.call('POST', `/api/v1/main/executions/webhook/${NS}/hooked/s3cr3t-key-123`, { name: 'ada' });
    expect(locked.status).toBe(429);
    expect((await executionsOf('hooked')).length).toBe(1);
  });
});

describe('Flow trigger', () => {
  it('fires once per upstream SUCCESS and not on FAILED when states say so', async () => {
    await deploy(`id: upstream
namespace: ${NS}
inputs:
  - id: fail
    type: BOOLEAN
    defaults: false
tasks:
  - id: maybe
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.fail }}"
    then:
      - id: boom
        type: io.kestra.plugin.core.execution.Fail
  - id: value
    type: io.kestra.plugin.core.debug.Return
    format: "42"
outputs:
  - id: answer
    value: "{{ outputs.value.value }}"
`);
    await deploy(`id: downstream
namespace: ${NS}
inputs:
  - id: answer
    type: STRING
tasks:
  - id: seen
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.executionId }}|{{ trigger.namespace }}.{{ trigger.flowId }}|{{ trigger.state }}|{{ inputs.answer }}"
triggers:
  - id: after_upstream
    type: io.kestra.plugin.core.trigger.Flow
    states: [SUCCESS]
    inputs:
      answer: "{{ trigger.outputs.answer }}"
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: ${NS}
        flowId: upstream
`);
    const good = await client.run(NS, 'upstream');
    expect((await client.waitFor(good.body.id)).state.current).toBe('SUCCESS');
    const bad = await client.run(NS, 'upstream', { fail: true });
    expect((await client.waitFor(bad.body.id)).state.current).toBe('FAILED');
    const runs = await until('the downstream execution', async () => {
      const list = await executionsOf('downstream');
      return list.length >= 1 && list;
    });
    const done = await client.waitFor(runs[0].id);
    expect(taskRun(done, 'seen').outputs.value).toBe(`${good.body.id}|${NS}.upstream|SUCCESS|42`);
    // Evaluating the same end again (a retried projection, another worker): still one.
    await (await triggerService()).flowTriggers.onExecutionEnd(good.body.id);
    await (await triggerService()).flowTriggers.onExecutionEnd(bad.body.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await executionsOf('downstream')).toHaveLength(1);
  });

  it('preconditions: fires once when every listed flow has succeeded in the window', async () => {
    for (const id of ['pre-a', 'pre-b']) {
      await deploy(`id: ${id}
namespace: ${NS}
tasks:
  - id: out
    type: io.kestra.plugin.core.debug.Return
    format: ${id}
outputs:
  - id: ${id.replace('-', '_')}
    value: "{{ outputs.out.value }}"
`);
    }
    await deploy(`id: pre-joined
namespace: ${NS}
tasks:
  - id: joined
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.outputs.pre_a }}+{{ trigger.outputs.pre_b }}"
triggers:
  - id: both
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      flows:
        - namespace: ${NS}
          flowId: pre-a
        - namespace: ${NS}
          flowId: pre-b
      timeWindow:
        type: SLIDING_WINDOW
        window: PT1H
`);
    const a = await client.run(NS, 'pre-a');
    await client.waitFor(a.body.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await executionsOf('pre-joined')).toHaveLength(0);
    const reason = await db.flowTrigger.findFirst({ where: { tenant: 'main', namespace: NS, flowId: 'pre-joined' } });
    expect(reason?.lastReason).toContain(`waiting for ${NS}.pre-b`);
    const b = await client.run(NS, 'pre-b');
    await client.waitFor(b.body.id);
    const runs = await until('the joined execution', async () => {
      const list = await executionsOf('pre-joined');
      return list.length >= 1 && list;
    });
    const done = await client.waitFor(runs[0].id);
    expect(taskRun(done, 'joined').outputs.value).toBe('pre-a+pre-b');
    // The window started over: one more pre-a alone does not fire again.
    const a2 = await client.run(NS, 'pre-a');
    await client.waitFor(a2.body.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await executionsOf('pre-joined')).toHaveLength(1);
  });
});
