import { z } from 'zod';
import type { PluginDefinition } from './define-plugin';
import type { ConditionDefinition, TriggerDefinition } from './define-trigger';
import { levenshtein as distance } from './text';

export interface ResolvedType {
  definition: PluginDefinition;
  /** The name the flow used: Baton's id or an alias. */
  requested: string;
}

/**
 * Resolves task types (Baton ids and aliases such as Kestra's names) to plugin definitions.
 * Definitions only: the worker keeps its own map from id to runtime.
 */
export class PluginRegistry {
  private readonly byName = new Map<string, PluginDefinition>();
  private readonly definitions: PluginDefinition[] = [];
  private readonly triggersByName = new Map<string, TriggerDefinition>();
  private readonly conditionsByName = new Map<string, ConditionDefinition>();
  private readonly triggerDefinitions: TriggerDefinition[] = [];

  /** Trigger types (Schedule, Webhook, Flow...): a namespace of their own, never a task type. */
  registerTriggers(...definitions: TriggerDefinition[]): this {
    for (const definition of definitions) {
      for (const name of [definition.id, ...definition.aliases]) {
        if (this.triggersByName.has(name)) throw new Error(`Trigger type "${name}" is registered twice.`);
        this.triggersByName.set(name, definition);
      }
      this.triggerDefinitions.push(definition);
    }
    return this;
  }

  registerConditions(...definitions: ConditionDefinition[]): this {
    for (const definition of definitions) {
      for (const name of [definition.id, ...definition.aliases]) {
        if (this.conditionsByName.has(name)) throw new Error(`Condition type "${name}" is registered twice.`);
        this.conditionsByName.set(name, definition);
      }
    }
    return this;
  }

  resolveTrigger(type: string): TriggerDefinition | undefined {
    return this.triggersByName.get(type);
  }

  resolveCondition(type: string): ConditionDefinition | undefined {
    return this.conditionsByName.get(type);
  }

  triggers(): readonly TriggerDefinition[] {
    return this.triggerDefinitions;
  }

  /** Up to three trigger (or, with `conditions`, condition) names closest to an unknown one. */
  suggestTrigger(type: string, conditions = false): string[] {
    return closestNames(type, [...(conditions ? this.conditionsByName : this.triggersByName).keys()]);
  }

  register(...definitions: PluginDefinition[]): this {
    for (const definition of definitions) {
      for (const name of [definition.id, ...definition.aliases]) {
        const existing = this.byName.get(name);
        if (existing && existing !== definition) {
          throw new Error(`Plugin type "${name}" is registered twice (${existing.id} and ${definition.id}).`);
        }
        this.byName.set(name, definition);
      }
      this.definitions.push(definition);
    }
    return this;
  }

  resolve(type: string): PluginDefinition | undefined {
    return this.byName.get(type);
  }

  list(): readonly PluginDefinition[] {
    return this.definitions;
  }

  /** All names (ids and aliases) a type can be written as. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Up to three known names closest to an unknown type. */
  suggest(type: string): string[] {
    return closestNames(type, this.names());
  }

  /** Whether `prefix` (a plugin-defaults `type`) matches a type name exactly or as a dotted prefix. */
  static typeMatches(prefix: string, type: string): boolean {
    return type === prefix || type.startsWith(prefix.endsWith('.') ? prefix : `${prefix}.`);
  }
}

function closestNames(type: string, names: string[]): string[] {
  const lower = type.toLowerCase();
  const lastSegment = lower.split('.').pop() ?? lower;
  return names
    .map((name) => {
      const n = name.toLowerCase();
      let score = distance(lower, n);
      // A matching last segment ("Upsert") is a strong hint even when the prefix differs a lot.
      if (n.split('.').pop() === lastSegment) score = Math.min(score, 3);
      return { name, score };
    })
    .filter((c) => c.score <= Math.max(3, Math.floor(type.length / 3)))
    .sort((a, b) => a.score - b.score || a.name.length - b.name.length)
    .slice(0, 3)
    .map((c) => c.name);
}

/** JSON Schema of a plugin's properties, for the editor, docs and the flow schema. */
export function propsJsonSchema(definition: PluginDefinition): Record<string, unknown> {
  return z.toJSONSchema(definition.props, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
}

export function outputsJsonSchema(definition: PluginDefinition): Record<string, unknown> {
  return z.toJSONSchema(definition.outputs, { unrepresentable: 'any', io: 'output' }) as Record<string, unknown>;
}

/** Plain-data description of a plugin, served by GET /api/v1/plugins. */
export function describePlugin(definition: PluginDefinition) {
  return {
    id: definition.id,
    aliases: definition.aliases,
    title: definition.title,
    description: definition.description,
    group: definition.group,
    kind: definition.kind,
    idempotent: definition.idempotent,
    activity: definition.activity,
    examples: definition.examples,
    props: propsJsonSchema(definition),
    outputs: outputsJsonSchema(definition),
  };
}
