// Kestra's trigger conditions, evaluated where a trigger fires (the schedule activity, the Flow
// trigger after an execution ends, the webhook route). Each answer says why a trigger did not fire:
// the Triggers page shows it as the last evaluation's reason.
import type { ConditionSpec } from '@baton/flow';
import { render } from '@baton/flow/expressions';
import Holidays from 'date-holidays';

/** What a condition can look at. */
export interface ConditionContext {
  /** Expressions read this: `trigger`, `flow`, `execution` (the upstream's for a Flow trigger). */
  variables: Record<string, unknown>;
  /** Time zone date conditions are read in (the schedule's; UTC otherwise). */
  timezone?: string;
  /** The upstream execution (Flow trigger only). */
  execution?: { namespace: string; flowId: string; state: string; labels: Record<string, string> };
}

export type ConditionResult = { ok: true } | { ok: false; reason: string };

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** All conditions hold (Kestra ANDs a trigger's conditions); else the first that does not, and why. */
export function evaluateConditions(conditions: ConditionSpec[], context: ConditionContext): ConditionResult {
  for (const condition of conditions) {
    const result = evaluateCondition(condition, context);
    if (!result.ok) return result;
  }
  return { ok: true };
}

export function evaluateCondition(condition: ConditionSpec, context: ConditionContext): ConditionResult {
  const name = condition.conditionId.replace('core.condition.', '');
  const p = condition.props;
  const fail = (reason: string): ConditionResult => ({ ok: false, reason: `${name}: ${reason}` });
  switch (condition.conditionId) {
    case 'core.condition.Not': {
      const holding = (condition.conditions ?? []).find((c) => evaluateCondition(c, context).ok);
      return holding ? fail(`${holding.conditionId.replace('core.condition.', '')} holds`) : { ok: true };
    }
    case 'core.condition.Or': {
      const results = (condition.conditions ?? []).map((c) => evaluateCondition(c, context));
      return results.some((r) => r.ok) ? { ok: true } : fail(`none holds (${results.map((r) => (r.ok ? '' : r.reason)).join('; ')})`);
    }
    case 'core.condition.And': {
      const result = evaluateConditions(condition.conditions ?? [], context);
      return result.ok ? result : fail(result.reason);
    }
    case 'core.condition.DateTimeBetween': {
      const date = conditionDate(p.date, context);
      const after = p.after === undefined ? undefined : new Date(String(renderValue(p.after, context)));
      const before = p.before === undefined ? undefined : new Date(String(renderValue(p.before, context)));
      if (after && !(date > after)) return fail(`${date.toISOString()} is not after ${after.toISOString()}`);
      if (before && !(date < before)) return fail(`${date.toISOString()} is not before ${before.toISOString()}`);
      return { ok: true };
    }
    case 'core.condition.DayWeek': {
      const day = zoned(conditionDate(p.date, context), context.timezone).weekday;
      return day === p.dayOfWeek ? { ok: true } : fail(`${day} is not ${String(p.dayOfWeek)}`);
    }
    case 'core.condition.DayWeekInMonth': {
      const z = zoned(conditionDate(p.date, context), context.timezone);
      if (z.weekday !== p.dayOfWeek) return fail(`${z.weekday} is not ${String(p.dayOfWeek)}`);
      const nth = Math.ceil(z.day / 7);
      const last = z.day + 7 > z.daysInMonth;
      const wanted = String(p.dayInMonth);
      const ok = wanted === 'LAST' ? last : ['FIRST', 'SECOND', 'THIRD', 'FOURTH'][nth - 1] === wanted;
      return ok ? { ok: true } : fail(`day ${z.day} is not the ${wanted} ${z.weekday} of the month`);
    }
    case 'core.condition.Weekend': {
      const day = zoned(conditionDate(p.date, context), context.timezone).weekday;
      return day === 'SATURDAY' || day === 'SUNDAY' ? { ok: true } : fail(`${day} is not in a weekend`);
    }
    case 'core.condition.TimeBetween': {
      const time = zoned(conditionDate(p.date, context), context.timezone).time;
      const after = p.after === undefined ? undefined : normalTime(String(p.after));
      const before = p.before === undefined ? undefined : normalTime(String(p.before));
      if (after && !(time >= after)) return fail(`${time} is not after ${after}`);
      if (before && !(time < before)) return fail(`${time} is not before ${before}`);
      return { ok: true };
    }
    case 'core.condition.PublicHoliday': {
      const country = String(p.country);
      if (!(country in new Holidays().getCountries())) return fail(`no holiday data for country ${country}`);
      const options = { types: ['public' as const] };
      const holidays = p.subDivision ? new Holidays(country, String(p.subDivision), options) : new Holidays(country, options);
      const date = conditionDate(p.date, context);
      const found = holidays.isHoliday(date);
      return found && found.length ? { ok: true } : fail(`${date.toISOString()} is not a public holiday in ${country}${p.subDivision ? `-${String(p.subDivision)}` : ''}`);
    }
    case 'core.condition.ExecutionFlow': {
      const e = context.execution;
      if (!e) return fail('there is no upstream execution');
      return e.namespace === p.namespace && e.flowId === p.flowId ? { ok: true } : fail(`${e.namespace}.${e.flowId} is not ${String(p.namespace)}.${String(p.flowId)}`);
    }
    case 'core.condition.ExecutionNamespace': {
      const e = context.execution;
      if (!e) return fail('there is no upstream execution');
      const ns = String(p.namespace);
      const comparison = p.comparison ?? (p.prefix === true ? 'PREFIX' : 'EQUALS');
      const ok = comparison === 'PREFIX' ? e.namespace.startsWith(ns) : comparison === 'SUFFIX' ? e.namespace.endsWith(ns) : e.namespace === ns;
      return ok ? { ok: true } : fail(`namespace ${e.namespace} does not match ${String(comparison)} ${ns}`);
    }
    case 'core.condition.ExecutionStatus': {
      const e = context.execution;
      if (!e) return fail('there is no upstream execution');
      const inList = p.in as string[] | undefined;
      const notIn = p.notIn as string[] | undefined;
      if (inList && !inList.includes(e.state)) return fail(`${e.state} is not in ${inList.join(', ')}`);
      if (notIn?.includes(e.state)) return fail(`${e.state} is in ${notIn.join(', ')}`);
      return { ok: true };
    }
    case 'core.condition.ExecutionLabels': {
      const e = context.execution;
      if (!e) return fail('there is no upstream execution');
      const wanted = Array.isArray(p.labels)
        ? Object.fromEntries((p.labels as { key: string; value: string }[]).map((l) => [l.key, l.value]))
        : (p.labels as Record<string, string>);
      const missing = Object.entries(wanted).find(([k, v]) => e.labels[k] !== v);
      return missing ? fail(`label ${missing[0]} is not ${missing[1]}`) : { ok: true };
    }
    case 'core.condition.Expression': {
      let value: unknown;
      try {
        value = renderValue(p.expression, context);
      } catch (error) {
        return fail(`the expression could not be evaluated: ${(error as Error).message}`);
      }
      return truthy(value) ? { ok: true } : fail(`${String(p.expression)} is ${JSON.stringify(value)}`);
    }
    default:
      return fail(`${condition.type} cannot be evaluated here`);
  }
}

function renderValue(value: unknown, context: ConditionContext): unknown {
  return render(value, context.variables);
}

/** Kestra's TruthUtils: false, "false", 0, "0", "" and null are false. */
function truthy(value: unknown): boolean {
  if (typeof value === 'string') return !['', 'false', '0', 'null'].includes(value.trim().toLowerCase());
  return value !== null && value !== undefined && value !== false && value !== 0;
}

function conditionDate(written: unknown, context: ConditionContext): Date {
  const value = renderValue(written ?? '{{ trigger.date }}', context);
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`'${String(value)}' is not a date`);
  return date;
}

function normalTime(t: string): string {
  return t.length === 5 ? `${t}:00` : t;
}

/** The calendar fields of a date in a time zone. */
export function zoned(date: Date, timezone = 'UTC') {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      weekday: 'long',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const weekday = DAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return { year, month, day, weekday, time: `${parts.hour}:${parts.minute}:${parts.second}`, daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

/** ISO-8601 with the zone's offset (Kestra's ZonedDateTime as text): 2026-12-03T09:00:00+01:00. */
export function isoInZone(date: Date, timezone = 'UTC'): string {
  if (timezone === 'UTC') return date.toISOString();
  const z = zoned(date, timezone);
  const local = Date.UTC(z.year, z.month - 1, z.day, ...z.time.split(':').map(Number));
  const offsetMin = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, '0');
  const ms = date.getUTCMilliseconds();
  return `${z.year}-${pad(z.month)}-${pad(z.day)}T${z.time}${ms ? `.${String(ms).padStart(3, '0')}` : ''}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
