import 'server-only';
import { AppError } from '@baton/engine';
import { constantTimeEqual } from '@baton/engine/identity';
import { webEnv } from '../env';
import { services } from '../services';
import { PERMISSIONS, ROLE_DESCRIPTIONS, ROLES } from '@baton/engine/identity';
import { clientInfo, cookieValue, SESSION_COOKIE, type Caller } from '../auth/identify';
import { sessionCookie } from '../auth/session-cookie';
import { forbidden } from '../auth/authorize';
import { json, readJsonObject, type Router } from './handler';
import { recordSignIn } from './audit';
import { BODY_LIMITS } from './limits';

const TENANT = 'Tenant id; `main` exists by default';
const CREDENTIALS_BODY = {
  contentTypes: ['application/json'],
  maxBytes: BODY_LIMITS.default,
  schema: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' } } },
};

async function startSession(request: Request, userId: string, body: unknown, status: number) {
  const { secret } = await services().identity.createSession(userId, clientInfo(request));
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'set-cookie': sessionCookie(request, secret) },
  });
}

export function whoAmI(caller: Caller) {
  return {
    id: caller.userId || caller.id,
    email: caller.email ?? null,
    name: caller.name ?? null,
    kind: caller.kind,
    instanceAdmin: caller.instanceAdmin,
    via: caller.via ?? null,
    authMode: webEnv().authMode,
  };
}

/**
 * Sign-in, setup, "who am I", users and their API tokens, groups and role bindings. Who may call
 * each route is decided in access-rules.ts, like every other route.
 */
export function addIdentityRoutes(router: Router) {
  return (
    router
      .add(
        'GET',
        '/api/v1/setup',
        async () => ({
          required: webEnv().authMode === 'password' && !(await services().identity.hasUsers()),
          authMode: webEnv().authMode,
        }),
        { summary: 'Whether Baton still waits for its first admin (no sign-in needed)', readOnly: true, public: true },
      )
      .add(
        'POST',
        '/api/v1/setup',
        async ({ request }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"token": "...", "email": "...", "password": "..."}');
          const expected = webEnv().setupToken;
          // Refused the same way whether no token was configured or a wrong one was sent.
          if (!expected || typeof body.token !== 'string' || !constantTimeEqual(body.token, expected)) {
            throw new AppError('FORBIDDEN', 'the setup token is missing or wrong: open the exact link npm start printed');
          }
          const user = await services().identity.createFirstAdmin(body);
          await recordSignIn('setup.admin.created', { email: user.email, userId: user.id }, clientInfo(request));
          return startSession(request, user.id, user, 201);
        },
        {
          summary: 'Create the first admin with the one-time setup token (then refused: 409)',
          public: true,
          body: {
            contentTypes: ['application/json'],
            maxBytes: BODY_LIMITS.default,
            schema: {
              type: 'object',
              required: ['token', 'email', 'password'],
              properties: { token: { type: 'string' }, email: { type: 'string' }, password: { type: 'string', minLength: 8 }, name: { type: 'string' } },
            },
          },
          responses: { 201: 'The admin, signed in (session cookie)', 403: 'Wrong setup token', 409: 'Already set up' },
        },
      )
      .add(
        'POST',
        '/api/v1/auth/login',
        async ({ request }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"email": "...", "password": "..."}');
          if (typeof body.email !== 'string' || typeof body.password !== 'string') throw new AppError('BAD_REQUEST', 'send {"email": "...", "password": "..."}');
          let identity;
          try {
            identity = await services().identity.checkPassword(body.email, body.password, clientInfo(request));
          } catch (error) {
            await recordSignIn('auth.signin.failed', { email: body.email.slice(0, 254) }, clientInfo(request), { reason: (error as Error).message });
            throw error;
          }
          await recordSignIn('auth.signin', { email: identity.email, userId: identity.userId }, clientInfo(request));
          return startSession(request, identity.userId, { id: identity.userId, email: identity.email, name: identity.name }, 200);
        },
        {
          summary: 'Sign in with e-mail and password: sets the session cookie (429 with "try again in N s" after repeated failures)',
          public: true,
          body: CREDENTIALS_BODY,
          responses: { 200: 'Signed in', 429: 'Too many failures: Retry-After says when to try again' },
        },
      )
      .add(
        'POST',
        '/api/v1/auth/logout',
        async ({ request }) => {
          const secret = cookieValue(request, SESSION_COOKIE);
          if (secret) {
            const who = await services().identity.sessionIdentity(secret);
            await services().identity.endSession(secret);
            if (who) await recordSignIn('auth.signout', { email: who.email, userId: who.userId }, clientInfo(request));
          }
          return new Response(null, { status: 204, headers: { 'set-cookie': sessionCookie(request, '', 0) } });
        },
        { summary: 'Sign out: ends the session and clears its cookie', public: true, responses: { 204: 'Signed out' } },
      )
      .add('GET', '/api/v1/me', async ({ caller }) => whoAmI(caller), { summary: 'Who the caller is', readOnly: true })
      .add(
        'GET',
        '/api/v1/:tenant/me',
        async ({ caller, access }) => ({
          ...whoAmI(caller),
          tenant: access.tenant,
          roles: access.everything ? [{ role: 'ADMIN', namespace: null }] : access.grants.map((g) => ({ role: g.role, namespace: g.namespace || null })),
          // Where each permission holds: "all", or the namespace subtrees (the UI hides what it cannot do).
          permissions: Object.fromEntries(PERMISSIONS.map((p) => [p, access.within(p) ?? 'all'])),
        }),
        { summary: 'Who the caller is in a tenant: roles and where each permission holds', params: { tenant: TENANT }, readOnly: true },
      )

      // ---- users and API tokens ----
      .add('GET', '/api/v1/:tenant/users', async () => services().identity.listUsers(), {
        summary: 'Users (instance-wide; roles come from bindings)',
        params: { tenant: TENANT },
        readOnly: true,
      })
      .add(
        'POST',
        '/api/v1/:tenant/users',
        async ({ request }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"email": "ada@example.com", "password": "...", "name": "Ada"}');
          return json(await services().identity.createUser(body), 201);
        },
        {
          summary: 'Create a user (with a password, or without one for OIDC-only sign-in)',
          params: { tenant: TENANT },
          body: {
            contentTypes: ['application/json'],
            maxBytes: BODY_LIMITS.default,
            schema: { type: 'object', required: ['email'], properties: { email: { type: 'string' }, password: { type: 'string', minLength: 8 }, name: { type: 'string' } } },
          },
          responses: { 201: 'Created', 409: 'The e-mail is taken' },
        },
      )
      .add('GET', '/api/v1/:tenant/users/:id', async ({ params }) => services().identity.getUser(params.id), {
        summary: 'A user',
        params: { tenant: TENANT, id: 'User id' },
        readOnly: true,
      })
      .add(
        'PATCH',
        '/api/v1/:tenant/users/:id',
        async ({ request, params, caller, access }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"name": "...", "password": "...", "disabled": false}');
          const target = await services().identity.getUser(params.id);
          // Users span tenants: a tenant's Admin may not take over the instance administrator, and
          // people may change their own name and password but not disable themselves.
          if (target.instanceAdmin && caller.userId !== target.id && !caller.instanceAdmin)
            throw new AppError('FORBIDDEN', 'only the instance administrator may change the instance administrator');
          if (body.disabled !== undefined && !access.can('users.manage', '')) throw forbidden(caller, 'users.manage', `tenant-wide in tenant ${params.tenant}`);
          return services().identity.updateUser(params.id, body);
        },
        { summary: "Change a user's name, password or disabled flag (disabling ends their sessions and stops their tokens)", params: { tenant: TENANT, id: 'User id' } },
      )
      .add(
        'GET',
        '/api/v1/:tenant/users/:id/api-tokens',
        async ({ params }) => {
          return services().identity.listApiTokens(params.id);
        },
        { summary: "A user's API tokens (never the tokens themselves)", params: { tenant: TENANT, id: 'User id' }, readOnly: true },
      )
      .add(
        'POST',
        '/api/v1/:tenant/users/:id/api-tokens',
        async ({ request, params }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"name": "ci-deploy", "expires": "2027-01-31T00:00:00Z"}');
          return json(await services().identity.createApiToken(params.id, body), 201);
        },
        {
          summary: 'Create an API token for a user: the answer holds the token, once',
          params: { tenant: TENANT, id: 'User id' },
          body: {
            contentTypes: ['application/json'],
            maxBytes: BODY_LIMITS.default,
            schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 100 }, expires: { type: 'string', format: 'date-time' } } },
          },
          responses: { 201: 'Created: `token` is shown only now' },
        },
      )
      .add(
        'DELETE',
        '/api/v1/:tenant/users/:id/api-tokens/:tokenId',
        async ({ params }) => {
          return services().identity.revokeApiToken(params.id, params.tokenId);
        },
        { summary: 'Revoke an API token', params: { tenant: TENANT, id: 'User id', tokenId: 'Token id' } },
      )

      // ---- groups ----
      .add('GET', '/api/v1/:tenant/groups', async ({ params }) => services().access.listGroups(params.tenant), {
        summary: 'Groups of the tenant with their members (user ids)',
        params: { tenant: TENANT },
        readOnly: true,
      })
      .add(
        'POST',
        '/api/v1/:tenant/groups',
        async ({ request, params }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"id": "platform-team", "name": "Platform team"}');
          return json(await services().access.createGroup(params.tenant, body), 201);
        },
        {
          summary: 'Create a group',
          params: { tenant: TENANT },
          body: {
            contentTypes: ['application/json'],
            maxBytes: BODY_LIMITS.default,
            schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
          },
          responses: { 201: 'Created', 409: 'Exists' },
        },
      )
      .add('GET', '/api/v1/:tenant/groups/:id', async ({ params }) => services().access.getGroup(params.tenant, params.id), {
        summary: 'A group and its members',
        params: { tenant: TENANT, id: 'Group id' },
        readOnly: true,
      })
      .add('DELETE', '/api/v1/:tenant/groups/:id', async ({ params }) => services().access.deleteGroup(params.tenant, params.id), {
        summary: 'Delete a group, its memberships and its bindings',
        params: { tenant: TENANT, id: 'Group id' },
      })
      .add('PUT', '/api/v1/:tenant/groups/:id/members/:userId', async ({ params }) => services().access.addMember(params.tenant, params.id, params.userId), {
        summary: 'Add a user to a group',
        params: { tenant: TENANT, id: 'Group id', userId: 'User id' },
      })
      .add('DELETE', '/api/v1/:tenant/groups/:id/members/:userId', async ({ params }) => services().access.removeMember(params.tenant, params.id, params.userId), {
        summary: 'Remove a user from a group',
        params: { tenant: TENANT, id: 'Group id', userId: 'User id' },
      })

      // ---- role bindings ----
      .add(
        'GET',
        '/api/v1/:tenant/bindings',
        async ({ params, url }) =>
          services().access.listBindings(params.tenant, {
            subjectType: url.searchParams.get('subjectType') ?? undefined,
            subjectId: url.searchParams.get('subjectId') ?? undefined,
          }),
        {
          summary: 'Role bindings of the tenant',
          params: { tenant: TENANT },
          query: { subjectType: { description: 'USER or GROUP' }, subjectId: { description: 'A user or group id' } },
          readOnly: true,
        },
      )
      .add(
        'POST',
        '/api/v1/:tenant/bindings',
        async ({ request, params, caller }) => {
          const body = await readJsonObject(request, BODY_LIMITS.default, '{"subject": {"type": "USER", "id": "..."}, "role": "VIEWER", "namespace": "team.a"}');
          return json(await services().access.createBinding(params.tenant, body, caller.id), 201);
        },
        {
          summary: `Give a role (${ROLES.join(', ')}) to a user or a group, tenant-wide or at a namespace and its children`,
          description: ROLES.map((r) => `${r}: ${ROLE_DESCRIPTIONS[r]}`).join('. '),
          params: { tenant: TENANT },
          body: {
            contentTypes: ['application/json'],
            maxBytes: BODY_LIMITS.default,
            schema: {
              type: 'object',
              required: ['subject', 'role'],
              properties: {
                subject: { type: 'object', required: ['type', 'id'], properties: { type: { enum: ['USER', 'GROUP'] }, id: { type: 'string' } } },
                role: { enum: [...ROLES] },
                namespace: { type: 'string' },
              },
            },
          },
          responses: { 201: 'Created', 409: 'The same binding exists', 422: 'No such user or group' },
        },
      )
      .add('DELETE', '/api/v1/:tenant/bindings/:id', async ({ params }) => services().access.deleteBinding(params.tenant, params.id), {
        summary: 'Remove a role binding',
        params: { tenant: TENANT, id: 'Binding id' },
      })
  );
}
