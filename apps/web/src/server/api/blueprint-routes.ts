import 'server-only';
import { AppError } from '@baton/engine';
import { BLUEPRINT_KINDS, BLUEPRINT_LIMITS, type BlueprintKind } from '@baton/contract';
import { services } from '../services';
import { json, readJsonObject, type Router } from './handler';
import { BODY_LIMITS, FIELD_LIMITS } from './limits';

const TENANT = `Tenant id (${FIELD_LIMITS.tenantId.pattern.source}); \`main\` exists by default`;
const KIND = "`shipped` (the library in blueprints/) or `custom` (this tenant's own)";
const ID = 'Blueprint id: the file name without .yaml (shipped) or the id given at creation (custom)';
const EXAMPLE = '{"source": "<flow YAML>", "title": "...", "description": "markdown", "tags": ["..."]}';
const INPUT_BODY = {
  contentTypes: ['application/json'],
  maxBytes: BODY_LIMITS.flowSource + 64 * 1024,
  description: "The flow YAML and the metadata written into its `extend:` block (given fields win over the YAML's)",
  schema: {
    type: 'object',
    required: ['source'],
    properties: {
      source: { type: 'string', description: 'The flow YAML; it must validate as it would in this tenant' },
      title: { type: 'string', maxLength: BLUEPRINT_LIMITS.title },
      description: { type: 'string', maxLength: BLUEPRINT_LIMITS.description, description: 'Markdown: how it works, prerequisites, secrets it needs' },
      tags: { type: 'array', maxItems: BLUEPRINT_LIMITS.tags, items: { type: 'string', maxLength: BLUEPRINT_LIMITS.tag } },
    },
  },
};

function kindOf(value: string | null | undefined, optional: true): BlueprintKind | undefined;
function kindOf(value: string | null | undefined, optional?: false): BlueprintKind;
function kindOf(value: string | null | undefined, optional = false): BlueprintKind | undefined {
  if ((value === null || value === undefined || value === '') && optional) return undefined;
  if (!BLUEPRINT_KINDS.includes(value as BlueprintKind)) throw new AppError('BAD_REQUEST', `kind must be ${BLUEPRINT_KINDS.join(' or ')}; got '${String(value).slice(0, 40)}'`);
  return value as BlueprintKind;
}

/**
 * Blueprints (docs/blueprints.md): the shipped library and the tenant's own, listed together. Any
 * flow reader browses them (they hold no secret: flows name secrets, never carry them); an editor
 * of some namespace saves, edits and deletes custom ones.
 */
export function addBlueprintRoutes(router: Router): void {
  router
    .add(
      'GET',
      '/api/v1/:tenant/blueprints/search',
      async ({ params, url }) => {
        const results = await services().blueprints.list(params.tenant, {
          q: url.searchParams.get('q') ?? undefined,
          tags: url.searchParams.getAll('tags').filter(Boolean),
          kind: kindOf(url.searchParams.get('kind'), true),
        });
        return { results, total: results.length };
      },
      {
        summary: 'Shipped and custom blueprints, without their YAML: title, markdown description, tags, the task types used',
        params: { tenant: TENANT },
        query: {
          q: { description: 'Words that must all appear in the title, description, tags, flow id or task types' },
          tags: { description: 'Tag (repeatable; all must match)', repeatable: true },
          kind: { description: KIND },
        },
        readOnly: true,
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/blueprints/tags',
      async ({ params, url }) => ({ results: await services().blueprints.tags(params.tenant, kindOf(url.searchParams.get('kind'), true)) }),
      { summary: 'Every blueprint tag with how many blueprints carry it', params: { tenant: TENANT }, query: { kind: { description: KIND } }, readOnly: true },
    )
    .add(
      'GET',
      '/api/v1/:tenant/blueprints/:kind/:id',
      async ({ params, url }) => {
        const blueprint = await services().blueprints.get(params.tenant, kindOf(params.kind), params.id);
        if (url.searchParams.get('source') === 'yaml') return new Response(blueprint.source, { headers: { 'content-type': 'application/x-yaml' } });
        return blueprint;
      },
      {
        summary: 'One blueprint with its flow YAML (?source=yaml for the YAML alone)',
        params: { tenant: TENANT, kind: KIND, id: ID },
        query: { source: { description: '`yaml` for the flow YAML alone' } },
        readOnly: true,
      },
    )
    .add(
      'POST',
      '/api/v1/:tenant/blueprints/custom',
      async ({ request, params, caller }) => {
        const body = await readJsonObject(request, INPUT_BODY.maxBytes, EXAMPLE);
        return json(await services().blueprints.create(params.tenant, body, caller.id), 201);
      },
      {
        summary: 'Save a custom blueprint (from a flow): the YAML must validate; title, description and tags go into its extend: block',
        params: { tenant: TENANT },
        body: INPUT_BODY,
        responses: { 201: 'Created', 422: 'The flow does not validate (`errors` with line and column) or a field is past its limit' },
      },
    )
    .add(
      'PUT',
      '/api/v1/:tenant/blueprints/custom/:id',
      async ({ request, params, caller }) => {
        const body = await readJsonObject(request, INPUT_BODY.maxBytes, EXAMPLE);
        return services().blueprints.update(params.tenant, params.id, body, caller.id);
      },
      {
        summary: 'Edit a custom blueprint (the whole of it: YAML and metadata)',
        params: { tenant: TENANT, id: ID },
        body: INPUT_BODY,
        responses: { 200: 'Saved', 404: 'No such custom blueprint', 422: 'The flow does not validate' },
      },
    )
    .add('DELETE', '/api/v1/:tenant/blueprints/custom/:id', async ({ params }) => services().blueprints.delete(params.tenant, params.id), {
      summary: 'Delete a custom blueprint (shipped ones cannot be deleted)',
      params: { tenant: TENANT, id: ID },
      responses: { 200: 'Deleted', 404: 'No such custom blueprint' },
    });
}
