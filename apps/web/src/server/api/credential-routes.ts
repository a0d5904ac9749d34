import 'server-only';
import { AppError } from '@baton/engine';
import { services } from '../services';
import { readJsonObject, type Router } from './handler';
import { BODY_LIMITS, FIELD_LIMITS } from './limits';

const TENANT = `Tenant id (${FIELD_LIMITS.tenantId.pattern.source}); \`main\` exists by default`;
const NAMESPACE = "Namespace, e.g. company.team (`_`: tenant-wide): sees its own credentials, its parents' and tenant-wide ones (closest wins)";
const NAME = `Credential name, what credential('name') takes (${FIELD_LIMITS.secretName.pattern.source})`;

/** `_` in the path is the tenant-wide layer, as in the older secrets route. */
const layer = (namespace: string) => (namespace === '_' ? '' : namespace);

/**
 * Credentials (docs/credentials.md): metadata and non-secret settings are readable; secret fields
 * are write-only. Tokens are minted by the worker; only the "test" route mints here, once.
 */
export function addCredentialRoutes(router: Router): void {
  router
    .add(
      'GET',
      '/api/v1/:tenant/namespaces/:namespace/credentials',
      async ({ params }) => {
        const results = await services().credentials.list(params.tenant, layer(params.namespace));
        return { results, total: results.length };
      },
      { summary: 'Credentials a namespace sees: type, settings and metadata, never secret fields or tokens', params: { tenant: TENANT, namespace: NAMESPACE }, readOnly: true },
    )
    .add(
      'GET',
      '/api/v1/:tenant/namespaces/:namespace/credentials/:name',
      async ({ params }) => {
        return services().credentials.describe(params.tenant, layer(params.namespace), params.name);
      },
      { summary: 'One credential as the namespace sees it (closest definition)', params: { tenant: TENANT, namespace: NAMESPACE, name: NAME }, readOnly: true },
    )
    .add(
      'PUT',
      '/api/v1/:tenant/namespaces/:namespace/credentials/:name',
      async ({ request, params, caller }) => {
        const body = await readJsonObject(
          request,
          BODY_LIMITS.credential,
          '{"type": "oauth2_client_credentials", "values": {"tokenUrl": "...", "clientId": "...", "clientSecret": "..."}}',
        );
        if (typeof body.type !== 'string' || (body.values !== undefined && (typeof body.values !== 'object' || body.values === null || Array.isArray(body.values)))) {
          throw new AppError(
            'BAD_REQUEST',
            'send {"type": "oauth2_client_credentials", "values": {"tokenUrl": "...", "clientId": "...", "clientSecret": "..."}, "description": "optional", "expiresAt": "optional ISO date"}',
          );
        }
        return services().credentials.put(
          params.tenant,
          layer(params.namespace),
          params.name,
          {
            type: body.type,
            description: body.description as string | undefined,
            expiresAt: body.expiresAt as string | null | undefined,
            values: (body.values ?? {}) as Record<string, unknown>,
          },
          caller.id,
        );
      },
      {
        summary: 'Create or rotate a credential (secret fields write-only, sealed at rest; a secret field left out keeps its stored value)',
        description: 'Types and their fields: docs/credentials.md. Rotating changes no flow: the next task that uses it mints with the new material.',
        params: { tenant: TENANT, namespace: NAMESPACE, name: NAME },
        body: {
          contentTypes: ['application/json'],
          maxBytes: BODY_LIMITS.credential,
          schema: {
            type: 'object',
            required: ['type'],
            properties: { type: { type: 'string' }, values: { type: 'object' }, description: { type: 'string', maxLength: 1000 }, expiresAt: { type: ['string', 'null'] } },
          },
        },
      },
    )
    .add(
      'DELETE',
      '/api/v1/:tenant/namespaces/:namespace/credentials/:name',
      async ({ params }) => {
        await services().credentials.delete(params.tenant, layer(params.namespace), params.name);
        return new Response(null, { status: 204 });
      },
      { summary: 'Delete the credential defined in this namespace', params: { tenant: TENANT, namespace: NAMESPACE, name: NAME }, responses: { 204: 'Deleted' } },
    )
    .add(
      'POST',
      '/api/v1/:tenant/namespaces/:namespace/credentials/:name/test',
      async ({ params }) => {
        return services().credentials.test(params.tenant, layer(params.namespace), params.name);
      },
      {
        summary: "Mint once and report success or the provider's error (the token itself is never returned)",
        params: { tenant: TENANT, namespace: NAMESPACE, name: NAME },
        responses: { 200: '{ok: true, type, expiresAt, info} or {ok: false, type, error}' },
      },
    );
}
