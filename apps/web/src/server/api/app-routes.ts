import 'server-only';
import { AppError, createdExecutionView, type AppUser } from '@baton/engine';
import type { Caller } from '../auth/identify';
import { services } from '../services';
import { json, readInputs, readText, type Router } from './handler';
import { mayApprove } from './approval-routes';
import { readInputsAndFiles } from './file-routes';
import { BODY_LIMITS, FIELD_LIMITS } from './limits';
import { appStartLimiter } from './app-rate-limit';

const TENANT = `Tenant id (${FIELD_LIMITS.tenantId.pattern.source}); \`main\` exists by default`;
const APP_ID = 'App id (the `id` of its YAML)';
const YAML_BODY = {
  contentTypes: ['application/x-yaml'],
  maxBytes: BODY_LIMITS.flowSource,
  description: "The App YAML (Kestra's io.kestra.plugin.ee.apps.Execution)",
  schema: { type: 'string' },
};

async function readAppYaml(request: Request): Promise<string> {
  const text = await readText(request, BODY_LIMITS.flowSource);
  if (!text.trim()) throw new AppError('BAD_REQUEST', 'send the App YAML as the request body (Content-Type: application/x-yaml)');
  return text;
}

/** The caller as the app service knows them (an anonymous caller has no user id). */
export function appUser(caller: Caller): AppUser {
  return { id: caller.kind === 'anonymous' ? 'anonymous' : caller.id, userId: caller.userId, admin: caller.instanceAdmin };
}

const tags = (url: URL) => url.searchParams.getAll('tags').filter(Boolean);

/**
 * Apps (docs/apps.md). Managing apps is an Editor's (flows.write at the app's namespace); using
 * one is decided by its `access`: PUBLIC needs no sign-in, PRIVATE a signed-in user (of one of its
 * groups when it names some). The use routes see nothing but what the app's layout shows.
 */
export function addAppRoutes(router: Router): void {
  router
    .add(
      'POST',
      '/api/v1/:tenant/apps/validate',
      async ({ request }) => {
        const { app, errors } = services().apps.validate(await readAppYaml(request));
        return { valid: errors.length === 0, errors, app: app ?? null };
      },
      { summary: 'Validate an App without saving it: every error with its line and column', params: { tenant: TENANT }, body: YAML_BODY, readOnly: true },
    )
    .add(
      'POST',
      '/api/v1/:tenant/apps',
      async ({ request, params, caller, access }) => {
        const source = await readAppYaml(request);
        // The namespace is in the YAML: checked once it is known (an invalid app is refused by save).
        const declared = services().apps.validate(source).app?.namespace;
        if (declared) access.require('flows.write', declared);
        const { app } = await services().apps.save(params.tenant, source, caller.id, { create: true });
        return json(app, 201);
      },
      {
        summary: 'Create an App from its YAML',
        params: { tenant: TENANT },
        body: YAML_BODY,
        responses: { 201: 'Created', 409: 'An app with this id exists', 422: 'Invalid: `errors` has each with its line and column' },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/apps/search',
      async ({ params, url, access }) => {
        const results = await services().apps.list(params.tenant, {
          within: access.within('flows.write'),
          namespace: url.searchParams.get('namespace') ?? undefined,
          q: url.searchParams.get('q') ?? undefined,
          tags: tags(url),
        });
        return { results, total: results.length };
      },
      {
        summary: 'Apps the caller may edit',
        params: { tenant: TENANT },
        query: {
          namespace: { description: 'Namespace, including its children' },
          q: { description: 'Part of the id or display name' },
          tags: { description: 'Tag (repeatable; all must match)', repeatable: true },
        },
        readOnly: true,
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/apps/catalog',
      async ({ params, url, caller }) => {
        const results = await services().apps.catalog(params.tenant, appUser(caller), { q: url.searchParams.get('q') ?? undefined, tags: tags(url) });
        return { results, total: results.length };
      },
      {
        summary: 'The catalog: apps the signed-in caller may use (PUBLIC ones, PRIVATE ones open to them), without their source',
        params: { tenant: TENANT },
        query: { q: { description: 'Part of the id or display name' }, tags: { description: 'Tag (repeatable; all must match)', repeatable: true } },
        readOnly: true,
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/apps/:id',
      async ({ params, url }) => {
        if (url.searchParams.get('source') === 'yaml')
          return new Response(await services().apps.source(params.tenant, params.id), { headers: { 'content-type': 'application/x-yaml' } });
        return services().apps.get(params.tenant, params.id);
      },
      {
        summary: 'An App with its source (?source=yaml for the YAML alone)',
        params: { tenant: TENANT, id: APP_ID },
        query: { source: { description: '`yaml` for the source alone' } },
        readOnly: true,
      },
    )
    .add(
      'PUT',
      '/api/v1/:tenant/apps/:id',
      async ({ request, params, caller }) => {
        const { app } = await services().apps.save(params.tenant, await readAppYaml(request), caller.id, { update: params.id });
        return app;
      },
      {
        summary: 'Update an App (same id and namespace); every change is a new revision',
        params: { tenant: TENANT, id: APP_ID },
        body: YAML_BODY,
        responses: { 422: 'Invalid: `errors` has each with its line and column' },
      },
    )
    .add(
      'DELETE',
      '/api/v1/:tenant/apps/:id',
      async ({ params }) => {
        await services().apps.delete(params.tenant, params.id);
        return new Response(null, { status: 204 });
      },
      { summary: 'Delete an App (its executions and revisions stay)', params: { tenant: TENANT, id: APP_ID }, responses: { 204: 'Deleted' } },
    )

    // ---- using an app: access per the app (PUBLIC apps answer without sign-in) ----
    .add('GET', '/api/v1/:tenant/apps/:id/view', async ({ params, caller }) => services().apps.view(params.tenant, params.id, appUser(caller)), {
      summary: "What the app page shows before an execution: its layout and the flow's inputs",
      description: 'PUBLIC apps answer without credentials; PRIVATE ones need a signed-in user (of one of the groups, when the app names some).',
      params: { tenant: TENANT, id: APP_ID },
      readOnly: true,
    })
    .add(
      'POST',
      '/api/v1/:tenant/apps/:id/executions',
      async ({ request, params, caller }) => {
        const user = appUser(caller);
        if (!user.userId && !user.admin) appStartLimiter.take(`${params.tenant}/${params.id}/${caller.client.address}`);
        // Someone not signed in may send inputs, not files (the 64 MiB upload stays for users).
        const { inputs, files } = user.userId || user.admin ? await readInputsAndFiles(request) : { inputs: await readInputs(request, BODY_LIMITS.inputs), files: {} };
        const started = await services().apps.start(params.tenant, params.id, user, inputs, files);
        return json(createdExecutionView(started, new Date(), user.id), 200);
      },
      {
        summary: "Start the app's flow (labelled system.app:<id>, triggeredBy the requester); kill switches and limits apply",
        description: 'Not signed in (PUBLIC apps): at most 10 starts a minute per address and app, and no file uploads.',
        params: { tenant: TENANT, id: APP_ID },
        body: {
          contentTypes: ['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'],
          maxBytes: BODY_LIMITS.upload,
          schema: { type: 'object', additionalProperties: true },
        },
        responses: { 429: 'Too many starts from this address' },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/apps/:id/executions/:executionId',
      async ({ params, caller, access }) =>
        services().apps.execution(params.tenant, params.id, params.executionId, appUser(caller), {
          canDecide: (namespace) => mayApprove(params.tenant, params.executionId, namespace, caller, access),
        }),
      {
        summary: "An execution started from the app: its stage and what that stage's blocks show (no more)",
        params: { tenant: TENANT, id: APP_ID, executionId: 'Execution id (one started from this app)' },
        readOnly: true,
      },
    );
}
