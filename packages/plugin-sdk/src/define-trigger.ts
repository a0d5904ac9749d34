import type { z } from 'zod';
import type { PluginExample } from './define-plugin';

/**
 * How a trigger fires. The engine has one mechanism per kind: `schedule` (a durable scheduler
 * workflow per flow trigger), `webhook` (an HTTP route), `flow` (the end of another execution) and
 * `polling` (reserved: a trigger that asks an outside system at an interval; no runtime yet).
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
