import 'server-only';
import { AppError, createdExecutionView, ExpressionDebugService } from '@baton/engine';
import { flowJsonSchema } from '@baton/flow';
import { EXECUTION_FILTER_PARAMETERS } from '@baton/contract';
import { ExecutionActions } from '@baton/engine/ui';
import { followExecution } from '@baton/engine/ui';
import { UiQueryService } from '@baton/engine/ui';
import { ExecutionFeeds } from '@baton/engine/ui';
import { ExecutionChangeListener } from '@baton/db';
import { describePlugin, KV_KEY_MAX, KV_KEY_PATTERN, KV_TYPES, parseDuration, type KvEntry, type KvSetOptions, type KvType } from '@baton/plugin-sdk';
import { services } from '../services';
import { webEnv } from '../env';
import { json, readInputs, readJson, readJsonObject, readText, Router, type RouteContext } from './handler';
import { date, executionFilters, labels } from './filters';
import { BODY_LIMITS, FIELD_LIMITS, PAGE_MAX, REVISION_MAX } from './limits';
import { openApiDocument } from './openapi';
import { addCredentialRoutes } from './credential-routes';
import { addSecretRoutes } from './secret-routes';
import { addCodecRoutes } from './temporal-codec';
import { addIdentityRoutes } from './identity-routes';
import { addAuditRoutes } from './audit-routes';
import { addApprovalRoutes, resumeHandler } from './approval-routes';
import { addKillSwitchRoutes } from './kill-switch-routes';
import { addFileRoutes, readInputsAndFiles } from './file-routes';
import { addAppRoutes } from './app-routes';
import { addNamespaceFileRoutes } from './namespace-file-routes';
import { addTriggerRoutes } from './trigger-routes';
import { addBlueprintRoutes } from './blueprint-routes';

async function readYaml(request: Request): Promise<string> {
  const text = await readText(request, BODY_LIMITS.flowSource);
  if (!text.trim()) throw new AppError('BAD_REQUEST', 'send the flow YAML as the request body (Content-Type: application/x-yaml)');
  return text;
}

function flowView(flow: {
  tenant: string;
  namespace: string;
  id: string;
  revision: number;
  source: string;
  description: string | null;
  labels: unknown;
  disabled: boolean;
  deleted: boolean;
  updatedAt: Date;
}) {
  return {
    id: flow.id,
    namespace: flow.namespace,
    tenantId: flow.tenant,
    revision: flow.revision,
    description: flow.description,
    labels: flow.labels,
    disabled: flow.disabled,
    deleted: flow.deleted,
    updated: flow.updatedAt.toISOString(),
    source: flow.source,
  };
}

/**
 * A whole number from 1 to `max`, or undefined when absent. Anything else is a 400 that says the
 * range: a page or revision past 64 bits used to reach PostgreSQL and come back a 500.
 */
function int(v: string | null | undefined, name: string, max: number): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new AppError('BAD_REQUEST', `${name} must be a whole number from 1 to ${max}; got '${v.slice(0, 40)}'`);
  return n;
}

/** Sizes above the cap (200) are used as the cap and echoed so, not refused. */
const size = (v: string | null) => int(v, 'size', Number.MAX_SAFE_INTEGER);

/** Dates PostgreSQL stores: years 1 to 9999 (JavaScript accepts year 0 and ±275,760, PostgreSQL does not). */
function kvView(e: KvEntry) {
  return { key: e.key, type: e.type, value: e.value, description: e.description, updateDate: e.updated, expirationDate: e.expiresAt };
}

/** A KV write: JSON with options, or the bare value as text (Kestra's habit) with a `ttl` header. */
async function readKvBody(request: Request): Promise<{ value: unknown; options: KvSetOptions }> {
  const isJson = /json/i.test(request.headers.get('content-type') ?? '');
  if (!isJson) {
    const text = await readText(request, BODY_LIMITS.kvValue);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // plain text stays text
    }
    return { value, options: { ttlMs: ttlMs(request.headers.get('ttl') ?? undefined) } };
  }
  const body = await readJsonObject(request, BODY_LIMITS.kvValue, '{"value": 42, "type": "NUMBER", "ttl": "P7D"}');
  if (!('value' in body)) throw new AppError('BAD_REQUEST', 'send {"value": ...} (and optionally type, ttl, description, overwrite)');
  for (const k of ['type', 'ttl', 'description'] as const) {
    if (body[k] !== undefined && typeof body[k] !== 'string') throw new AppError('BAD_REQUEST', `${k} must be a string`);
  }
  if (body.overwrite !== undefined && typeof body.overwrite !== 'boolean') throw new AppError('BAD_REQUEST', 'overwrite must be true or false');
  return {
    value: body.value,
    options: {
      type: body.type as KvType | undefined,
      ttlMs: ttlMs(body.ttl as string | undefined),
      description: body.description as string | undefined,
      overwrite: body.overwrite as boolean | undefined,
    },
  };
}

function ttlMs(ttl: string | undefined): number | undefined {
  if (ttl === undefined) return undefined;
  const ms = parseDuration(ttl);
  if (ms === undefined || ms <= 0) throw new AppError('UNPROCESSABLE', `ttl '${ttl.slice(0, 40)}' must be a positive ISO-8601 duration such as PT1H or P7D`);
  return ms;
}

/** `_` in a URL names the tenant-wide layer (stored as the empty namespace), as for secrets. */
const layerName = (namespace: string) => (namespace === '_' ? '' : namespace);

// Shared pieces of the route documentation.
const P = {
  tenant: `Tenant id (${FIELD_LIMITS.tenantId.pattern.source}, at most ${FIELD_LIMITS.tenantId.max}); \`main\` exists by default`,
  namespace: `Namespace, e.g. company.team (at most ${FIELD_LIMITS.namespace.max} characters)`,
  flowId: `Flow id (at most ${FIELD_LIMITS.flowId.max} characters)`,
  executionId: 'Execution id',
  kvKey: `KV key (${KV_KEY_PATTERN.source}, at most ${KV_KEY_MAX} characters)`,
};
const EXPRESSION_BODY = {
  contentTypes: ['text/plain'],
  maxBytes: BODY_LIMITS.expression,
  description: 'The expression, e.g. {{ outputs.fetch.body | fromJson }}',
  schema: { type: 'string' },
};
let debugService: ExpressionDebugService | undefined;
const debugger_ = () => (debugService ??= new ExpressionDebugService(services().executions, services().flows));
const YAML_BODY = { contentTypes: ['application/x-yaml'], maxBytes: BODY_LIMITS.flowSource, description: 'The flow YAML (Kestra syntax)', schema: { type: 'string' } };
const INPUTS_BODY = {
  contentTypes: ['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'],
  maxBytes: BODY_LIMITS.inputs,
  description: `Inputs by id; JSON values nest at most ${32} levels`,
  schema: { type: 'object', additionalProperties: true },
};
const SEARCH_QUERY = {
  page: { description: `Page from 1 to ${PAGE_MAX}`, type: 'integer' as const },
  size: { description: 'Page size; values above 200 are capped at 200 (the answer echoes the size used)', type: 'integer' as const },
};
const EXECUTION_FILTERS = EXECUTION_FILTER_PARAMETERS;

export const router: Router = new Router({ checkTenant: (tenant) => services().tenants.require(tenant), serverTiming: () => webEnv().serverTiming })
  .add(
    'GET',
    '/api/health',
    async () => {
      const { db } = services();
      await db.$queryRaw`SELECT 1`;
      return { status: 'UP', database: 'UP' };
    },
    { summary: 'Health of the API and its database (no sign-in needed)', readOnly: true, public: true },
  )
  .add('GET', '/api/v1', async (): Promise<unknown> => ({ routes: router.list(), openapi: '/api/v1/openapi.json' }), { summary: 'Every route, one per line', readOnly: true })
  .add('GET', '/api/v1/openapi.json', async () => openApiDocument(router.all()), { summary: 'This API as an OpenAPI 3.1 document, generated from the route table', readOnly: true })
  .add('GET', '/api/v1/plugins', async () => services().registry.list().map(describePlugin), { summary: 'Plugins with their property and output schemas', readOnly: true })
  .add('GET', '/api/v1/plugins/schemas/flow', async () => flowJsonSchema(services().registry), {
    summary: 'The flow JSON Schema (editor completion and validation)',
    readOnly: true,
  })
  .add(
    'GET',
    '/api/v1/plugins/:type',
    async ({ params }) => {
      const definition = services().registry.resolve(params.type);
      if (!definition)
        throw new AppError('NOT_FOUND', `no plugin ${params.type}; did you mean ${services().registry.suggest(params.type).join(', ') || 'one from GET /api/v1/plugins'}?`);
      return describePlugin(definition);
    },
    { summary: 'One plugin by id or Kestra type', params: { type: 'Plugin id or type, e.g. io.kestra.plugin.core.log.Log' }, readOnly: true },
  )
  .add('GET', '/api/v1/tenants', async () => ui().queries.tenants(), { summary: 'Tenant ids', readOnly: true })
  .add(
    'POST',
    '/api/v1/tenants',
    async ({ request }) => {
      const body = await readJsonObject(request, BODY_LIMITS.default, '{"id": "team-a"}');
      if (typeof body.id !== 'string') throw new AppError('BAD_REQUEST', 'send {"id": "team-a"} (and optionally "name")');
      if (body.name !== undefined && typeof body.name !== 'string') throw new AppError('BAD_REQUEST', 'name is a string');
      return json(await services().tenants.create(body.id, body.name as string | undefined), 201);
    },
    {
      summary: 'Create a tenant (tenants exist only when created)',
      body: {
        contentTypes: ['application/json'],
        maxBytes: BODY_LIMITS.default,
        schema: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: FIELD_LIMITS.tenantId.pattern.source, maxLength: FIELD_LIMITS.tenantId.max }, name: { type: 'string', maxLength: 200 } },
        },
      },
      responses: { 201: 'Created', 409: 'The tenant exists' },
    },
  )

  // ---- flows ----
  .add(
    'POST',
    '/api/v1/:tenant/flows/validate',
    async ({ request, params }) => {
      const result = await services().flows.validateIn(params.tenant, await readYaml(request));
      return { valid: result.errors.length === 0, errors: result.errors, suppliedDefaults: result.suppliedDefaults };
    },
    {
      summary: 'Validate a flow without saving it (suppliedDefaults: the properties plugin defaults give each task)',
      params: { tenant: P.tenant },
      body: YAML_BODY,
      readOnly: true,
    },
  )
  .add(
    'POST',
    '/api/v1/:tenant/flows',
    async ({ request, params, caller, access }) => {
      const source = await readYaml(request);
      // The namespace is in the YAML: checked once it is known (an invalid flow is refused by save).
      const declared = services().flows.validate(source).plan?.namespace;
      if (declared) access.require('flows.write', declared);
      const { flow, created, changed } = await services().flows.save(params.tenant, source, caller.id);
      if (changed) await services().triggers.register({ tenant: params.tenant, namespace: flow.namespace, id: flow.id });
      return json({ ...flowView(flow), changed }, created ? 201 : 200);
    },
    {
      summary: 'Create or update a flow; a changed source is a new revision',
      params: { tenant: P.tenant },
      body: YAML_BODY,
      responses: { 200: 'Updated or unchanged', 201: 'Created' },
    },
  )
  .add(
    'GET',
    '/api/v1/:tenant/flows/search',
    async ({ params, url, access }) => {
      const {
        results,
        total,
        page,
        size: used,
      } = await services().flows.search(params.tenant, {
        within: access.within('flows.read'),
        namespace: url.searchParams.get('namespace') ?? undefined,
        q: url.searchParams.get('q') ?? undefined,
        page: int(url.searchParams.get('page'), 'page', PAGE_MAX),
        size: size(url.searchParams.get('size')),
      });
      return { results: results.map(flowView), total, page, size: used };
    },
    {
      summary: 'Search flows',
      params: { tenant: P.tenant },
      query: { namespace: { description: 'Namespace, including its children' }, q: { description: 'Part of the flow id' }, ...SEARCH_QUERY },
      readOnly: true,
    },
  )
  .add(
    'GET',
    '/api/v1/:tenant/flows/:namespace/:id',
    async ({ params, url }) => {
      const flow = await services().flows.get({ tenant: params.tenant, namespace: params.namespace, id: params.id });
      if (url.searchParams.get('source') === 'yaml') return new Response(flow.source, { headers: { 'content-type': 'application/x-yaml' } });
      return flowView(flow);
    },
    {
      summary: 'A flow (?source=yaml for the YAML alone)',
      params: { tenant: P.tenant, namespace: P.namespace, id: P.flowId },
      query: { source: { description: '`yaml` for the source alone' } },
      readOnly: true,
    },
  )
  .add(
    'PUT',
    '/api/v1/:tenant/flows/:namespace/:id',
    async ({ request, params, caller }) => {
      const source = await readYaml(request);
      const check = services().flows.validate(source);
      if (check.plan && (check.plan.namespace !== params.namespace || check.plan.id !== params.id)) {
        throw new AppError('BAD_REQUEST', `the YAML declares ${check.plan.namespace}.${check.plan.id}, not ${params.namespace}.${params.id}`);
      }
      const { flow, changed } = await services().flows.save(params.tenant, source, caller.id);
      if (changed) await services().triggers.register({ tenant: params.tenant, namespace: flow.namespace, id: flow.id });
      return { ...flowView(flow), changed };
    },
    { summary: 'Update a flow (the YAML must declare the same namespace and id)', params: { tenant: P.tenant, namespace: P.namespace, id: P.flowId }, body: YAML_BODY },
  )
  .add(
    'DELETE',
    '/api/v1/:tenant/flows/:namespace/:id',
    async ({ params }) => {
      await services().flows.delete({ tenant: params.tenant, namespace: params.namespace, id: params.id });
      await services().triggers.register({ tenant: params.tenant, namespace: params.namespace, id: params.id }, true);
      return new Response(null, { status: 204 });
    },
    { summary: 'Delete a flow (revisions and executions stay readable)', params: { tenant: P.tenant, namespace: P.namespace, id: P.flowId }, responses: { 204: 'Deleted' } },
  )
  .add(
    'GET',
    '/api/v1/:tenant/flows/:namespace/:id/revisions',
    async ({ params }) => {
      const revisions = await services().flows.revisions({ tenant: params.tenant, namespace: params.namespace, id: params.id });
      return revisions.map((r) => ({ revision: r.revision, source: r.source, created: r.createdAt.toISOString(), createdBy: r.createdBy }));
    },
    { summary: 'Revisions of a flow, newest first', params: { tenant: P.tenant, namespace: P.namespace, id: P.flowId }, readOnly: true },
  )

  // ---- executions ----
  .add(
    'GET',
    '/api/v1/:tenant/executions/search',
    async ({ params, url, access }) => {
      const {
        results,
        total,
        page,
        size: used,
      } = await services().executions.search(params.tenant, {
        ...executionFilters(url),
        within: access.within('executions.read'),
        page: int(url.searchParams.get('page'), 'page', PAGE_MAX),
        size: size(url.searchParams.get('size')),
      });
      return { results, total, page, size: used };
    },
    { summary: 'Search executions, newest first', params: { tenant: P.tenant }, query: { ...EXECUTION_FILTERS, ...SEARCH_QUERY }, readOnly: true },
  )
  .add(
    'POST',
    '/api/v1/:tenant/executions/:namespace/:flowId',
    async ({ request, params, url, caller }) => {
      const { inputs, files } = await readInputsAndFiles(request);
      const { executions } = services();
      const started = await executions.start({ tenant: params.tenant, namespace: params.namespace, id: params.flowId }, inputs, {
        labels: labels(url),
        triggeredBy: caller.id,
        files,
      });
      const view =
        url.searchParams.get('wait') === 'true'
          ? await executions.waitForEnd(params.tenant, started.executionId, 10 * 60_000)
          : createdExecutionView(started, new Date(), caller.id);
      return json(view, 200);
    },
    {
      summary: 'Start an execution of the latest revision',
      description: `Labels: at most ${FIELD_LIMITS.labels.count}, keys up to ${FIELD_LIMITS.labels.keyMax} and values up to ${FIELD_LIMITS.labels.valueMax} characters. Nothing is stored for a refused start. 503 with Retry-After when Temporal is unreachable.`,
      params: { tenant: P.tenant, namespace: P.namespace, flowId: P.flowId },
      query: { wait: { description: '`true` to answer when the execution ends', type: 'boolean' }, labels: { description: 'key:value (repeatable)', repeatable: true } },
      body: {
        ...INPUTS_BODY,
        maxBytes: BODY_LIMITS.upload,
        description: `${INPUTS_BODY.description}; FILE inputs as multipart file parts named after the input (a multipart body may be up to ${BODY_LIMITS.upload} bytes)`,
      },
    },
  )
  .add('GET', '/api/v1/:tenant/executions/:id', async ({ params }) => services().executions.get(params.tenant, params.id), {
    summary: 'An execution with its task runs',
    params: { tenant: P.tenant, id: P.executionId },
    readOnly: true,
  })
  .add('POST', '/api/v1/:tenant/executions/:id/resume', async (ctx: RouteContext) => resumeHandler(ctx), {
    summary: 'Resume a paused execution (onResume inputs in the body); on an approval Pause, approve it',
    description:
      'An approval Pause (docs/approvals.md) records the approval with ?comment= (or a `comment` field) and resumes once enough distinct approvers approved. 403 with `details.reason` SELF_APPROVAL, NOT_AN_APPROVER or ALREADY_DECIDED; 400 COMMENT_REQUIRED. A plain Pause needs executions.operate.',
    params: { tenant: P.tenant, id: P.executionId },
    query: { comment: { description: 'The approval comment (approval Pause)' } },
    body: INPUTS_BODY,
    responses: { 403: 'Not allowed to decide (details.reason says why)', 409: 'Not paused, or already being resumed' },
  })
  .add('POST', '/api/v1/:tenant/executions/:id/restart', async ({ params, caller }) => json(await services().executions.restart(params.tenant, params.id, caller.id), 202), {
    summary: 'Restart a FAILED, KILLED or CANCELLED execution from what failed',
    params: { tenant: P.tenant, id: P.executionId },
    responses: { 202: 'Restarted', 409: 'Not restartable' },
  })
  .add('DELETE', '/api/v1/:tenant/executions/:id/kill', async ({ params, caller }) => json(await services().executions.kill(params.tenant, params.id, caller.id), 202), {
    summary: 'Kill an execution (a second kill while KILLING terminates it)',
    params: { tenant: P.tenant, id: P.executionId },
    responses: { 202: 'Killing', 409: 'Already ended' },
  })
  .add(
    'POST',
    '/api/v1/:tenant/executions/:id/eval/:taskRunId',
    async ({ request, params }) => debugger_().evaluate(params.tenant, params.id, params.taskRunId, await readText(request, BODY_LIMITS.expression)),
    {
      summary: "Render an expression against an execution as one of its task runs saw it (Kestra's debug expression; secret() is refused)",
      params: { tenant: P.tenant, id: P.executionId, taskRunId: 'Task run id' },
      body: EXPRESSION_BODY,
      readOnly: true,
    },
  )
  .add(
    'POST',
    '/api/v1/:tenant/executions/:id/eval',
    async ({ request, params }) => debugger_().evaluate(params.tenant, params.id, undefined, await readText(request, BODY_LIMITS.expression)),
    {
      summary: 'Render an expression against an execution (inputs, outputs, variables, labels)',
      params: { tenant: P.tenant, id: P.executionId },
      body: EXPRESSION_BODY,
      readOnly: true,
    },
  )
  .add(
    'GET',
    '/api/v1/:tenant/logs/:executionId',
    async ({ params, url }) =>
      services().executions.logs(params.tenant, params.executionId, {
        taskRunId: url.searchParams.get('taskRunId') ?? undefined,
        minLevel: url.searchParams.get('minLevel') ?? undefined,
      }),
    {
      summary: 'Logs of an execution',
      params: { tenant: P.tenant, executionId: P.executionId },
      query: { taskRunId: { description: 'Only this task run' }, minLevel: { description: 'TRACE, DEBUG, INFO, WARN or ERROR' } },
      readOnly: true,
    },
  )
  // ---- namespace plugin defaults (docs/plugin-defaults.md); `_` is the tenant-wide layer ----
  .add(
    'GET',
    '/api/v1/:tenant/namespaces/:namespace/plugin-defaults',
    async ({ params, url }) => {
      const namespace = layerName(params.namespace);
      const current = await services().flows.namespaceDefaults.get(params.tenant, namespace);
      if (url.searchParams.get('source') === 'yaml') return new Response(current.source, { headers: { 'content-type': 'application/x-yaml' } });
      // What flows of this namespace inherit from above it, for the page's "inherited" table.
      const inherited =
        namespace === '' ? [] : (await services().flows.namespaceDefaults.layers(params.tenant, namespace)).layers.filter((l) => l.source !== `namespace ${namespace}`);
      return { ...current, inherited };
    },
    {
      summary: 'The plugin defaults of a namespace (_ for tenant-wide), with the layers it inherits; ?source=yaml for the YAML alone',
      params: { tenant: P.tenant, namespace: `${P.namespace}, or _ for tenant-wide` },
      query: { source: { description: '`yaml` for the YAML alone (export)' } },
      readOnly: true,
    },
  )
  .add(
    'PUT',
    '/api/v1/:tenant/namespaces/:namespace/plugin-defaults',
    async ({ request, params, caller }) => {
      const namespace = layerName(params.namespace);
      const isYaml = /yaml/i.test(request.headers.get('content-type') ?? '');
      const input = isYaml
        ? { source: await readText(request, BODY_LIMITS.pluginDefaults) }
        : { defaults: (await readJsonObject(request, BODY_LIMITS.pluginDefaults, '{"defaults": [{"type": "...", "values": {}}]}')).defaults };
      return services().flows.namespaceDefaults.put(params.tenant, namespace, input, caller.id);
    },
    {
      summary: 'Save the plugin defaults of a namespace (a new revision when changed); YAML (import) or JSON {defaults}',
      params: { tenant: P.tenant, namespace: `${P.namespace}, or _ for tenant-wide` },
      body: {
        contentTypes: ['application/x-yaml', 'application/json'],
        maxBytes: BODY_LIMITS.pluginDefaults,
        description: 'A YAML list of {type, values, forced}, or JSON {"defaults": [...]}',
        schema: {
          type: 'object',
          properties: {
            defaults: {
              type: 'array',
              items: { type: 'object', required: ['type', 'values'], properties: { type: { type: 'string' }, values: { type: 'object' }, forced: { type: 'boolean' } } },
            },
          },
        },
      },
      responses: { 422: 'Invalid defaults: errors with line and column' },
    },
  )
  .add(
    'GET',
    '/api/v1/:tenant/namespaces/:namespace/plugin-defaults/revisions',
    async ({ params }) => services().flows.namespaceDefaults.revisions(params.tenant, layerName(params.namespace)),
    { summary: "Revisions of a namespace's plugin defaults, newest first", params: { tenant: P.tenant, namespace: `${P.namespace}, or _ for tenant-wide` }, readOnly: true },
  )
  // ---- a namespace's notification rule (docs/notifications.md, "For a whole namespace") ----
  .add(
    'GET',
    '/api/v1/:tenant/namespaces/:namespace/notifications',
    async ({ params, url }) => {
      const current = await services().namespaceNotifications.get(params.tenant, params.namespace);
      if (url.searchParams.get('source') === 'yaml') return new Response(current.source, { headers: { 'content-type': 'application/x-yaml' } });
      // The rule flows of this namespace follow when it has none of its own: a parent's.
      const effective = current.revision
        ? undefined
        : await services()
            .namespaceNotifications.effective(params.tenant, params.namespace)
            .catch(() => undefined);
      return { ...current, inheritedFrom: effective ? { namespace: effective.namespace, revision: effective.revision } : null };
    },
    {
      summary:
        "A namespace's notification rule: `notifications:` for every flow of it and its children that lists none (revision 0: none of its own; `inheritedFrom` names the parent whose rule applies)",
      params: { tenant: P.tenant, namespace: P.namespace },
      query: { source: { description: '`yaml` for the YAML alone' } },
      readOnly: true,
    },
  )
  .add(
    'PUT',
    '/api/v1/:tenant/namespaces/:namespace/notifications',
    async ({ request, params, caller }) => {
      if (!/yaml/i.test(request.headers.get('content-type') ?? ''))
        throw new AppError('BAD_REQUEST', 'send the rule as YAML with Content-Type: application/x-yaml, e.g. "notifications:\n  - id: oncall\n    type: ..."');
      return services().namespaceNotifications.put(params.tenant, params.namespace, await readText(request, BODY_LIMITS.pluginDefaults), caller.id);
    },
    {
      summary: "Save a namespace's notification rule (a new revision when changed); `notifications: []` opts the namespace's subtree out of a parent's rule",
      params: { tenant: P.tenant, namespace: P.namespace },
      body: { contentTypes: ['application/x-yaml'], maxBytes: BODY_LIMITS.pluginDefaults, description: 'YAML: `notifications:` with a list of notification tasks, as in a flow' },
      responses: { 422: 'Invalid rule: errors with line and column' },
    },
  )
  .add('GET', '/api/v1/:tenant/namespaces/:namespace/notifications/revisions', async ({ params }) => services().namespaceNotifications.revisions(params.tenant, params.namespace), {
    summary: "Revisions of a namespace's notification rule, newest first",
    params: { tenant: P.tenant, namespace: P.namespace },
    readOnly: true,
  })
  // ---- KV store (Kestra's /namespaces/{namespace}/kv routes) ----
  .add(
    'GET',
    '/api/v1/:tenant/namespaces/:namespace/kv',
    async ({ params, url }) => {
      const entries = await services().kv.list(params.tenant, params.namespace, url.searchParams.get('prefix') ?? undefined);
      return entries.map(kvView);
    },
    {
      summary: 'Live KV pairs of a namespace, by key',
      params: { tenant: P.tenant, namespace: P.namespace },
      query: { prefix: { description: 'Only keys starting with this' } },
      readOnly: true,
    },
  )
  .add(
    'GET',
    '/api/v1/:tenant/namespaces/:namespace/kv/:key',
    async ({ params }) => {
      const entry = await services().kv.get(params.tenant, params.namespace, params.key);
      if (!entry) throw new AppError('NOT_FOUND', `no KV pair with key '${params.key}' in namespace ${params.namespace}`);
      return { type: entry.type, value: entry.value };
    },
    { summary: 'A KV value with its type', params: { tenant: P.tenant, namespace: P.namespace, key: P.kvKey }, readOnly: true },
  )
  .add(
    'PUT',
    '/api/v1/:tenant/namespaces/:namespace/kv/:key',
    async ({ request, params }) => {
      const body = await readKvBody(request);
      const entry = await services().kv.set(params.tenant, params.namespace, params.key, body.value, body.options);
      return kvView(entry);
    },
    {
      summary: 'Set a KV pair: JSON {value, type?, ttl?, description?, overwrite?}, or the value as text (parsed as JSON when it is; ttl in a `ttl` header)',
      params: { tenant: P.tenant, namespace: P.namespace, key: P.kvKey },
      body: {
        contentTypes: ['application/json', 'text/plain'],
        maxBytes: BODY_LIMITS.kvValue,
        schema: {
          type: 'object',
          required: ['value'],
          properties: { value: {}, type: { type: 'string', enum: [...KV_TYPES] }, ttl: { type: 'string' }, description: { type: 'string' }, overwrite: { type: 'boolean' } },
        },
      },
      responses: { 409: 'The key exists and overwrite is false', 422: 'Invalid key, type, ttl or value' },
    },
  )
  .add(
    'DELETE',
    '/api/v1/:tenant/namespaces/:namespace/kv/:key',
    async ({ params }) => {
      if (!(await services().kv.delete(params.tenant, params.namespace, params.key)))
        throw new AppError('NOT_FOUND', `no KV pair with key '${params.key}' in namespace ${params.namespace}`);
      return new Response(null, { status: 204 });
    },
    { summary: 'Delete a KV pair', params: { tenant: P.tenant, namespace: P.namespace, key: P.kvKey }, responses: { 204: 'Deleted', 404: 'No such key' } },
  )
  // Secrets: write-only through the API; values are never returned.
  .add(
    'PUT',
    '/api/v1/:tenant/secrets/:namespace/:name',
    async ({ request, params, caller }) => {
      const body = await readJsonObject(request, BODY_LIMITS.secret, '{"value": "..."}');
      if (typeof body.value !== 'string') throw new AppError('BAD_REQUEST', 'send {"value": "..."}');
      const namespace = params.namespace === '_' ? '' : params.namespace;
      await services().secrets.put(params.tenant, namespace, params.name, body.value, undefined, caller.id);
      return { namespace, name: params.name, stored: true };
    },
    {
      summary: 'Store a secret (write-only)',
      params: {
        tenant: P.tenant,
        namespace: `${P.namespace}, or _ for tenant-wide`,
        name: `Secret name (${FIELD_LIMITS.secretName.pattern.source}, at most ${FIELD_LIMITS.secretName.max})`,
      },
      body: {
        contentTypes: ['application/json'],
        maxBytes: BODY_LIMITS.secret,
        schema: { type: 'object', required: ['value'], properties: { value: { type: 'string', description: `At most ${FIELD_LIMITS.secretValueBytes} bytes (UTF-8)` } } },
      },
    },
  );

// ---- web UI (issue #3) ----
// Reads the UI needs beyond the Kestra-shaped API, the live follow stream of an execution, replay
// and bulk kill. Appended here so every route still goes through identify() in dispatch.
let uiServices: { queries: UiQueryService; actions: ExecutionActions; feeds: ExecutionFeeds } | undefined;
const ui = () => {
  const s = services();
  if (uiServices) return uiServices;
  const queries = new UiQueryService(s.db);
  // Live pages share one reader per execution, woken by PostgreSQL notifications (one LISTEN connection).
  const feeds = new ExecutionFeeds(queries, s.executions, new ExecutionChangeListener(s.env.databaseUrl));
  return (uiServices = { queries, actions: new ExecutionActions(s.executions, s.files), feeds });
};

router
  .add(
    'GET',
    '/api/v1/:tenant/namespaces',
    async ({ params, access }: RouteContext) =>
      (await ui().queries.namespaces(params.tenant)).filter((n) => access.can('flows.read', n.namespace) || access.can('executions.read', n.namespace)),
    { summary: 'Namespaces with flow and execution counts', params: { tenant: P.tenant }, readOnly: true },
  )
  .add(
    'GET',
    '/api/v1/:tenant/flows/:namespace/:id/revisions/:revision',
    async ({ params }: RouteContext) => {
      const revision = int(params.revision, 'the revision', REVISION_MAX);
      if (revision === undefined) throw new AppError('BAD_REQUEST', 'the revision is a number, e.g. /revisions/3');
      return ui().queries.revision(params.tenant, params.namespace, params.id, revision);
    },
    { summary: 'One revision of a flow', params: { tenant: P.tenant, namespace: P.namespace, id: P.flowId, revision: `Revision from 1 to ${REVISION_MAX}` }, readOnly: true },
  )
  /** ?flow=<namespace>/<id> (repeatable): the latest execution of each. */
  .add(
    'GET',
    '/api/v1/:tenant/flows/last-executions',
    async ({ params, url, access }: RouteContext) => {
      const flows = url.searchParams.getAll('flow').map((f: string) => {
        const i = f.lastIndexOf('/');
        if (i < 1) throw new AppError('BAD_REQUEST', `flow '${f.slice(0, 80)}' must be <namespace>/<id>`);
        return { namespace: f.slice(0, i), id: f.slice(i + 1) };
      });
      return ui().queries.lastExecutions(
        params.tenant,
        flows.filter((f) => access.can('executions.read', f.namespace)),
      );
    },
    {
      summary: 'The latest execution of each listed flow',
      params: { tenant: P.tenant },
      query: { flow: { description: '<namespace>/<id> (repeatable, up to 200)', repeatable: true } },
      readOnly: true,
    },
  )
  /** Keyset-paged executions: ?cursor=<next of the previous page>; total counted up to 10,000. */
  .add(
    'GET',
    '/api/v1/:tenant/executions/list',
    async ({ params, url, access }: RouteContext) => {
      return ui().queries.listExecutions(
        params.tenant,
        {
          ...executionFilters(url),
          within: access.within('executions.read'),
        },
        { size: size(url.searchParams.get('size')), cursor: url.searchParams.get('cursor') ?? undefined, count: url.searchParams.get('count') !== 'false' },
      );
    },
    {
      summary: 'Keyset pages of executions (for the UI)',
      params: { tenant: P.tenant },
      query: {
        ...EXECUTION_FILTERS,
        size: SEARCH_QUERY.size,
        cursor: { description: '`next` of the previous page' },
        count: { description: '`false` to skip counting', type: 'boolean' },
      },
      readOnly: true,
    },
  )
  .add(
    'GET',
    '/api/v1/:tenant/executions/:id/follow',
    async ({ params, request }: RouteContext) => {
      const { queries, feeds } = ui();
      const first = await services().executions.get(params.tenant, params.id); // 404 before the stream starts
      // The pinned revision goes first: the page lays out the graph while the rest streams in.
      const revision = await queries.revision(params.tenant, first.namespace, first.flowId, first.flowRevision).catch(() => undefined);
      const prelude = revision ? [{ event: 'revision', data: revision }] : [];
      return new Response(followExecution(feeds, params.tenant, first, request.signal, { prelude }), {
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
      });
    },
    { summary: "Server-sent events of an execution's changes and logs", params: { tenant: P.tenant, id: P.executionId }, readOnly: true, responses: { 200: 'text/event-stream' } },
  )
  /** Body: {inputs?: {...}, revision?: "latest" | number}; answers the new execution. */
  .add(
    'POST',
    '/api/v1/:tenant/executions/:id/replay',
    async ({ request, params, caller }: RouteContext) => {
      const body = await readJsonObject(request, BODY_LIMITS.inputs, '{"inputs": {...}, "revision": "latest"}');
      if (body.inputs !== undefined && (typeof body.inputs !== 'object' || body.inputs === null || Array.isArray(body.inputs))) {
        throw new AppError('BAD_REQUEST', 'inputs must be a JSON object such as {"name": "value"}');
      }
      if (
        body.revision !== undefined &&
        body.revision !== 'latest' &&
        !(Number.isSafeInteger(body.revision) && (body.revision as number) >= 1 && (body.revision as number) <= REVISION_MAX)
      ) {
        throw new AppError('BAD_REQUEST', `revision is "latest" or a revision number from 1 to ${REVISION_MAX}`);
      }
      const view = await ui().actions.replay(params.tenant, params.id, {
        inputs: body.inputs as Record<string, unknown> | undefined,
        revision: body.revision as 'latest' | number | undefined,
        by: caller.id,
      });
      return json(view, 201);
    },
    {
      summary: 'Replay an execution as a new one (same or new inputs, same or latest revision)',
      params: { tenant: P.tenant, id: P.executionId },
      body: {
        contentTypes: ['application/json'],
        maxBytes: BODY_LIMITS.inputs,
        schema: { type: 'object', properties: { inputs: { type: 'object' }, revision: { oneOf: [{ const: 'latest' }, { type: 'integer', minimum: 1, maximum: REVISION_MAX }] } } },
      },
      responses: { 201: 'The new execution' },
    },
  )
  /** Body: {ids: [...]} (or a bare array, as Kestra takes it). */
  .add(
    'DELETE',
    '/api/v1/:tenant/executions/kill/by-ids',
    async ({ request, params, caller, access }: RouteContext) => {
      const body = await readJson(request, BODY_LIMITS.killByIds);
      const ids = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as { ids?: unknown }).ids : undefined;
      if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string' && i.length <= FIELD_LIMITS.executionIdMax)) {
        throw new AppError('BAD_REQUEST', `send {"ids": ["<execution id>", ...]} (ids of at most ${FIELD_LIMITS.executionIdMax} characters)`);
      }
      // Every execution named must be one the caller may operate: all or nothing, and the refusal names the first.
      if (!access.everything) {
        const rows = await services().db.execution.findMany({ where: { tenant: params.tenant, id: { in: ids as string[] } }, select: { namespace: true } });
        for (const row of rows) access.require('executions.operate', row.namespace);
      }
      return ui().actions.killMany(params.tenant, ids as string[], caller.id);
    },
    {
      summary: 'Kill many executions (at most 500)',
      params: { tenant: P.tenant },
      body: {
        contentTypes: ['application/json'],
        maxBytes: BODY_LIMITS.killByIds,
        schema: {
          oneOf: [
            { type: 'object', required: ['ids'], properties: { ids: { type: 'array', maxItems: 500, items: { type: 'string' } } } },
            { type: 'array', maxItems: 500, items: { type: 'string' } },
          ],
        },
      },
    },
  );

addCodecRoutes(router);
addSecretRoutes(router);
addCredentialRoutes(router);
addAppRoutes(router);
// ---- identity: setup, sign-in, who am I, users and API tokens (issue #8, docs/auth.md) ----
addIdentityRoutes(router);
addAuditRoutes(router);
addApprovalRoutes(router);
addKillSwitchRoutes(router);
// ---- files of executions (internal storage) ----
addFileRoutes(router);
addNamespaceFileRoutes(router);
addTriggerRoutes(router);
addBlueprintRoutes(router);
