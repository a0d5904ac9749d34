import type { z } from 'zod';
import type { PluginExample } from './define-plugin';

/**
 * How a trigger fires. The engine has one mechanism per kind: `schedule` (a durable scheduler
 * workflow per flow trigger), `webhook` (an HTTP route), `flow` (the end of another execution) and
 * `polling` (a durable poller workflow per flow trigger that runs the plugin's `poll` at its
 * `interval`; see PollingTriggerRuntime).
 */
export type TriggerKind = 'schedule' | 'webhook' | 'flow' | 'polling';

/**
 * A trigger type: data only (zod), like a plugin definition, so the web app validates flows and
 * the editor and docs read its schema. `props` holds the type's own properties; the keys every
 * trigger has (id, type, description, disabled, conditions, stopAfter) are checked by the flow
 * validator.
 */
export interface TriggerDefinition<P extends z.ZodType = z.ZodType> {
  /** Baton's short name, e.g. `core.trigger.Schedule`. */
  id: string;
  /** Kestra's type names and other names that resolve to this trigger. */
  aliases: string[];
  title: string;
  description: string;
  group: string;
  kind: TriggerKind;
  props: P;
  examples: PluginExample[];
  /** Variables the trigger gives the execution as `trigger.*`, for the docs. */
  variables: Record<string, string>;
}

/** What one poll found: something that changed, worth exactly one execution. */
export interface PollEvent {
  /**
   * Names the event for good: the engine derives the execution id from it, so the same key never
   * starts two executions (a poll retried after a crash finds the same change again and must give
   * it the same key). Build it from the checkpoint, e.g. the object and a per-object sequence.
   */
  key: string;
  /** The execution's `trigger.*` variables. */
  variables: Record<string, unknown>;
  /** One line for the Triggers page ("web-1 VIR_DOMAIN_RUNNING → VIR_DOMAIN_SHUTOFF"). */
  summary: string;
}

export interface PollResult<C = unknown> {
  events: PollEvent[];
  /** What the next poll starts from; the engine stores it (JSON) after the events have started. */
  checkpoint: C;
  /** Why nothing fired, when nothing did (the Triggers page shows it). */
  note?: string;
  /**
   * The poll itself waited, listening to the system's own events (up to the interval): the engine
   * runs the next poll at once instead of after the interval, so the listening never stops.
   */
  listened?: boolean;
}

/**
 * The worker side of a `polling` trigger: one poll from the last checkpoint. The engine keeps the
 * checkpoint in PostgreSQL, runs the poll at the trigger's `interval` as an activity on the
 * trigger's worker group, starts one execution per event (id derived from the event key) and only
 * then stores the new checkpoint. A poll must therefore be a pure function of (checkpoint, what the
 * outside system says now): no state of its own between calls.
 */
export interface PollingTriggerRuntime<P = Record<string, unknown>, C = unknown> {
  /** The trigger definition's id (`kvm.VmEventTrigger`). */
  id: string;
  poll(props: P, checkpoint: C | undefined, context: { now: Date; signal: AbortSignal }): Promise<PollResult<C>>;
}

/** A polling trigger's `interval` when the flow does not say (Kestra's default for polling triggers). */
export const DEFAULT_POLL_INTERVAL = 'PT60S';

/**
 * A trigger condition (Kestra's `conditions:` entries). `appliesTo` names the trigger kinds that can
 * evaluate it: a schedule knows only dates, a Flow trigger knows the upstream execution.
 * `nested` conditions (Not, Or, And) hold a list of conditions under `conditions`.
 */
export interface ConditionDefinition<P extends z.ZodType = z.ZodType> {
  id: string;
  aliases: string[];
  title: string;
  description: string;
  appliesTo: TriggerKind[];
  props: P;
  nested?: boolean;
}

export function defineTrigger<P extends z.ZodType>(
  definition: Omit<TriggerDefinition<P>, 'aliases' | 'examples' | 'variables'> & Partial<TriggerDefinition<P>>,
): TriggerDefinition<P> {
  return { aliases: [], examples: [], variables: {}, ...definition };
}

export function defineCondition<P extends z.ZodType>(
  definition: Omit<ConditionDefinition<P>, 'aliases'> & Partial<Pick<ConditionDefinition<P>, 'aliases'>>,
): ConditionDefinition<P> {
  return { aliases: [], ...definition };
}

/** Types a flow may not use any more, with what replaced them (said in the validation error). */
export const RETIRED_CONDITIONS: Record<string, string> = {
  'io.kestra.plugin.core.condition.MultipleCondition':
    "MultipleCondition was replaced by the Flow trigger's `preconditions` (Kestra 0.19): list the upstream flows under preconditions.flows and the window under preconditions.timeWindow",
  'io.kestra.core.models.conditions.types.MultipleCondition':
    "MultipleCondition was replaced by the Flow trigger's `preconditions` (Kestra 0.19): list the upstream flows under preconditions.flows and the window under preconditions.timeWindow",
};
