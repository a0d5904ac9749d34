// GET /api/v1/openapi.json: the API described from the route table itself (each route carries a
// small RouteDoc), so the document lists exactly what the router serves, limits included.
import type { Route } from './handler';
import { BODY_LIMITS, JSON_MAX_DEPTH, PARAM_MAX_CHARS, QUERY_MAX_CHARS } from './limits';

const ERROR = { $ref: '#/components/schemas/Error' };

const COMMON_RESPONSES: Record<string, { description: string; content?: unknown; headers?: unknown }> = {
  400: { description: 'Malformed request (bad %-escape, control character, not JSON, number or date out of range); the message says how to fix it' },
  401: { description: 'Sign in (HTTP Basic) when BATON_ADMIN_EMAIL/PASSWORD are set' },
  404: { description: 'Unknown route, tenant, flow or execution' },
  413: { description: 'Body (or a secret value) past its limit; refused before it is read to the end' },
  422: { description: 'Invalid flow ({errors: [{path, line, column, message}]}), invalid inputs ({errors: [{input, message}]}) or a field past its limit' },
  503: { description: 'Temporal is unreachable; nothing was started. Retry after the Retry-After header', headers: { 'Retry-After': { schema: { type: 'integer' } } } },
};

/** `/api/v1/:tenant/flows/:id` → `/api/v1/{tenant}/flows/{id}` */
export function openApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z]+)/g, '{$1}');
}

export function openApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = route.doc ?? { summary: `${route.method} ${route.pattern}` };
    const names = route.segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
    const parameters: unknown[] = names.map((name) => ({
      name,
      in: 'path',
      required: true,
      description: doc.params?.[name] ?? name,
      schema: { type: 'string', maxLength: PARAM_MAX_CHARS },
    }));
    for (const [name, q] of Object.entries(doc.query ?? {})) {
      const schema = { type: q.type ?? 'string', ...(q.type === 'integer' ? {} : { maxLength: QUERY_MAX_CHARS }) };
      parameters.push({
        name,
        in: 'query',
        required: false,
        description: q.description,
        ...(q.repeatable ? { schema: { type: 'array', items: schema }, explode: true } : { schema }),
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(doc.responses ?? { 200: 'OK' })) responses[status] = { description };
    if (!Object.keys(responses).some((s) => s.startsWith('2'))) responses['200'] = { description: 'OK' };
    for (const [status, r] of Object.entries(COMMON_RESPONSES)) {
      if (responses[status]) continue;
      if (status === '413' && !doc.body) continue;
      responses[status] = { ...r, content: { 'application/json': { schema: ERROR } } };
    }
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${route.pattern.replace(/[/:{}._-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      parameters,
      responses,
      'x-baton-read-only': doc.readOnly === true,
    };
    if (doc.body) {
      operation.requestBody = {
        required: false,
        description: `${doc.body.description ? `${doc.body.description}. ` : ''}At most ${doc.body.maxBytes} bytes.`,
        content: Object.fromEntries(doc.body.contentTypes.map((t) => [t, { schema: doc.body!.schema ?? {} }])),
      };
      operation['x-baton-max-body-bytes'] = doc.body.maxBytes;
    }
    (paths[openApiPath(route.pattern)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Baton REST API',
      version: '1',
      description: `Kestra-shaped API of Baton. Limits: flow source ${BODY_LIMITS.flowSource} bytes, inputs ${BODY_LIMITS.inputs} bytes, JSON nesting ${JSON_MAX_DEPTH} levels, path parameters ${PARAM_MAX_CHARS} characters, query values ${QUERY_MAX_CHARS} characters. A user's mistake is a 4xx whose message says how to fix it.`,
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['message', 'code'],
          properties: { message: { type: 'string' }, code: { type: 'string' }, errors: { type: 'array' }, details: {} },
        },
      },
      securitySchemes: { basic: { type: 'http', scheme: 'basic' } },
    },
  };
}
