// Polling triggers (a plugin's VmEventTrigger...): what the poller workflow's activities do. The
// plugin's runtime says what changed since the checkpoint; this service keeps the checkpoint in the
// trigger's flow_triggers row (state.checkpoint), evaluates the conditions, starts one execution per
// event with an id derived from the event key, and stores the new checkpoint only after the starts.
// A crash anywhere in between repeats the poll from the old checkpoint: same events, same keys,
// same execution ids, so nothing starts twice and nothing found is lost.
import type { FlowPlan, TriggerSpec } from '@baton/flow';
import { findFunctionCalls, render } from '@baton/flow/expressions';
import { DEFAULT_POLL_INTERVAL, SecretMasker, type PollingTriggerRuntime } from '@baton/plugin-sdk';
import { parseDuration } from '@baton/plugin-sdk/duration';
import { taskQueueFor } from '../../workflow/contracts';
import type { PollingPlan, PollOutcome, ScheduleRef } from '../../workflow/trigger-contracts';
import { AppError } from '../app-error';
import type { ExecutionService } from '../executions';
import type { FlowService } from '../flows';
import type { SecretStore } from '../secrets';
import { evaluateConditions } from './conditions';
import { fire } from './fire';
import { fireExecutionId } from './ids';
import type { TriggerStore } from './store';

/** The shortest interval accepted: a poll is a call to someone else's system. */
export const MIN_POLL_INTERVAL_MS = 1_000;

/** What a polling trigger's row keeps in `state` (JSON). */
export interface PollingState {
  checkpoint?: unknown;
  lastEvent?: string;
  lastEventAt?: string;
}

/** The worker side: the poll runtimes by trigger id and the secrets their properties name. */
export interface PollingRuntimes {
  runtimes: Map<string, PollingTriggerRuntime>;
  secrets: SecretStore;
}

export function pollIntervalMs(trigger: TriggerSpec): number {
  const written = typeof trigger.props.interval === 'string' ? parseDuration(trigger.props.interval) : undefined;
  return Math.max(MIN_POLL_INTERVAL_MS, written ?? parseDuration(DEFAULT_POLL_INTERVAL)!);
}

export class PollingService {
  constructor(
    private readonly flows: FlowService,
    private readonly executions: ExecutionService,
    private readonly store: TriggerStore,
    private readonly worker?: PollingRuntimes,
  ) {}

  private async find(ref: ScheduleRef): Promise<{ plan: FlowPlan; trigger: TriggerSpec } | undefined> {
    try {
      const plan = await this.flows.plan({ tenant: ref.tenant, namespace: ref.namespace, id: ref.flowId });
      const trigger = plan.triggers.find((t) => t.id === ref.triggerId && t.kind === 'polling');
      return trigger ? { plan, trigger } : undefined;
    } catch (error) {
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_FLOW')) return undefined;
      throw error;
    }
  }

  async describe(ref: ScheduleRef): Promise<PollingPlan> {
    const found = await this.find(ref);
    if (!found) return { stop: true, intervalMs: 0, taskQueue: taskQueueFor(undefined) };
    return { intervalMs: pollIntervalMs(found.trigger), taskQueue: taskQueueFor(found.trigger.workerGroup) };
  }

  /** One poll (the activity): see the file's comment for the order of things. */
  async poll(ref: ScheduleRef, now = new Date(), signal: AbortSignal = new AbortController().signal): Promise<PollOutcome> {
    const found = await this.find(ref);
    if (!found) {
      await this.store.delete(ref);
      return { stop: true, started: 0 };
    }
    const { plan, trigger } = found;
    const row = await this.store.ensure(ref, trigger, now);
    const state = (row.state ?? {}) as PollingState;
    const record = (data: { reason: string | null; state?: PollingState; executionId?: string }) =>
      this.store.update(ref, {
        lastEvaluatedAt: now,
        nextDate: new Date(now.getTime() + pollIntervalMs(trigger)),
        lastReason: data.reason?.slice(0, 2000) ?? null,
        ...(data.state ? { state: data.state as object } : {}),
        ...(data.executionId ? { lastExecutionId: data.executionId, lastFiredAt: now } : {}),
      });
    const disabled = plan.disabled ? 'the flow is disabled' : trigger.disabled ? 'the trigger is disabled in the flow' : row.disabled ? 'the trigger is disabled' : undefined;
    if (disabled) {
      // Nothing is polled while disabled, and the checkpoint goes: re-enabled, the trigger starts
      // from what it finds then (like a schedule resumes from now), not from changes made meanwhile.
      await record({ reason: `${disabled}; not polled`, state: { ...state, checkpoint: undefined } });
      return { started: 0 };
    }
    const runtime = this.worker?.runtimes.get(trigger.triggerId);
    if (!runtime) {
      await record({ reason: `no worker${trigger.workerGroup ? ` of group ${trigger.workerGroup}` : ''} here can poll ${trigger.type}` });
      return { started: 0 };
    }
    const masker = new SecretMasker();
    let props: Record<string, unknown>;
    try {
      props = await this.renderProps(ref, plan, trigger, masker);
    } catch (error) {
      await record({ reason: masker.maskText(`the trigger's properties could not be rendered: ${(error as Error).message}`) });
      return { started: 0 };
    }
    let result;
    try {
      result = await runtime.poll(props, state.checkpoint, { now, signal });
    } catch (error) {
      // The system polled is away or refuses: said on the Triggers page, polled again at the next interval.
      await record({ reason: masker.maskText(`poll failed: ${(error as Error).message}`) });
      return { started: 0 };
    }
    const reasons: string[] = [];
    let lastExecutionId: string | undefined;
    let started = 0;
    let lastEvent: string | undefined;
    for (const event of result.events) {
      lastEvent = masker.maskText(event.summary);
      const variables = masker.mask(event.variables);
      const check = evaluateConditions(trigger.conditions, {
        variables: { trigger: variables, flow: { id: plan.id, namespace: plan.namespace, revision: plan.revision, tenantId: ref.tenant } },
      });
      if (!check.ok) {
        reasons.push(`${lastEvent}: conditions not met: ${check.reason}`);
        continue;
      }
      const id = fireExecutionId('polling', ref.tenant, ref.namespace, ref.flowId, ref.triggerId, event.key);
      const outcome = await fire(this.executions, { tenant: ref.tenant, namespace: ref.namespace, id: ref.flowId }, plan, trigger, variables, { id });
      if (outcome.started) {
        lastExecutionId = outcome.executionId;
        started++;
      } else if (outcome.duplicate) lastExecutionId = id;
      else reasons.push(`${lastEvent}: ${outcome.reason}`);
    }
    if (!result.events.length && result.note) reasons.push(masker.maskText(result.note));
    await record({
      reason: reasons.length ? reasons.join('; ') : null,
      state: { checkpoint: result.checkpoint, ...(lastEvent ? { lastEvent, lastEventAt: now.toISOString() } : { lastEvent: state.lastEvent, lastEventAt: state.lastEventAt }) },
      executionId: lastExecutionId,
    });
    return { started, ...(result.listened ? { again: true } : {}) };
  }

  /** The trigger's own properties rendered (secret() resolved, nothing else: no execution exists yet). */
  private async renderProps(ref: ScheduleRef, plan: FlowPlan, trigger: TriggerSpec, masker: SecretMasker): Promise<Record<string, unknown>> {
    const own = Object.fromEntries(Object.entries(trigger.props).filter(([k]) => k !== 'inputs'));
    const values = new Map<string, string>();
    for (const call of findFunctionCalls(own, ['secret'])) {
      if (call.arg === undefined) throw new Error(`secret() needs a literal name, e.g. secret('KVM_URI')`);
      if (values.has(call.arg) || !this.worker) continue;
      const value = await this.worker.secrets.get(ref.tenant, ref.namespace, call.arg);
      values.set(call.arg, value);
      masker.add(value);
    }
    const secret = Object.assign((name: unknown) => values.get(String(name)) ?? '', { taints: true });
    return render(own, { flow: { id: plan.id, namespace: plan.namespace, revision: plan.revision, tenantId: ref.tenant } }, { functions: { secret } }) as Record<string, unknown>;
  }
}
