import { z } from 'zod';
import { APP_STAGES, appHeaderSchema, BLOCK_NAMES, BLOCK_PACKAGES, BLOCK_PROPERTIES, ROUTE_BLOCK_TYPE } from './app-schema';

type Schema = Record<string, unknown>;

const toSchema = (shape: z.ZodType): Schema => {
  const s = z.toJSONSchema(shape, { unrepresentable: 'any', io: 'input' }) as Schema;
  delete s.$schema;
  return s;
};

/**
 * JSON Schema of an App document, for the editor's completion and hover (monaco-yaml). Each
 * block is an `if type is (full name or short name) then (its properties)` branch, as for tasks.
 */
export function appJsonSchema(): Schema {
  const header = toSchema(appHeaderSchema) as { properties: Schema; required?: string[] };
  const types = BLOCK_NAMES.flatMap((n) => [`${BLOCK_PACKAGES[n]}${n}`, n]);
  const branches = BLOCK_NAMES.map((name) => {
    const props = toSchema(BLOCK_PROPERTIES[name]) as { properties?: Schema; required?: string[] };
    return {
      if: { properties: { type: { enum: [`${BLOCK_PACKAGES[name]}${name}`, name] } }, required: ['type'] },
      then: { properties: { type: {}, ...(props.properties ?? {}) }, required: props.required ?? [], additionalProperties: false },
    };
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Baton App (Kestra io.kestra.plugin.ee.apps.Execution)',
    type: 'object',
    ...header,
    properties: {
      ...header.properties,
      layout: {
        type: 'array',
        description: 'What the page shows at each stage of the execution it starts',
        items: {
          type: 'object',
          required: ['on', 'blocks'],
          additionalProperties: false,
          properties: {
            on: { enum: [...APP_STAGES], description: 'The stage these blocks are shown in' },
            blocks: { type: 'array', items: { $ref: '#/$defs/block' } },
          },
        },
      },
    },
    $defs: {
      block: {
        type: 'object',
        required: ['type'],
        properties: { type: { enum: [...types, ROUTE_BLOCK_TYPE], description: 'The kind of block' } },
        allOf: branches,
      },
    },
  };
}
