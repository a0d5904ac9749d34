// Flow triggers: when an execution reaches a terminal state (the projection says so), every Flow
// trigger of the tenant is evaluated once for that end. The downstream execution's id is derived
// from (downstream trigger, upstream execution, its end), so a retried projection or a second
// evaluation never starts it twice.
import type { Db, Execution, FlowTrigger } from '@baton/db';
import type { FlowPlan, TriggerSpec } from '@baton/flow';
import { parseDuration } from '@baton/plugin-sdk/duration';
import { isTerminal, type State } from '../../states';
import { AppError } from '../app-error';
import type { ExecutionService } from '../executions';
import type { FlowService } from '../flows';
import { evaluateConditions } from './conditions';
import { fire } from './fire';
import { fireExecutionId } from './ids';
import type { TriggerStore } from './store';

const TERMINAL: State[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED'];

interface PreconditionFlow {
  namespace: string;
  flowId?: string;
  states?: string[];
  labels?: Record<string, string>;
}
interface Preconditions {
  id?: string;
  flows: PreconditionFlow[];
  timeWindow?: { type?: string; window?: string; windowAdvance?: string; deadline?: string; startTime?: string; endTime?: string };
  resetOnSuccess?: boolean;
}
/** What a preconditions window remembers: per listed flow (by index), the upstream end that satisfied it. */
interface WindowState {
  start?: string;
  end?: string;
  satisfied?: Record<string, { executionId: string; at: string; outputs?: Record<string, unknown> }>;
}

/**
 * The window `now` falls in (Kestra's TimeWindow): DURATION_WINDOW fixed windows of `window`
 * (default PT24H) from midnight UTC shifted by windowAdvance; SLIDING_WINDOW the last `window`;
 * DAILY_TIME_DEADLINE from midnight to the deadline; DAILY_TIME_WINDOW startTime to endTime. Outside a
 * daily window: undefined (nothing counts).
 */
export function currentWindow(tw: Preconditions['timeWindow'] = {}, now: Date): { start: Date; end: Date; sliding: boolean } | undefined {
  const type = tw.type ?? 'DURATION_WINDOW';
  const windowMs = parseDuration(tw.window ?? 'PT24H') ?? 24 * 3600_000;
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = (hms: string) => {
    const [h, m, s] = hms.split(':').map(Number);
    return midnight + ((h! * 60 + m!) * 60 + (s ?? 0)) * 1000;
  };
  if (type === 'SLIDING_WINDOW') return { start: new Date(now.getTime() - windowMs), end: now, sliding: true };
  if (type === 'DAILY_TIME_DEADLINE') {
    const deadline = at(tw.deadline ?? '23:59:59');
    return now.getTime() <= deadline ? { start: new Date(midnight), end: new Date(deadline), sliding: false } : undefined;
  }
  if (type === 'DAILY_TIME_WINDOW') {
    const start = at(tw.startTime ?? '00:00:00');
    const end = at(tw.endTime ?? '23:59:59');
    return now.getTime() >= start && now.getTime() <= end ? { start: new Date(start), end: new Date(end), sliding: false } : undefined;
  }
  const advance = parseDuration(tw.windowAdvance ?? 'PT0S') ?? 0;
  const origin = midnight + advance - (advance > 0 ? 24 * 3600_000 : 0);
  const k = Math.floor((now.getTime() - origin) / windowMs);
  const start = origin + k * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs), sliding: false };
}

function matchesFlow(p: PreconditionFlow, e: Execution): boolean {
  if (p.namespace !== e.namespace) return false;
  if (p.flowId && p.flowId !== e.flowId) return false;
  if (!(p.states ?? ['SUCCESS']).includes(e.state)) return false;
  const labels = (e.labels ?? {}) as Record<string, string>;
  return Object.entries(p.labels ?? {}).every(([k, v]) => labels[k] === v);
}

export class FlowTriggerService {
  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    private readonly executions: ExecutionService,
    private readonly store: TriggerStore,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** After an execution's terminal transition: stopAfter of its own trigger, then every Flow trigger. */
  async onExecutionEnd(executionId: string, now = new Date()): Promise<void> {
    const e = await this.db.execution.findUnique({ where: { id: executionId } });
    if (!e || !isTerminal(e.state as State)) return;
    await this.applyStopAfter(e);
    const rows = await this.store.byKind(e.tenant, 'flow');
    for (const row of rows) {
      // A flow does not trigger itself: one end would start the next forever.
      if (row.namespace === e.namespace && row.flowId === e.flowId) continue;
      try {
        await this.evaluate(row, e, now);
      } catch (error) {
        // Temporal or PostgreSQL away: the projection retries; the fire's id makes that harmless.
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        this.warn(`flow trigger ${row.namespace}.${row.flowId}.${row.triggerId}: ${error.message}`);
      }
    }
  }

  private async applyStopAfter(e: Execution) {
    const started = e.trigger as { id?: string } | null;
    if (!started?.id) return;
    const plan = await this.plan(e.tenant, e.namespace, e.flowId);
    const trigger = plan?.triggers.find((t) => t.id === started.id);
    if (!trigger?.stopAfter?.includes(e.state)) return;
    const ref = { tenant: e.tenant, namespace: e.namespace, flowId: e.flowId, triggerId: trigger.id };
    if (await this.store.get(ref)) await this.store.update(ref, { disabled: true, lastReason: `disabled by stopAfter: execution ${e.id} ended ${e.state}` });
  }

  private async plan(tenant: string, namespace: string, flowId: string): Promise<FlowPlan | undefined> {
    try {
      return await this.flows.plan({ tenant, namespace, id: flowId });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return undefined;
      throw error;
    }
  }

  private async evaluate(row: FlowTrigger, e: Execution, now: Date) {
    const plan = await this.plan(row.tenant, row.namespace, row.flowId);
    const trigger = plan?.triggers.find((t) => t.id === row.triggerId && t.kind === 'flow');
    if (!plan || !trigger) return;
    const ref = { tenant: row.tenant, namespace: row.namespace, flowId: row.flowId, triggerId: row.triggerId };
    const states = (trigger.props.states as string[] | undefined) ?? TERMINAL;
    const variables = {
      executionId: e.id,
      namespace: e.namespace,
      flowId: e.flowId,
      flowRevision: e.flowRevision,
      state: e.state,
      executionLabels: e.labels,
      outputs: e.outputs ?? {},
    };
    const skip = (reason: string) => this.store.update(ref, { lastReason: `${e.namespace}.${e.flowId} ${e.id}: ${reason}`.slice(0, 2000), lastEvaluatedAt: now });
    if (!states.includes(e.state)) return; // Not an end this trigger listens to: nothing to say.
    const check = evaluateConditions(trigger.conditions, {
      variables: { trigger: variables, flow: { id: e.flowId, namespace: e.namespace, revision: e.flowRevision }, execution: { id: e.id, state: e.state } },
      execution: { namespace: e.namespace, flowId: e.flowId, state: e.state, labels: (e.labels ?? {}) as Record<string, string> },
    });
    if (!check.ok) return skip(`conditions not met: ${check.reason}`);
    if (plan.disabled || trigger.disabled || row.disabled) return skip('the trigger or its flow is disabled');
    const preconditions = trigger.props.preconditions as Preconditions | undefined;
    // One end of the upstream = one fire; a restarted upstream ends again (a longer history).
    const endCount = String((e.histories as unknown[]).length);
    let id = fireExecutionId('flow', row.tenant, row.namespace, row.flowId, row.triggerId, e.id, endCount);
    let fireVariables: Record<string, unknown> = variables;
    if (preconditions) {
      const ready = await this.recordPrecondition(ref, preconditions, e, now);
      if (!ready.fire) return skip(ready.reason);
      id = fireExecutionId('preconditions', row.tenant, row.namespace, row.flowId, row.triggerId, ...ready.executionIds);
      fireVariables = { ...variables, outputs: ready.outputs };
    }
    const outcome = await fire(this.executions, { tenant: row.tenant, namespace: row.namespace, id: row.flowId }, plan, trigger, fireVariables, { id });
    if (outcome.started) await this.store.update(ref, { lastExecutionId: outcome.executionId, lastFiredAt: now, lastEvaluatedAt: now, lastReason: null });
    else if (!outcome.duplicate) await skip(outcome.reason);
  }

  /**
   * Records that `e` satisfies preconditions.flows[i] in the current window, under a row lock (two
   * upstream ends at once must not both miss the other). Fires when every listed flow is satisfied;
   * then the window starts over (resetOnSuccess, the default).
   */
  private async recordPrecondition(
    ref: { tenant: string; namespace: string; flowId: string; triggerId: string },
    pre: Preconditions,
    e: Execution,
    now: Date,
  ): Promise<{ fire: true; executionIds: string[]; outputs: Record<string, unknown> } | { fire: false; reason: string }> {
    const matching = pre.flows.map((p, i) => (matchesFlow(p, e) ? i : -1)).filter((i) => i >= 0);
    if (!matching.length) return { fire: false, reason: 'matches none of preconditions.flows' };
    const window = currentWindow(pre.timeWindow, now);
    if (!window) return { fire: false, reason: 'outside the preconditions time window' };
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ state: WindowState }[]>`
        SELECT state FROM flow_triggers WHERE tenant = ${ref.tenant} AND namespace = ${ref.namespace} AND flow_id = ${ref.flowId} AND trigger_id = ${ref.triggerId} FOR UPDATE`;
      let state: WindowState = locked[0]?.state ?? {};
      if (!window.sliding && state.start !== window.start.toISOString()) state = { start: window.start.toISOString(), end: window.end.toISOString(), satisfied: {} };
      const satisfied = { ...(state.satisfied ?? {}) };
      if (window.sliding) for (const [k, v] of Object.entries(satisfied)) if (Date.parse(v.at) < window.start.getTime()) delete satisfied[k];
      for (const i of matching) satisfied[String(i)] = { executionId: e.id, at: now.toISOString(), outputs: (e.outputs ?? {}) as Record<string, unknown> };
      const missing = pre.flows.map((p, i) => (satisfied[String(i)] ? undefined : `${p.namespace}${p.flowId ? `.${p.flowId}` : ''}`)).filter((m): m is string => !!m);
      const ready = !missing.length;
      const kept = ready && pre.resetOnSuccess !== false ? {} : satisfied;
      await tx.$executeRaw`
        UPDATE flow_triggers SET state = ${JSON.stringify({ ...state, satisfied: kept })}::jsonb, updated_at = now()
        WHERE tenant = ${ref.tenant} AND namespace = ${ref.namespace} AND flow_id = ${ref.flowId} AND trigger_id = ${ref.triggerId}`;
      if (!ready) return { fire: false as const, reason: `preconditions: waiting for ${missing.join(', ')} in the window` };
      const entries = Object.keys(satisfied)
        .sort()
        .map((k) => satisfied[k]!);
      const outputs = Object.assign({}, ...entries.map((s) => s.outputs ?? {})) as Record<string, unknown>;
      return { fire: true as const, executionIds: entries.map((s) => s.executionId), outputs };
    });
  }
}

export type { TriggerSpec };
