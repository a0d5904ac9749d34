import { describe, expect, it } from 'vitest';
import { validateFlow, type ConditionSpec } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';
import { chooseFires, currentWindow, evaluateConditions, fireExecutionId, isoInZone } from '../src/index';

const cond = (name: string, props: Record<string, unknown> = {}, conditions?: ConditionSpec[]): ConditionSpec => ({
  type: `io.kestra.plugin.core.condition.${name}`,
  conditionId: `core.condition.${name}`,
  props,
  ...(conditions ? { conditions } : {}),
});
const at = (date: string, timezone?: string) => ({ variables: { trigger: { date } }, timezone });

describe('trigger conditions', () => {
  it('date conditions read trigger.date in the schedule time zone', () => {
    // Saturday 23:30 UTC is already Sunday in Paris; both are a weekend.
    const saturdayNight = '2026-05-16T23:30:00Z';
    expect(evaluateConditions([cond('DayWeek', { dayOfWeek: 'SATURDAY' })], at(saturdayNight)).ok).toBe(true);
    expect(evaluateConditions([cond('DayWeek', { dayOfWeek: 'SUNDAY' })], at(saturdayNight, 'Europe/Paris')).ok).toBe(true);
    expect(evaluateConditions([cond('Weekend')], at('2026-05-18T10:00:00Z'))).toEqual({ ok: false, reason: 'Weekend: MONDAY is not in a weekend' });
    expect(evaluateConditions([cond('TimeBetween', { after: '09:00', before: '17:00:00' })], at('2026-05-18T08:30:00Z', 'Europe/Paris')).ok).toBe(true);
    expect(evaluateConditions([cond('TimeBetween', { after: '09:00' })], at('2026-05-18T06:30:00Z', 'Europe/Paris')).ok).toBe(false);
    expect(evaluateConditions([cond('DateTimeBetween', { after: '2026-01-01T00:00:00Z', before: '2027-01-01T00:00:00Z' })], at('2026-05-18T06:30:00Z')).ok).toBe(true);
  });

  it('DayWeekInMonth: FIRST to FOURTH and LAST', () => {
    // May 2026: Mondays are the 4th, 11th, 18th and 25th.
    const monday = (day: string, dayInMonth: string) => evaluateConditions([cond('DayWeekInMonth', { dayOfWeek: 'MONDAY', dayInMonth })], at(`2026-05-${day}T12:00:00Z`)).ok;
    expect(monday('04', 'FIRST')).toBe(true);
    expect(monday('11', 'SECOND')).toBe(true);
    expect(monday('25', 'LAST')).toBe(true);
    expect(monday('25', 'FOURTH')).toBe(true);
    expect(monday('18', 'LAST')).toBe(false);
  });

  it('PublicHoliday reads offline holiday data per country and region', () => {
    expect(evaluateConditions([cond('PublicHoliday', { country: 'FR' })], at('2026-07-14T10:00:00Z')).ok).toBe(true);
    expect(evaluateConditions([cond('PublicHoliday', { country: 'FR' })], at('2026-07-15T10:00:00Z')).ok).toBe(false);
    expect(evaluateConditions([cond('PublicHoliday', { country: 'US' })], at('2026-07-04T16:00:00Z')).ok).toBe(true);
    // The last Monday of May: the Spring bank holiday in the United Kingdom.
    expect(evaluateConditions([cond('PublicHoliday', { country: 'GB' })], at('2026-05-25T10:00:00Z')).ok).toBe(true);
    expect(evaluateConditions([cond('PublicHoliday', { country: 'ZZ' })], at('2026-07-14T10:00:00Z'))).toEqual({
      ok: false,
      reason: 'PublicHoliday: no holiday data for country ZZ',
    });
  });

  it('Not, Or and And combine conditions', () => {
    const weekday = cond('Not', {}, [cond('Weekend')]);
    expect(evaluateConditions([weekday], at('2026-05-18T10:00:00Z')).ok).toBe(true);
    expect(evaluateConditions([weekday], at('2026-05-17T10:00:00Z')).ok).toBe(false);
    const either = cond('Or', {}, [cond('DayWeek', { dayOfWeek: 'MONDAY' }), cond('DayWeek', { dayOfWeek: 'FRIDAY' })]);
    expect(evaluateConditions([either], at('2026-05-22T10:00:00Z')).ok).toBe(true);
    expect(evaluateConditions([either], at('2026-05-20T10:00:00Z')).ok).toBe(false);
    expect(evaluateConditions([cond('And', {}, [either, weekday])], at('2026-05-18T10:00:00Z')).ok).toBe(true);
  });

  it('execution conditions look at the upstream execution', () => {
    const ctx = { variables: { trigger: { state: 'SUCCESS' } }, execution: { namespace: 'company.team', flowId: 'extract', state: 'SUCCESS', labels: { env: 'prod' } } };
    expect(evaluateConditions([cond('ExecutionFlow', { namespace: 'company.team', flowId: 'extract' })], ctx).ok).toBe(true);
    expect(evaluateConditions([cond('ExecutionFlow', { namespace: 'company.team', flowId: 'load' })], ctx).ok).toBe(false);
    expect(evaluateConditions([cond('ExecutionNamespace', { namespace: 'company', comparison: 'PREFIX' })], ctx).ok).toBe(true);
    expect(evaluateConditions([cond('ExecutionNamespace', { namespace: 'company' })], ctx).ok).toBe(false);
    expect(evaluateConditions([cond('ExecutionStatus', { in: ['FAILED'] })], ctx).ok).toBe(false);
    expect(evaluateConditions([cond('ExecutionStatus', { notIn: ['FAILED'] })], ctx).ok).toBe(true);
    expect(evaluateConditions([cond('ExecutionLabels', { labels: { env: 'prod' } })], ctx).ok).toBe(true);
    expect(evaluateConditions([cond('ExecutionLabels', { labels: [{ key: 'env', value: 'dev' }] })], ctx).ok).toBe(false);
    expect(evaluateConditions([cond('Expression', { expression: "{{ trigger.state == 'SUCCESS' }}" })], ctx).ok).toBe(true);
    expect(evaluateConditions([cond('Expression', { expression: "{{ trigger.state == 'FAILED' }}" })], ctx).ok).toBe(false);
  });
});

describe('schedules', () => {
  const due = ['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', '2026-01-01T03:00:00Z'].map((d) => new Date(d));
  it('recoverMissedSchedules: ALL fires every missed time, LAST the latest, NONE none; one due time always fires', () => {
    expect(chooseFires(due, 'ALL').fire).toHaveLength(3);
    expect(chooseFires(due, 'LAST')).toEqual({ fire: [due[2]], skipped: 2 });
    expect(chooseFires(due, 'NONE')).toEqual({ fire: [], skipped: 3 });
    expect(chooseFires(due.slice(0, 1), 'NONE').fire).toHaveLength(1);
  });

  it('one execution id per (flow, trigger, time): the same fire always has the same id', () => {
    const a = fireExecutionId('schedule', 'main', 'ns', 'flow', 'tick', '2026-01-01T01:00:00.000Z');
    expect(a).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(fireExecutionId('schedule', 'main', 'ns', 'flow', 'tick', '2026-01-01T01:00:00.000Z')).toBe(a);
    expect(fireExecutionId('schedule', 'main', 'ns', 'flow', 'tick', '2026-01-01T02:00:00.000Z')).not.toBe(a);
  });

  it("trigger.date is written with the zone's offset", () => {
    expect(isoInZone(new Date('2026-01-01T08:00:00Z'), 'Europe/Paris')).toBe('2026-01-01T09:00:00+01:00');
    expect(isoInZone(new Date('2026-07-01T08:00:00Z'), 'America/New_York')).toBe('2026-07-01T04:00:00-04:00');
    expect(isoInZone(new Date('2026-07-01T08:00:00Z'))).toBe('2026-07-01T08:00:00.000Z');
  });
});

describe('preconditions time windows', () => {
  const now = new Date('2026-05-18T10:30:00Z');
  it('DURATION_WINDOW: fixed windows from midnight, shifted by windowAdvance', () => {
    expect(currentWindow({}, now)).toMatchObject({ start: new Date('2026-05-18T00:00:00Z'), end: new Date('2026-05-19T00:00:00Z') });
    expect(currentWindow({ window: 'PT1H' }, now)).toMatchObject({ start: new Date('2026-05-18T10:00:00Z'), end: new Date('2026-05-18T11:00:00Z') });
    expect(currentWindow({ window: 'PT1H', windowAdvance: 'PT15M' }, now)).toMatchObject({ start: new Date('2026-05-18T10:15:00Z') });
  });
  it('SLIDING_WINDOW, DAILY_TIME_DEADLINE and DAILY_TIME_WINDOW', () => {
    expect(currentWindow({ type: 'SLIDING_WINDOW', window: 'PT2H' }, now)).toMatchObject({ start: new Date('2026-05-18T08:30:00Z'), sliding: true });
    expect(currentWindow({ type: 'DAILY_TIME_DEADLINE', deadline: '09:00:00' }, now)).toBeUndefined();
    expect(currentWindow({ type: 'DAILY_TIME_DEADLINE', deadline: '11:00:00' }, now)).toBeDefined();
    expect(currentWindow({ type: 'DAILY_TIME_WINDOW', startTime: '10:00:00', endTime: '11:00:00' }, now)).toBeDefined();
    expect(currentWindow({ type: 'DAILY_TIME_WINDOW', startTime: '11:00:00', endTime: '12:00:00' }, now)).toBeUndefined();
  });
});

describe('trigger validation', () => {
  it('every trigger example is a valid flow', () => {
    for (const trigger of defaultRegistry().triggers()) {
      for (const example of trigger.examples) expect(validateFlow(example.flow, { registry: defaultRegistry() }).errors, `${trigger.id}: ${example.title}`).toEqual([]);
    }
  });

  const flow = (triggers: string) => `id: t\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\ntriggers:\n${triggers}`;
  const errors = (triggers: string) => validateFlow(flow(triggers), { registry: defaultRegistry() }).errors;

  it('accepts the three Kestra triggers and plans them', () => {
    const result = validateFlow(
      flow(`  - id: s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
    timezone: Europe/Paris
    recoverMissedSchedules: LAST
    conditions:
      - type: io.kestra.plugin.core.condition.Not
        conditions:
          - type: io.kestra.plugin.core.condition.Weekend
  - id: w
    type: io.kestra.plugin.core.trigger.Webhook
    key: abc
  - id: f
    type: io.kestra.plugin.core.trigger.Flow
    states: [SUCCESS]
    preconditions:
      flows:
        - namespace: n
          flowId: up
      timeWindow:
        type: DAILY_TIME_DEADLINE
        deadline: "09:00:00"
`),
      { registry: defaultRegistry() },
    );
    expect(result.errors).toEqual([]);
    expect(result.plan!.triggers.map((t) => [t.id, t.kind, t.triggerId])).toEqual([
      ['s', 'schedule', 'core.trigger.Schedule'],
      ['w', 'webhook', 'core.trigger.Webhook'],
      ['f', 'flow', 'core.trigger.Flow'],
    ]);
    expect(result.plan!.triggers[0]!.conditions[0]!.conditions![0]!.conditionId).toBe('core.condition.Weekend');
  });

  it('refuses unknown types, bad crons, misplaced conditions and MultipleCondition, with line and column', () => {
    const found = errors(`  - id: s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: a
        flowId: b
  - id: x
    type: io.kestra.plugin.core.trigger.Shedule
  - id: f
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.MultipleCondition
      - type: io.kestra.plugin.core.condition.DayWek
  - id: w
    type: io.kestra.plugin.core.trigger.Webhook
    keys: abc
`);
    const at = (text: string) => found.find((e) => e.message.includes(text));
    expect(at('5 fields')).toMatchObject({ line: 10 });
    expect(at('cannot be used on core.trigger.Schedule')).toMatchObject({ line: 12, column: 15 });
    expect(at("unknown trigger type 'io.kestra.plugin.core.trigger.Shedule'")?.message).toContain("did you mean 'io.kestra.plugin.core.trigger.Schedule'");
    expect(at('MultipleCondition was replaced')).toMatchObject({ line: 20 });
    expect(at("unknown condition type 'io.kestra.plugin.core.condition.DayWek'")?.message).toContain('DayWeek');
    expect(at("unknown property 'keys'")?.message).toContain("did you mean 'key'");
    expect(at("missing required property 'key'")).toBeDefined();
  });

  it('refuses a task type used as a trigger and duplicate trigger ids', () => {
    const found = errors(`  - id: s
    type: io.kestra.plugin.core.log.Log
  - id: s
    type: io.kestra.plugin.core.trigger.Webhook
    key: k
`);
    expect(found.map((e) => e.message)).toEqual(
      expect.arrayContaining(["'io.kestra.plugin.core.log.Log' is a task type, not a trigger type", "duplicate trigger id 's'; trigger ids are unique in a flow"]),
    );
  });
});
