import 'server-only';
import { AppError } from '@baton/engine';
import { requireRole } from '../auth/identify';
import { services } from '../services';
import { readJsonObject, type Router } from './handler';
import { BODY_LIMITS, FIELD_LIMITS } from './limits';

const TENANT = `Tenant id (${FIELD_LIMITS.tenantId.pattern.source}); \`main\` exists by default`;
const NAMESPACE = 'Namespace, e.g. company.team: sees its own secrets and those of its parents (closest wins) and tenant-wide ones';
const KEY = `Secret name (${FIELD_LIMITS.secretName.pattern.source}, at most ${FIELD_LIMITS.secretName.max})`;

/**
 * Namespace secrets in Kestra Enterprise's route shape. Write-only: no route answers a value.
 * Values are encrypted at rest (SecretStore); the older PUT /secrets/{namespace}/{name} keeps working.
 */
export function addSecretRoutes(router: Router): void {
  router
    .add(
      'GET',
      '/api/v1/:tenant/namespaces/:namespace/secrets',
      async ({ params }) => {
        const results = await services().secrets.list(params.tenant, params.namespace);
        return { results, total: results.length };
      },
      { summary: 'Secrets a namespace sees: names and metadata, never values', params: { tenant: TENANT, namespace: NAMESPACE }, readOnly: true },
    )
    .add(
      'PUT',
      '/api/v1/:tenant/namespaces/:namespace/secrets',
      async ({ request, params, caller }) => {
        const body = await readJsonObject(request, BODY_LIMITS.secret, '{"key": "API_TOKEN", "value": "..."}');
        if (typeof body.key !== 'string' || typeof body.value !== 'string')
          throw new AppError('BAD_REQUEST', 'send {"key": "API_TOKEN", "value": "...", "description": "optional"}');
        if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 1000)) {
          throw new AppError('UNPROCESSABLE', 'description must be text of at most 1000 characters');
        }
        await services().secrets.put(params.tenant, params.namespace, body.key, body.value, body.description as string | undefined, caller.id);
        return { key: body.key, namespace: params.namespace, stored: true };
      },
      {
        summary: 'Store a namespace secret (write-only, encrypted at rest)',
        params: { tenant: TENANT, namespace: NAMESPACE },
        body: {
          contentTypes: ['application/json'],
          maxBytes: BODY_LIMITS.secret,
          schema: {
            type: 'object',
            required: ['key', 'value'],
            properties: {
              key: { type: 'string', description: KEY },
              value: { type: 'string', description: `At most ${FIELD_LIMITS.secretValueBytes} bytes (UTF-8)` },
              description: { type: 'string', maxLength: 1000 },
            },
          },
        },
      },
    )
    .add(
      'DELETE',
      '/api/v1/:tenant/namespaces/:namespace/secrets/:key',
      async ({ params }) => {
        await services().secrets.delete(params.tenant, params.namespace, params.key);
        return new Response(null, { status: 204 });
      },
      { summary: 'Delete the secret defined in this namespace', params: { tenant: TENANT, namespace: NAMESPACE, key: KEY }, responses: { 204: 'Deleted' } },
    )
    .add(
      'POST',
      '/api/v1/secrets/re-encrypt',
      async ({ caller }) => {
        requireRole(caller, 'admin');
        return services().secrets.reencrypt();
      },
      {
        summary: 'Re-encrypt every stored secret under the current key (after a key rotation; admin)',
        description:
          'Rows under an old key (BATON_ENCRYPTION_KEYS_OLD) or stored in clear are encrypted with BATON_ENCRYPTION_KEY, one conditional update per row, while Baton keeps serving. The worker also does it at every start.',
        responses: { 200: '{encrypted, rotated, failed: [{tenant, namespace, name, reason}]}' },
      },
    );
}
