import 'server-only';
import { AppError, createdExecutionView } from '@baton/engine';
import { flowJsonSchema } from '@baton/flow';
import { ExecutionActions } from '@baton/engine/services/execution-actions';
import { followExecution } from '@baton/engine/services/execution-follow';
import { UiQueryService } from '@baton/engine/services/ui-queries';
import { describePlugin } from '@baton/plugin-sdk';
import { services } from '../services';
import { json, readInputs, readJson, Router, type RouteContext } from './handler';

const MAX_FLOW_BYTES = 1_000_000;

async function readYaml(request: Request): Promise<string> {
  const text = await request.text();
  if (!text.trim()) throw new AppError('BAD_REQUEST', 'send the flow YAML as the request body (Content-Type: application/x-yaml)');
  if (text.length > MAX_FLOW_BYTES) throw new AppError('BAD_REQUEST', `a flow is limited to ${MAX_FLOW_BYTES} bytes`);
  return text;
}

function flowView(flow: { tenant: string; namespace: string; id: string; revision: number; source: string; description: string | null; labels: unknown; disabled: boolean; deleted: boolean; updatedAt: Date }) {
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

const int = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

function date(v: string | null, name: string) {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new AppError('BAD_REQUEST', `${name} must be an ISO-8601 date-time`);
  return d;
}

/** labels=key:value (repeatable), as Kestra's search takes them. */
function labels(url: URL) {
  const out: Record<string, string> = {};
  for (const l of url.searchParams.getAll('labels')) {
    const i = l.indexOf(':');
    if (i < 1) throw new AppError('BAD_REQUEST', `label filter '${l}' must be key:value`);
    out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

export const router: Router = new Router()
  .add('GET', '/api/health', async () => {
    const { db } = services();
    await db.$queryRaw`SELECT 1`;
    return { status: 'UP', database: 'UP' };
  })
  .add('GET', '/api/v1', async (): Promise<unknown> => ({ routes: router.list() }))
  .add('GET', '/api/v1/plugins', async () => services().registry.list().map(describePlugin))
  .add('GET', '/api/v1/plugins/schemas/flow', async () => flowJsonSchema(services().registry))
  .add('GET', '/api/v1/plugins/:type', async ({ params }) => {
    const definition = services().registry.resolve(params.type);
    if (!definition) throw new AppError('NOT_FOUND', `no plugin ${params.type}; did you mean ${services().registry.suggest(params.type).join(', ') || 'one from GET /api/v1/plugins'}?`);
    return describePlugin(definition);
  })

  // ---- flows ----
  .add('POST', '/api/v1/:tenant/flows/validate', async ({ request }) => {
    const result = services().flows.validate(await readYaml(request));
    return { valid: result.errors.length === 0, errors: result.errors };
  })
  .add('POST', '/api/v1/:tenant/flows', async ({ request, params, caller }) => {
    const { flow, created, changed } = await services().flows.save(params.tenant, await readYaml(request), caller.id);
    return json({ ...flowView(flow), changed }, created ? 201 : 200);
  })
  .add('GET', '/api/v1/:tenant/flows/search', async ({ params, url }) => {
    const page = int(url.searchParams.get('page')) ?? 1;
    const size = int(url.searchParams.get('size')) ?? 25;
    const { results, total } = await services().flows.search(params.tenant, { namespace: url.searchParams.get('namespace') ?? undefined, q: url.searchParams.get('q') ?? undefined, page, size });
    return { results: results.map(flowView), total, page, size };
  })
  .add('GET', '/api/v1/:tenant/flows/:namespace/:id', async ({ params, url }) => {
    const flow = await services().flows.get({ tenant: params.tenant, namespace: params.namespace, id: params.id });
    if (url.searchParams.get('source') === 'yaml') return new Response(flow.source, { headers: { 'content-type': 'application/x-yaml' } });
    return flowView(flow);
  })
  .add('PUT', '/api/v1/:tenant/flows/:namespace/:id', async ({ request, params, caller }) => {
    const source = await readYaml(request);
    const check = services().flows.validate(source);
    if (check.plan && (check.plan.namespace !== params.namespace || check.plan.id !== params.id)) {
      throw new AppError('BAD_REQUEST', `the YAML declares ${check.plan.namespace}.${check.plan.id}, not ${params.namespace}.${params.id}`);
    }
    const { flow, changed } = await services().flows.save(params.tenant, source, caller.id);
    return { ...flowView(flow), changed };
  })
  .add('DELETE', '/api/v1/:tenant/flows/:namespace/:id', async ({ params }) => {
    await services().flows.delete({ tenant: params.tenant, namespace: params.namespace, id: params.id });
    return new Response(null, { status: 204 });
  })
  .add('GET', '/api/v1/:tenant/flows/:namespace/:id/revisions', async ({ params }) => {
    const revisions = await services().flows.revisions({ tenant: params.tenant, namespace: params.namespace, id: params.id });
    return revisions.map((r) => ({ revision: r.revision, source: r.source, created: r.createdAt.toISOString(), createdBy: r.createdBy }));
  })

  // ---- executions ----
  .add('GET', '/api/v1/:tenant/executions/search', async ({ params, url }) => {
    const page = int(url.searchParams.get('page')) ?? 1;
    const size = int(url.searchParams.get('size')) ?? 25;
    const state = url.searchParams.getAll('state').flatMap((s) => s.split(',')).filter(Boolean);
    const { results, total } = await services().executions.search(params.tenant, {
      namespace: url.searchParams.get('namespace') ?? undefined,
      flowId: url.searchParams.get('flowId') ?? undefined,
      state,
      startDate: date(url.searchParams.get('startDate'), 'startDate'),
      endDate: date(url.searchParams.get('endDate'), 'endDate'),
      labels: labels(url),
      page,
      size,
    });
    return { results, total, page, size };
  })
  .add('POST', '/api/v1/:tenant/executions/:namespace/:flowId', async ({ request, params, url, caller }) => {
    const inputs = await readInputs(request);
    const { executions } = services();
    const started = await executions.start({ tenant: params.tenant, namespace: params.namespace, id: params.flowId }, inputs, {
      labels: labels(url),
      triggeredBy: caller.id,
    });
    const view = url.searchParams.get('wait') === 'true'
      ? await executions.waitForEnd(params.tenant, started.executionId, 10 * 60_000)
      : createdExecutionView(started, new Date(), caller.id);
    return json(view, 200);
  })
  .add('GET', '/api/v1/:tenant/executions/:id', async ({ params }) => services().executions.get(params.tenant, params.id))
  .add('POST', '/api/v1/:tenant/executions/:id/resume', async ({ request, params, caller }: RouteContext) => {
    const inputs = await readInputs(request);
    return services().executions.resume(params.tenant, params.id, caller.id, inputs);
  })
  .add('POST', '/api/v1/:tenant/executions/:id/restart', async ({ params, caller }) => json(await services().executions.restart(params.tenant, params.id, caller.id), 202))
  .add('DELETE', '/api/v1/:tenant/executions/:id/kill', async ({ params, caller }) => json(await services().executions.kill(params.tenant, params.id, caller.id), 202))
  .add('GET', '/api/v1/:tenant/logs/:executionId', async ({ params, url }) =>
    services().executions.logs(params.tenant, params.executionId, {
      taskRunId: url.searchParams.get('taskRunId') ?? undefined,
      minLevel: url.searchParams.get('minLevel') ?? undefined,
    }))
  // Secrets: write-only through the API; values are never returned.
  .add('PUT', '/api/v1/:tenant/secrets/:namespace/:name', async ({ request, params }) => {
    const body = (await readJson(request)) as { value?: unknown };
    if (typeof body.value !== 'string') throw new AppError('BAD_REQUEST', 'send {"value": "..."}');
    const namespace = params.namespace === '_' ? '' : params.namespace;
    await services().secrets.put(params.tenant, namespace, params.name, body.value);
    return { namespace, name: params.name, stored: true };
  });

// ---- web UI (issue #3) ----
// Reads the UI needs beyond the Kestra-shaped API, the live follow stream of an execution, replay
// and bulk kill. Appended here so every route still goes through identify() in dispatch.
let uiServices: { queries: UiQueryService; actions: ExecutionActions } | undefined;
const ui = () => {
  const s = services();
  return (uiServices ??= { queries: new UiQueryService(s.db), actions: new ExecutionActions(s.executions) });
};

router
  .add('GET', '/api/v1/tenants', async () => ui().queries.tenants())
  .add('GET', '/api/v1/:tenant/namespaces', async ({ params }: RouteContext) => ui().queries.namespaces(params.tenant))
  .add('GET', '/api/v1/:tenant/flows/:namespace/:id/revisions/:revision', async ({ params }: RouteContext) => {
    const revision = int(params.revision);
    if (revision === undefined) throw new AppError('BAD_REQUEST', 'the revision is a number, e.g. /revisions/3');
    return ui().queries.revision(params.tenant, params.namespace, params.id, revision);
  })
  /** ?flow=<namespace>/<id> (repeatable): the latest execution of each. */
  .add('GET', '/api/v1/:tenant/flows/last-executions', async ({ params, url }: RouteContext) => {
    const flows = url.searchParams.getAll('flow').map((f: string) => {
      const i = f.lastIndexOf('/');
      if (i < 1) throw new AppError('BAD_REQUEST', `flow '${f}' must be <namespace>/<id>`);
      return { namespace: f.slice(0, i), id: f.slice(i + 1) };
    });
    return ui().queries.lastExecutions(params.tenant, flows);
  })
  /** Keyset-paged executions: ?cursor=<next of the previous page>; total counted up to 10,000. */
  .add('GET', '/api/v1/:tenant/executions/list', async ({ params, url }: RouteContext) => {
    const state = url.searchParams.getAll('state').flatMap((s: string) => s.split(',')).filter(Boolean);
    return ui().queries.listExecutions(params.tenant, {
      namespace: url.searchParams.get('namespace') ?? undefined,
      flowId: url.searchParams.get('flowId') ?? undefined,
      state,
      startDate: date(url.searchParams.get('startDate'), 'startDate'),
      endDate: date(url.searchParams.get('endDate'), 'endDate'),
      labels: labels(url),
    }, { size: int(url.searchParams.get('size')), cursor: url.searchParams.get('cursor') ?? undefined, count: url.searchParams.get('count') !== 'false' });
  })
  .add('GET', '/api/v1/:tenant/executions/:id/follow', async ({ params, request }: RouteContext) => {
    const { queries } = ui();
    const first = await services().executions.get(params.tenant, params.id); // 404 before the stream starts
    // The pinned revision goes first: the page lays out the graph while the rest streams in.
    const revision = await queries.revision(params.tenant, first.namespace, first.flowId, first.flowRevision).catch(() => undefined);
    const prelude = revision ? [{ event: 'revision', data: revision }] : [];
    return new Response(followExecution(queries, services().executions, params.tenant, first, request.signal, { prelude }), {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    });
  })
  /** Body: {inputs?: {...}, revision?: "latest" | number}; answers the new execution. */
  .add('POST', '/api/v1/:tenant/executions/:id/replay', async ({ request, params, caller }: RouteContext) => {
    const body = (await readJson(request)) as { inputs?: unknown; revision?: unknown };
    if (body.inputs !== undefined && (typeof body.inputs !== 'object' || body.inputs === null || Array.isArray(body.inputs))) {
      throw new AppError('BAD_REQUEST', 'inputs must be a JSON object such as {"name": "value"}');
    }
    if (body.revision !== undefined && body.revision !== 'latest' && !Number.isInteger(body.revision)) {
      throw new AppError('BAD_REQUEST', 'revision is "latest" or a revision number');
    }
    const view = await ui().actions.replay(params.tenant, params.id, {
      inputs: body.inputs as Record<string, unknown> | undefined,
      revision: body.revision as 'latest' | number | undefined,
      by: caller.id,
    });
    return json(view, 201);
  })
  /** Body: {ids: [...]} (or a bare array, as Kestra takes it). */
  .add('DELETE', '/api/v1/:tenant/executions/kill/by-ids', async ({ request, params, caller }: RouteContext) => {
    const body = await readJson(request);
    const ids = Array.isArray(body) ? body : (body as { ids?: unknown }).ids;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) throw new AppError('BAD_REQUEST', 'send {"ids": ["<execution id>", ...]}');
    return ui().actions.killMany(params.tenant, ids as string[], caller.id);
  });
