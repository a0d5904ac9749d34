import 'server-only';
import { AppError, parseKillSwitchInput } from '@baton/engine';
import type { KillSwitchScope } from '@baton/contract';
import { services } from '../services';
import { readJsonObject, type RouteContext, type Router } from './handler';
import { BODY_LIMITS } from './limits';

// Kill switches (docs/kill-switch.md). Access: the rules say "executions.operate somewhere"
// (reading: executions.read); each handler then checks the switch's own scope: a tenant-wide switch
// needs executions.operate tenant-wide (an Admin, or an Operator bound tenant-wide), a namespace,
// flow or execution switch needs it at that namespace (Operators within their namespaces).

const TENANT = 'Tenant id';
const ID = 'Kill switch id (ks_...)';
const SCOPE_QUERY = {
  tenant: { description: 'true: the whole tenant (when no other scope is named)', type: 'boolean' as const },
  namespace: { description: 'Namespace (with its children); absent with the others: the whole tenant' },
  flowId: { description: 'Flow id (with namespace)' },
  executionId: { description: 'One execution (alone)' },
};

/** The preview's scope; the whole tenant must be asked for by name (?tenant=true), never by forgetting the others. */
function scopeFromQuery(url: URL): KillSwitchScope {
  const q = (name: string) => url.searchParams.get(name) || undefined;
  const scope = { namespace: q('namespace'), flowId: q('flowId'), executionId: q('executionId') };
  if (!scope.namespace && !scope.executionId && q('tenant') !== 'true') {
    throw new AppError('BAD_REQUEST', 'name the scope: ?namespace=team.a, ?namespace=team.a&flowId=deploy, ?executionId=..., or ?tenant=true for the whole tenant');
  }
  if (scope.flowId && !scope.namespace) throw new AppError('BAD_REQUEST', 'flowId needs namespace too (?namespace=team.a&flowId=deploy)');
  return scope;
}

async function requireOperateOn({ params, access }: RouteContext, scope: KillSwitchScope) {
  access.require('executions.operate', await services().killSwitches.scopeNamespace(params.tenant, scope));
}

export function addKillSwitchRoutes(router: Router): void {
  router
    .add(
      'POST',
      '/api/v1/:tenant/kill-switches',
      async (ctx) => {
        const body = await readJsonObject(ctx.request, BODY_LIMITS.default, '{"scope": {"namespace": "team.a"}, "mode": "KILL", "reason": "..."}');
        const input = parseKillSwitchInput(body);
        await requireOperateOn(ctx, input.scope);
        return Response.json(await services().killSwitches.create(ctx.params.tenant, input, ctx.caller.id), { status: 201 });
      },
      {
        summary: 'Set a kill switch: refuse new executions in a scope (KILL also kills, CANCEL also cancels, those running there)',
        description:
          'KILL kills running, paused and queued executions in scope now; CANCEL lets running ones finish their current task, then end CANCELLED; BLOCK only refuses new ones. Every start in scope (API, UI, triggers, subflows, replay, restart) is answered 409 naming the switch, its reason and who set it, until it is lifted or its endDate passes.',
        params: { tenant: TENANT },
        body: {
          contentTypes: ['application/json'],
          maxBytes: BODY_LIMITS.default,
          schema: {
            type: 'object',
            required: ['mode', 'reason'],
            properties: {
              scope: {
                type: 'object',
                description: '{} the whole tenant; {namespace} with its children; {namespace, flowId}; {executionId}',
                properties: { namespace: { type: 'string' }, flowId: { type: 'string' }, executionId: { type: 'string' } },
              },
              mode: { type: 'string', enum: ['KILL', 'CANCEL', 'BLOCK'] },
              reason: { type: 'string', maxLength: 1000, description: 'Shown to whoever is refused' },
              endDate: { type: 'string', format: 'date-time', description: 'Lifts itself then; absent: until lifted' },
            },
          },
        },
        responses: { 201: 'The switch, with `affected`: executions killed or told to cancel', 403: 'No executions.operate over the scope' },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/kill-switches',
      async ({ params, url, access }) => {
        const namespace = url.searchParams.get('namespace') || undefined;
        const flowId = url.searchParams.get('flowId') || undefined;
        const results = await services().killSwitches.list(params.tenant, {
          inForce: url.searchParams.get('inForce') === 'true',
          covering: namespace ? { namespace, flowId } : undefined,
          within: access.within('executions.read'),
        });
        return { results, total: results.length };
      },
      {
        summary: 'Kill switches, newest first (the 500 latest)',
        params: { tenant: TENANT },
        query: {
          inForce: { description: 'true: only switches in force now', type: 'boolean' },
          namespace: { description: 'Only switches covering this namespace (the tenant, it, a parent; with flowId: that flow too): the banners' },
          flowId: { description: 'With namespace: the flow page' },
        },
        readOnly: true,
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/kill-switches/preview',
      async (ctx) => {
        const scope = scopeFromQuery(ctx.url);
        await requireOperateOn(ctx, scope);
        return services().killSwitches.preview(ctx.params.tenant, scope);
      },
      {
        summary: 'The blast radius of a switch on a scope: executions running, paused and queued there now, by flow',
        params: { tenant: TENANT },
        query: SCOPE_QUERY,
        readOnly: true,
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/kill-switches/:id',
      async ({ params, access }) => {
        const ks = await services().killSwitches.get(params.tenant, params.id);
        access.require('executions.read', ks.scope.namespace ?? '');
        return ks;
      },
      { summary: 'One kill switch', params: { tenant: TENANT, id: ID }, readOnly: true },
    )
    .add(
      'DELETE',
      '/api/v1/:tenant/kill-switches/:id',
      async (ctx) => {
        const ks = await services().killSwitches.get(ctx.params.tenant, ctx.params.id);
        ctx.access.require('executions.operate', ks.scope.namespace ?? '');
        return services().killSwitches.lift(ctx.params.tenant, ctx.params.id, ctx.caller.id);
      },
      { summary: 'Lift a kill switch: executions in its scope may start again', params: { tenant: TENANT, id: ID }, responses: { 409: 'Already lifted' } },
    );
}
