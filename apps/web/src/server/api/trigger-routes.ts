import 'server-only';
import { AppError, MAX_FIRES_PER_EVALUATION } from '@baton/engine';
import { LoginThrottle, type ThrottleRule } from '@baton/engine/identity';
import { clientInfo } from '../auth/identify';
import { services } from '../services';
import { json, readJsonObject, readText, type Router } from './handler';
import { BODY_LIMITS, FIELD_LIMITS } from './limits';

const TENANT = `Tenant id (${FIELD_LIMITS.tenantId.pattern.source}); \`main\` exists by default`;
const NAMESPACE = 'Namespace of the flow';
const FLOW = 'Flow id';
const TRIGGER = 'Trigger id, as the flow declares it';

/**
 * Wrong webhook keys per (client address, flow): 10 free, then locked for a time that doubles (to
 * 5 min). Per flow, so guessing one flow's key does not lock a caller out of the webhooks it knows.
 */
const WRONG_KEY_RULE: ThrottleRule = { free: 10, maxLockMs: 5 * 60_000, windowMs: 5 * 60_000 };
const wrongKeys = new LoginThrottle();

function multiMap(entries: Iterable<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of entries) (out[k] ??= []).push(v);
  return out;
}

/** Headers the flow never sees: they carry the caller's credentials or the proxy's internals. */
const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

async function webhook({ request, params, url }: { request: Request; params: Record<string, string>; url: URL }) {
  const address = `${clientInfo(request).address} ${params.tenant}/${params.namespace}/${params.flowId}`;
  const wait = wrongKeys.waitSeconds(address, WRONG_KEY_RULE);
  if (wait > 0) {
    const error = new AppError('TOO_MANY_REQUESTS', `too many calls with a wrong key for this webhook from this address; retry in ${wait} s`);
    error.retryAfter = wait;
    throw error;
  }
  const text = request.method === 'GET' ? '' : await readText(request, BODY_LIMITS.inputs);
  let body: unknown = text || null;
  if (text && (request.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError('BAD_REQUEST', 'the body is sent as JSON but is not valid JSON');
    }
  }
  const headers = multiMap([...request.headers.entries()].filter(([k]) => !HIDDEN_HEADERS.has(k.toLowerCase())));
  let result;
  try {
    result = await services().triggers.webhooks.call(params.tenant, params.namespace, params.flowId, params.key, {
      method: request.method,
      body,
      headers,
      parameters: multiMap(url.searchParams.entries()),
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') wrongKeys.fail(address, WRONG_KEY_RULE);
    throw error;
  }
  if (!result.started) return new Response(null, { status: 204 });
  if (result.wait && result.returnOutputs) return json(result.execution.outputs);
  return json(result.execution);
}

const webhookDoc = {
  summary: "Start a flow from its Webhook trigger (Kestra's route). The key is the credential: no other is needed",
  description:
    "A wrong key or flow is 404; repeated wrong keys from one address are 429. With the trigger's `wait: true` the answer comes when the execution ends; with `returnOutputs: true` it is the flow outputs. 204 when the trigger's conditions do not hold.",
  params: { tenant: TENANT, namespace: NAMESPACE, flowId: FLOW, key: "The trigger's key" },
  responses: { 200: 'The execution (or its outputs)', 204: 'Conditions not met: nothing started', 404: 'No such webhook', 429: 'Too many wrong keys' },
};

const refOf = (params: Record<string, string>) => ({ tenant: params.tenant, namespace: params.namespace, flowId: params.flowId, triggerId: params.triggerId });

function backfillRange(startValue: unknown, endValue: unknown): { start: Date; end: Date } {
  const start = typeof startValue === 'string' && startValue ? new Date(startValue) : undefined;
  const end = typeof endValue === 'string' && endValue ? new Date(endValue) : new Date();
  if (!start || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    throw new AppError('BAD_REQUEST', 'send start (and end, default now) as ISO-8601 date-times, e.g. {"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}');
  return { start, end };
}

/** A backfill's own labels: strings, and not `system.*` (Baton sets system.backfill and system.backfillId). */
function backfillLabels(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new AppError('BAD_REQUEST', 'labels must be an object of key: value strings, e.g. {"reason": "replay after outage"}');
  const labels: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new AppError('BAD_REQUEST', `label ${key} must be a string`);
    if (key.startsWith('system.')) throw new AppError('BAD_REQUEST', `label ${key}: system.* labels are set by Baton; choose another key`);
    labels[key] = v;
  }
  return labels;
}

function backfillInputs(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new AppError('BAD_REQUEST', 'inputs must be an object of input id: value');
  return value as Record<string, unknown>;
}

/** Triggers: the Triggers page's listing, enable/disable, schedule backfills, and Kestra's webhook route. */
export function addTriggerRoutes(router: Router): void {
  router
    .add(
      'GET',
      '/api/v1/:tenant/triggers',
      async ({ params, url, access }) => {
        const results = await services().triggers.list(params.tenant, {
          within: access.within('flows.read'),
          namespace: url.searchParams.get('namespace') ?? undefined,
          flowId: url.searchParams.get('flowId') ?? undefined,
        });
        return { results, total: results.length };
      },
      {
        summary: 'Every trigger of the flows the caller may read: type, next and last fire, last execution, whether it is disabled, why the last evaluation did not fire',
        params: { tenant: TENANT },
        query: { namespace: { description: 'Namespace, including its children' }, flowId: { description: 'One flow' } },
        readOnly: true,
      },
    )
    .add(
      'PUT',
      '/api/v1/:tenant/triggers/:namespace/:flowId/:triggerId',
      async ({ request, params }) => {
        const body = await readJsonObject(request, BODY_LIMITS.inputs, '{"disabled": true}');
        if (typeof body.disabled !== 'boolean') throw new AppError('BAD_REQUEST', 'send {"disabled": true} or {"disabled": false}');
        return services().triggers.setDisabled({ tenant: params.tenant, namespace: params.namespace, flowId: params.flowId, triggerId: params.triggerId }, body.disabled);
      },
      {
        summary: 'Enable or disable a trigger (a re-enabled schedule resumes from now)',
        params: { tenant: TENANT, namespace: NAMESPACE, flowId: FLOW, triggerId: TRIGGER },
        body: {
          contentTypes: ['application/json'],
          maxBytes: BODY_LIMITS.inputs,
          schema: { type: 'object', required: ['disabled'], properties: { disabled: { type: 'boolean' } } },
        },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/triggers/:namespace/:flowId/:triggerId/backfill/preview',
      async ({ params, url }) => {
        const range = backfillRange(url.searchParams.get('start') ?? undefined, url.searchParams.get('end') ?? undefined);
        return services().triggers.schedules.previewBackfill(refOf(params), range);
      },
      {
        summary: `How many fire times a backfill of the range would start (at most ${MAX_FIRES_PER_EVALUATION}; \`capped\` says the range holds more), with the first and last`,
        params: { tenant: TENANT, namespace: NAMESPACE, flowId: FLOW, triggerId: TRIGGER },
        query: { start: { description: 'ISO-8601 date-time' }, end: { description: 'ISO-8601 date-time, default now' } },
        readOnly: true,
      },
    )
    .add(
      'POST',
      '/api/v1/:tenant/triggers/:namespace/:flowId/:triggerId/backfill',
      async ({ request, params }) => {
        const body = await readJsonObject(request, BODY_LIMITS.inputs, '{"start": "2026-01-01T00:00:00Z", "end": "2026-01-02T00:00:00Z"}');
        const range = backfillRange(body.start, body.end);
        return services().triggers.schedules.backfill(refOf(params), { ...range, labels: backfillLabels(body.labels), inputs: backfillInputs(body.inputs) });
      },
      {
        summary:
          'Backfill a Schedule trigger: start the fire times of a range now (a time already started is not started again). The executions are labelled `system.backfill: true` and `system.backfillId`, answered as `backfillId`: search executions by that label to follow the progress',
        params: { tenant: TENANT, namespace: NAMESPACE, flowId: FLOW, triggerId: TRIGGER },
        body: {
          contentTypes: ['application/json'],
          maxBytes: BODY_LIMITS.inputs,
          schema: {
            type: 'object',
            required: ['start'],
            properties: {
              start: { type: 'string', format: 'date-time' },
              end: { type: 'string', format: 'date-time' },
              inputs: { type: 'object', description: "Inputs of every execution, over the trigger's own" },
              labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels added to every execution (not `system.*`)' },
            },
          },
        },
      },
    )
    .add('GET', '/api/v1/:tenant/executions/webhook/:namespace/:flowId/:key', webhook, webhookDoc)
    .add('POST', '/api/v1/:tenant/executions/webhook/:namespace/:flowId/:key', webhook, webhookDoc)
    .add('PUT', '/api/v1/:tenant/executions/webhook/:namespace/:flowId/:key', webhook, webhookDoc);
}
