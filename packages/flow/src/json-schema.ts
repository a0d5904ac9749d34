import { propsJsonSchema, type PluginRegistry } from '@baton/plugin-sdk';
import { z } from 'zod';
import { commonTaskShape, commonTriggerShape, flowShape, inputSchema, pluginDefaultSchema } from './flow-schema';

type Schema = Record<string, unknown>;

/** One entry of a Dag's task list. */
const dagEntry: Schema = {
  type: 'object',
  required: ['task'],
  additionalProperties: false,
  properties: {
    task: { $ref: '#/$defs/task' },
    dependsOn: { type: 'array', items: { type: 'string' }, description: 'Ids of the tasks of this Dag that end before this one starts' },
  },
};

function toSchema(shape: z.ZodType): Schema {
  const s = z.toJSONSchema(shape, { unrepresentable: 'any', io: 'input' }) as Schema;
  delete s.$schema;
  return s;
}

/**
 * JSON Schema of a whole flow document, generated from the registered plugins' zod schemas.
 * The editor uses it for completion, hover docs and markers; the docs and the API serve it.
 * Each task is an `if type is one of (id, aliases) then (its properties)` branch, which YAML
 * language servers understand for completion.
 */
export function flowJsonSchema(registry: PluginRegistry): Schema {
  const common = toSchema(z.object(commonTaskShape)) as { properties: Schema };
  const names = registry.names().sort();
  const branches = registry.list().map((definition) => {
    const props = propsJsonSchema(definition) as { properties?: Schema; required?: string[] };
    const listProps: Schema = {};
    for (const list of definition.taskLists ?? []) {
      listProps[list.key] =
        list.shape === 'list'
          ? { type: 'array', items: { $ref: '#/$defs/task' }, description: `Child tasks (${list.key})` }
          : list.shape === 'dag'
            ? { type: 'array', items: dagEntry, description: `Child tasks with their dependencies (${list.key})` }
            : { type: 'object', additionalProperties: { type: 'array', items: { $ref: '#/$defs/task' } }, description: `Child tasks by value (${list.key})` };
    }
    return {
      if: { properties: { type: { enum: [definition.id, ...definition.aliases] } }, required: ['type'] },
      then: {
        description: definition.title,
        properties: { ...common.properties, ...(props.properties ?? {}), ...listProps },
        additionalProperties: false,
      },
    };
  });
  // Triggers the same way: one branch per trigger type; conditions by their type.
  const triggerCommon = toSchema(z.object(commonTriggerShape)) as { properties: Schema };
  const triggerNames = registry
    .triggers()
    .flatMap((t) => [t.id, ...t.aliases])
    .sort();
  const triggerBranches = registry.triggers().map((definition) => {
    const props = toSchema(definition.props) as { properties?: Schema; required?: string[] };
    return {
      if: { properties: { type: { enum: [definition.id, ...definition.aliases] } }, required: ['type'] },
      then: {
        description: definition.title,
        required: props.required ?? [],
        properties: { ...triggerCommon.properties, conditions: { type: 'array', items: { $ref: '#/$defs/condition' } }, ...(props.properties ?? {}) },
        additionalProperties: false,
      },
    };
  });
  const top = toSchema(z.object(flowShape)) as { properties: Schema; required: string[] };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://baton.dev/schemas/flow.json',
    title: 'Baton flow',
    type: 'object',
    required: top.required,
    additionalProperties: false,
    properties: {
      ...top.properties,
      inputs: { type: 'array', items: toSchema(inputSchema) },
      pluginDefaults: { type: 'array', items: toSchema(pluginDefaultSchema) },
      tasks: { type: 'array', minItems: 1, items: { $ref: '#/$defs/task' } },
      errors: { type: 'array', items: { $ref: '#/$defs/task' } },
      finally: { type: 'array', items: { $ref: '#/$defs/task' } },
      triggers: { type: 'array', items: { $ref: '#/$defs/trigger' } },
      notifications: {
        type: 'array',
        description: 'Notification tasks sent once the execution ends in one of their states (docs/notifications.md)',
        items: {
          type: 'object',
          required: ['id', 'type'],
          properties: {
            id: { type: 'string' },
            type: { type: 'string', enum: names.filter((n) => n.includes('notifications.')), description: 'A notification task type' },
            states: { type: 'array', items: { enum: ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'] }, description: 'End states that send it (default FAILED)' },
          },
        },
      },
    },
    $defs: {
      trigger: {
        type: 'object',
        required: ['id', 'type'],
        properties: { ...triggerCommon.properties, type: { type: 'string', enum: triggerNames, description: 'Trigger type' } },
        allOf: triggerBranches,
      },
      condition: { type: 'object', required: ['type'], properties: { type: { type: 'string', description: 'Condition type, e.g. io.kestra.plugin.core.condition.DayWeek' } } },
      task: {
        type: 'object',
        required: ['id', 'type'],
        properties: { ...common.properties, type: { type: 'string', enum: names, description: 'Plugin type' } },
        allOf: branches,
      },
    },
  };
}
