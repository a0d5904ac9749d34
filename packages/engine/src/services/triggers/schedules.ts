// Schedule triggers: what the scheduler workflow's activity does at each wake-up, and backfills.
import { randomUUID } from 'node:crypto';
import { CronSchedule, type FlowPlan, type TriggerSpec } from '@baton/flow';
import { parseDuration } from '@baton/plugin-sdk/duration';
import type { ScheduleEvaluation, ScheduleRef } from '../../workflow/trigger-contracts';
import { AppError } from '../app-error';
import type { ExecutionService } from '../executions';
import type { FlowService } from '../flows';
import { evaluateConditions, isoInZone } from './conditions';
import { fire } from './fire';
import { fireExecutionId } from './ids';
import type { TriggerStore } from './store';

/** At most this many fire times are started in one evaluation (ALL after a long downtime) or one backfill. */
export const MAX_FIRES_PER_EVALUATION = 500;

export function cronOf(trigger: TriggerSpec): CronSchedule {
  const p = trigger.props;
  return new CronSchedule(String(p.cron), { withSeconds: p.withSeconds === true, timezone: typeof p.timezone === 'string' ? p.timezone : undefined });
}

/** Kestra's trigger.date, trigger.next and trigger.previous for one fire time. */
export function scheduleVariables(cron: CronSchedule, date: Date, timezone?: string): Record<string, unknown> {
  const next = cron.next(date);
  const previous = cron.previous(date);
  return { date: isoInZone(date, timezone), next: next ? isoInZone(next, timezone) : null, previous: previous ? isoInZone(previous, timezone) : null };
}

/**
 * Which of the due fire times to start. One due time is the normal case: it is fired. More than one
 * means the scheduler was down (or the trigger's workflow could not run): Kestra's
 * recoverMissedSchedules decides — ALL starts every one, LAST only the latest, NONE none of them.
 */
export function chooseFires(due: Date[], policy: 'ALL' | 'LAST' | 'NONE' = 'ALL'): { fire: Date[]; skipped: number } {
  if (due.length <= 1) return { fire: due, skipped: 0 };
  if (policy === 'NONE') return { fire: [], skipped: due.length };
  if (policy === 'LAST') return { fire: [due[due.length - 1]!], skipped: due.length - 1 };
  return { fire: due, skipped: 0 };
}

export class ScheduleService {
  constructor(
    private readonly flows: FlowService,
    private readonly executions: ExecutionService,
    private readonly store: TriggerStore,
  ) {}

  /** The flow's plan and the schedule trigger, or undefined when either is gone. */
  private async find(ref: ScheduleRef): Promise<{ plan: FlowPlan; trigger: TriggerSpec } | undefined> {
    try {
      const plan = await this.flows.plan({ tenant: ref.tenant, namespace: ref.namespace, id: ref.flowId });
      const trigger = plan.triggers.find((t) => t.id === ref.triggerId && t.kind === 'schedule');
      return trigger ? { plan, trigger } : undefined;
    } catch (error) {
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_FLOW')) return undefined;
      throw error;
    }
  }

  /** One wake-up of the scheduler workflow: fire what is due since the last handled time. */
  async evaluate(ref: ScheduleRef, now = new Date()): Promise<ScheduleEvaluation> {
    const found = await this.find(ref);
    if (!found) {
      await this.store.delete(ref);
      return { stop: true };
    }
    const { plan, trigger } = found;
    const row = await this.store.ensure(ref, trigger, now);
    const cron = cronOf(trigger);
    const timezone = trigger.props.timezone as string | undefined;
    const last = row.lastDate ?? now;
    const due = cron.between(last, now, 100_000);
    const policy = (trigger.props.recoverMissedSchedules as 'ALL' | 'LAST' | 'NONE' | undefined) ?? 'ALL';
    let { fire: fires, skipped } = chooseFires(due, policy);
    const reasons: string[] = [];
    if (skipped) reasons.push(`${skipped} missed schedule(s) not recovered (recoverMissedSchedules: ${policy})`);
    const lateMs = typeof trigger.props.lateMaximumDelay === 'string' ? parseDuration(trigger.props.lateMaximumDelay) : undefined;
    if (lateMs !== undefined) {
      const late = fires.filter((d) => now.getTime() - d.getTime() > lateMs);
      if (late.length) reasons.push(`${late.length} fire time(s) later than lateMaximumDelay skipped`);
      fires = fires.filter((d) => now.getTime() - d.getTime() <= lateMs);
    }
    if (fires.length > MAX_FIRES_PER_EVALUATION) {
      reasons.push(`only the last ${MAX_FIRES_PER_EVALUATION} of ${fires.length} missed fire times were started`);
      fires = fires.slice(-MAX_FIRES_PER_EVALUATION);
    }
    const disabled = plan.disabled ? 'the flow is disabled' : trigger.disabled ? 'the trigger is disabled in the flow' : row.disabled ? 'the trigger is disabled' : undefined;
    if (disabled && fires.length) {
      reasons.push(`${disabled}; ${fires.length} fire time(s) not started`);
      fires = [];
    }
    let lastExecutionId: string | undefined;
    let lastFiredAt: Date | undefined;
    for (const date of fires) {
      const outcome = await this.fireAt(ref, plan, trigger, cron, date, timezone);
      if (outcome.started) {
        lastExecutionId = outcome.executionId;
        lastFiredAt = new Date();
      } else if (!outcome.duplicate) {
        reasons.push(`${date.toISOString()}: ${outcome.reason}`);
      }
    }
    const next = cron.next(now);
    await this.store.update(ref, {
      lastDate: due.length ? due[due.length - 1] : last,
      nextDate: next ?? null,
      lastEvaluatedAt: now,
      ...(lastExecutionId ? { lastExecutionId, lastFiredAt } : {}),
      ...(reasons.length ? { lastReason: reasons.join('; ').slice(0, 2000) } : due.length ? { lastReason: null } : {}),
    });
    return { next: next?.toISOString() };
  }

  private async fireAt(
    ref: ScheduleRef,
    plan: FlowPlan,
    trigger: TriggerSpec,
    cron: CronSchedule,
    date: Date,
    timezone?: string,
    labels?: Record<string, string>,
    inputs?: Record<string, unknown>,
  ) {
    const variables = scheduleVariables(cron, date, timezone);
    const check = evaluateConditions(trigger.conditions, {
      variables: { trigger: variables, flow: { id: plan.id, namespace: plan.namespace, revision: plan.revision, tenantId: ref.tenant } },
      timezone,
    });
    if (!check.ok) return { started: false as const, reason: `conditions not met: ${check.reason}` };
    const id = fireExecutionId('schedule', ref.tenant, ref.namespace, ref.flowId, ref.triggerId, date.toISOString());
    return fire(this.executions, { tenant: ref.tenant, namespace: ref.namespace, id: ref.flowId }, plan, trigger, variables, { id, labels, inputs });
  }

  /**
   * What a backfill of [start, end] would start: how many fire times (counted up to one past the
   * cap, so `capped` says the range is too long) and the first and last of them. Conditions are
   * not evaluated here; a fire whose conditions do not hold is skipped by the backfill itself.
   */
  async previewBackfill(ref: ScheduleRef, range: { start: Date; end: Date }) {
    if (!(range.start.getTime() <= range.end.getTime())) throw new AppError('BAD_REQUEST', 'start must be before end');
    const found = await this.find(ref);
    if (!found) throw new AppError('NOT_FOUND', `no Schedule trigger ${ref.triggerId} in flow ${ref.namespace}.${ref.flowId}`);
    const dates = cronOf(found.trigger).between(new Date(range.start.getTime() - 1), range.end, MAX_FIRES_PER_EVALUATION + 1);
    const capped = dates.length > MAX_FIRES_PER_EVALUATION;
    return {
      count: Math.min(dates.length, MAX_FIRES_PER_EVALUATION),
      capped,
      max: MAX_FIRES_PER_EVALUATION,
      first: dates.slice(0, 3).map((d) => d.toISOString()),
      last: dates.length ? dates[Math.min(dates.length, MAX_FIRES_PER_EVALUATION) - 1]!.toISOString() : null,
    };
  }

  /**
   * Kestra's backfill: starts the fire times in [start, end] now, as the schedule would have. A time
   * that already fired (or was backfilled) is not started again: same execution id. Every execution
   * started is labelled `system.backfill: true` and `system.backfillId: <id>`, the id answered, so
   * the UI can follow this backfill's progress with an execution search on that label. `inputs`
   * override the trigger's own inputs (Kestra's backfill inputs).
   */
  async backfill(ref: ScheduleRef, range: { start: Date; end: Date; labels?: Record<string, string>; inputs?: Record<string, unknown>; backfillId?: string }) {
    if (!(range.start.getTime() <= range.end.getTime())) throw new AppError('BAD_REQUEST', 'start must be before end');
    const found = await this.find(ref);
    if (!found) throw new AppError('NOT_FOUND', `no Schedule trigger ${ref.triggerId} in flow ${ref.namespace}.${ref.flowId}`);
    const cron = cronOf(found.trigger);
    const dates = cron.between(new Date(range.start.getTime() - 1), range.end, MAX_FIRES_PER_EVALUATION + 1);
    if (dates.length > MAX_FIRES_PER_EVALUATION) throw new AppError('BAD_REQUEST', `the range holds more than ${MAX_FIRES_PER_EVALUATION} fire times; backfill a shorter range`);
    const backfillId = range.backfillId ?? randomUUID().slice(0, 8);
    const started: string[] = [];
    const skipped: { date: string; reason: string }[] = [];
    for (const date of dates) {
      const outcome = await this.fireAt(
        ref,
        found.plan,
        found.trigger,
        cron,
        date,
        found.trigger.props.timezone as string | undefined,
        { ...(range.labels ?? {}), 'system.backfill': 'true', 'system.backfillId': backfillId },
        range.inputs,
      );
      if (outcome.started) started.push(outcome.executionId);
      else skipped.push({ date: date.toISOString(), reason: outcome.reason });
    }
    return { backfillId, dates: dates.length, started, skipped };
  }
}
