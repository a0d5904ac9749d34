// Who may call each route: one rule per `METHOD pattern`, kept next to the router. A route without
// a rule is refused (403) by the dispatcher, and the route × role test (packages/engine/test/
// access.int.test.ts) fails for it, so a new route cannot ship without deciding who may call it.
// Pure data: the test derives its expected answers from this table and the roles.
import type { Permission } from '@baton/engine/identity';

export type AccessRule =
  /** No credentials needed (health probe, setup, sign-in). */
  | { kind: 'public' }
  /** Any signed-in caller. */
  | { kind: 'signedIn' }
  /** The instance administrator only (tenants span everything). */
  | { kind: 'instanceAdmin' }
  /** The permission tenant-wide. */
  | { kind: 'tenant'; permission: Permission }
  /** The permission at the namespace in path parameter `param` (`_`: tenant-wide). */
  | { kind: 'namespace'; permission: Permission; param: string }
  /** The permission at the namespace of the execution whose id is path parameter `param`. */
  | { kind: 'execution'; permission: Permission; param: string }
  /**
   * The permission somewhere in the tenant; the handler narrows to where it holds (listings filter
   * by it, a flow save checks the YAML's namespace).
   */
  | { kind: 'somewhere'; permission: Permission }
  /** The permission somewhere in any tenant: routes whose path names no tenant (the codec endpoint). */
  | { kind: 'anyTenant'; permission: Permission }
  /** The user in path parameter `param` themself, or someone with users.manage tenant-wide. */
  | { kind: 'selfOrAdmin'; param: string }
  /** The permission at the namespace of the App whose id is path parameter `param` (managing it). */
  | { kind: 'app'; permission: Permission; param: string }
  /**
   * Using the App whose id is path parameter `param`: decided by the app's own `access` (PUBLIC:
   * anyone, without credentials; PRIVATE: signed-in users, of its groups when it names some), by
   * AppService. A request with no credentials (or a session that ended) is anonymous here, and
   * only here; wrong credentials are still a 401.
   */
  | { kind: 'appUse'; param: string };

const read = (permission: Permission, param = 'namespace'): AccessRule => ({ kind: 'namespace', permission, param });
const onExecution = (permission: Permission, param = 'id'): AccessRule => ({ kind: 'execution', permission, param });
const onApp = (permission: Permission, param = 'id'): AccessRule => ({ kind: 'app', permission, param });
const somewhere = (permission: Permission): AccessRule => ({ kind: 'somewhere', permission });
const tenantWide = (permission: Permission): AccessRule => ({ kind: 'tenant', permission });

export const ACCESS_RULES: Record<string, AccessRule> = {
  'GET /api/health': { kind: 'public' },
  'GET /api/v1': { kind: 'signedIn' },
  'GET /api/v1/openapi.json': { kind: 'signedIn' },
  'GET /api/v1/plugins': { kind: 'signedIn' },
  'GET /api/v1/plugins/schemas/flow': { kind: 'signedIn' },
  'GET /api/v1/plugins/:type': { kind: 'signedIn' },
  'GET /api/v1/tenants': { kind: 'signedIn' },
  'POST /api/v1/tenants': { kind: 'instanceAdmin' },

  // flows
  'POST /api/v1/:tenant/flows/validate': somewhere('flows.read'),
  'POST /api/v1/:tenant/flows': somewhere('flows.write'), // and flows.write at the YAML's namespace, checked by the route
  'GET /api/v1/:tenant/flows/search': somewhere('flows.read'),
  'GET /api/v1/:tenant/flows/:namespace/:id': read('flows.read'),
  'PUT /api/v1/:tenant/flows/:namespace/:id': read('flows.write'),
  'DELETE /api/v1/:tenant/flows/:namespace/:id': read('flows.write'),
  'GET /api/v1/:tenant/flows/:namespace/:id/revisions': read('flows.read'),
  'GET /api/v1/:tenant/flows/:namespace/:id/revisions/:revision': read('flows.read'),
  'GET /api/v1/:tenant/flows/last-executions': somewhere('executions.read'),

  // triggers (docs/triggers.md)
  'GET /api/v1/:tenant/triggers': somewhere('flows.read'),
  'PUT /api/v1/:tenant/triggers/:namespace/:flowId/:triggerId': read('flows.write'),
  'POST /api/v1/:tenant/triggers/:namespace/:flowId/:triggerId/backfill': read('executions.start'),
  'GET /api/v1/:tenant/triggers/:namespace/:flowId/:triggerId/backfill/preview': read('flows.read'),
  // Kestra's webhook: anonymous on purpose, the key in the path is the credential (wrong keys are 404 and rate-limited)
  'GET /api/v1/:tenant/executions/webhook/:namespace/:flowId/:key': { kind: 'public' },
  'POST /api/v1/:tenant/executions/webhook/:namespace/:flowId/:key': { kind: 'public' },
  'PUT /api/v1/:tenant/executions/webhook/:namespace/:flowId/:key': { kind: 'public' },

  // executions
  'GET /api/v1/:tenant/executions/search': somewhere('executions.read'),
  'GET /api/v1/:tenant/executions/list': somewhere('executions.read'),
  'POST /api/v1/:tenant/executions/:namespace/:flowId': read('executions.start'),
  'GET /api/v1/:tenant/executions/:id': onExecution('executions.read'),
  'GET /api/v1/:tenant/executions/:id/follow': onExecution('executions.read'),
  // resume approves an approval Pause (Approvals.checkDecider decides who may) and resumes a plain
  // one (executions.operate, checked by the route); reject likewise
  'POST /api/v1/:tenant/executions/:id/resume': onExecution('executions.read'),
  'POST /api/v1/:tenant/executions/:id/reject': onExecution('executions.read'),
  'GET /api/v1/:tenant/executions/:id/approval': onExecution('executions.read'),
  // the inbox lists only what the caller may read and decide
  'GET /api/v1/:tenant/approvals': { kind: 'signedIn' },
  'POST /api/v1/:tenant/executions/:id/restart': onExecution('executions.operate'),
  'POST /api/v1/:tenant/executions/:id/replay': onExecution('executions.operate'),
  'DELETE /api/v1/:tenant/executions/:id/kill': onExecution('executions.operate'),
  'DELETE /api/v1/:tenant/executions/kill/by-ids': somewhere('executions.operate'), // and at each execution's namespace
  // files of an execution (its inputs, its tasks' files, its parents'): whoever may read it
  'GET /api/v1/:tenant/executions/:id/file': onExecution('executions.read'),
  'GET /api/v1/:tenant/executions/:id/file/metas': onExecution('executions.read'),
  'GET /api/v1/:tenant/logs/:executionId': onExecution('executions.read', 'executionId'),
  // the expression debugger reads what the execution holds (masked; secret() refused)
  'POST /api/v1/:tenant/executions/:id/eval': onExecution('executions.read'),
  'POST /api/v1/:tenant/executions/:id/eval/:taskRunId': onExecution('executions.read'),
  'GET /api/v1/:tenant/namespaces': somewhere('flows.read'),

  // plugin defaults and secrets
  'GET /api/v1/:tenant/namespaces/:namespace/plugin-defaults': read('pluginDefaults.read'),
  'PUT /api/v1/:tenant/namespaces/:namespace/plugin-defaults': read('pluginDefaults.write'),
  'GET /api/v1/:tenant/namespaces/:namespace/plugin-defaults/revisions': read('pluginDefaults.read'),
  'GET /api/v1/:tenant/namespaces/:namespace/notifications': read('flows.read'),
  'PUT /api/v1/:tenant/namespaces/:namespace/notifications': read('flows.write'),
  'GET /api/v1/:tenant/namespaces/:namespace/notifications/revisions': read('flows.read'),
  'PUT /api/v1/:tenant/secrets/:namespace/:name': read('secrets.write'),
  // Kestra's namespace secrets: names and metadata only, never values
  'GET /api/v1/:tenant/namespaces/:namespace/secrets': read('secrets.write'),
  'PUT /api/v1/:tenant/namespaces/:namespace/secrets': read('secrets.write'),
  'DELETE /api/v1/:tenant/namespaces/:namespace/secrets/:key': read('secrets.write'),
  'POST /api/v1/secrets/re-encrypt': { kind: 'instanceAdmin' },
  // credentials (docs/credentials.md): managed by who manages secrets; secret fields never answered
  'GET /api/v1/:tenant/namespaces/:namespace/credentials': read('secrets.write'),
  'GET /api/v1/:tenant/namespaces/:namespace/credentials/:name': read('secrets.write'),
  'PUT /api/v1/:tenant/namespaces/:namespace/credentials/:name': read('secrets.write'),
  'DELETE /api/v1/:tenant/namespaces/:namespace/credentials/:name': read('secrets.write'),
  'POST /api/v1/:tenant/namespaces/:namespace/credentials/:name/test': read('secrets.write'),
  // the Temporal UI's codec server: operators and up (issue #8), in whichever tenant, since its path
  // names none; SECRET inputs stay masked in what it decodes
  'POST /api/v1/temporal-codec/decode': { kind: 'anyTenant', permission: 'executions.operate' },
  'POST /api/v1/temporal-codec/encode': { kind: 'anyTenant', permission: 'executions.operate' },
  'OPTIONS /api/v1/temporal-codec/decode': { kind: 'public' },
  'OPTIONS /api/v1/temporal-codec/encode': { kind: 'public' },

  // KV store
  'GET /api/v1/:tenant/namespaces/:namespace/kv': read('kv.read'),
  'GET /api/v1/:tenant/namespaces/:namespace/kv/:key': read('kv.read'),
  'PUT /api/v1/:tenant/namespaces/:namespace/kv/:key': read('kv.write'),
  'DELETE /api/v1/:tenant/namespaces/:namespace/kv/:key': read('kv.write'),
  // namespace files: read by a viewer of the namespace, written by an editor (as its flows)
  'GET /api/v1/:tenant/namespaces/:namespace/files/directory': read('flows.read'),
  'GET /api/v1/:tenant/namespaces/:namespace/files': read('flows.read'),
  'POST /api/v1/:tenant/namespaces/:namespace/files': read('flows.write'),
  'PUT /api/v1/:tenant/namespaces/:namespace/files': read('flows.write'),
  'DELETE /api/v1/:tenant/namespaces/:namespace/files': read('flows.write'),

  // identity
  'GET /api/v1/setup': { kind: 'public' },
  'POST /api/v1/setup': { kind: 'public' },
  // OIDC sign-in is next-auth's, at /api/auth/* (app/api/auth/[...nextauth]), outside this router:
  // public by nature, it records its own sign-ins and ends in the same session cookie.
  'POST /api/v1/auth/login': { kind: 'public' },
  'POST /api/v1/auth/logout': { kind: 'public' },
  'GET /api/v1/me': { kind: 'signedIn' },
  'GET /api/v1/:tenant/me': { kind: 'signedIn' },
  'GET /api/v1/:tenant/users': tenantWide('users.manage'),
  'POST /api/v1/:tenant/users': tenantWide('users.manage'),
  'GET /api/v1/:tenant/users/:id': { kind: 'selfOrAdmin', param: 'id' },
  'PATCH /api/v1/:tenant/users/:id': { kind: 'selfOrAdmin', param: 'id' },
  'GET /api/v1/:tenant/users/:id/api-tokens': { kind: 'selfOrAdmin', param: 'id' },
  'POST /api/v1/:tenant/users/:id/api-tokens': { kind: 'selfOrAdmin', param: 'id' },
  'DELETE /api/v1/:tenant/users/:id/api-tokens/:tokenId': { kind: 'selfOrAdmin', param: 'id' },
  'GET /api/v1/:tenant/groups': tenantWide('users.manage'),
  'POST /api/v1/:tenant/groups': tenantWide('users.manage'),
  'GET /api/v1/:tenant/groups/:id': tenantWide('users.manage'),
  'DELETE /api/v1/:tenant/groups/:id': tenantWide('users.manage'),
  'PUT /api/v1/:tenant/groups/:id/members/:userId': tenantWide('users.manage'),
  'DELETE /api/v1/:tenant/groups/:id/members/:userId': tenantWide('users.manage'),
  'GET /api/v1/:tenant/bindings': tenantWide('users.manage'),
  'POST /api/v1/:tenant/bindings': tenantWide('users.manage'),
  'DELETE /api/v1/:tenant/bindings/:id': tenantWide('users.manage'),

  // kill switches (docs/kill-switch.md): each handler checks the switch's own scope (tenant-wide: operate tenant-wide)
  'POST /api/v1/:tenant/kill-switches': somewhere('executions.operate'),
  'GET /api/v1/:tenant/kill-switches': somewhere('executions.read'),
  'GET /api/v1/:tenant/kill-switches/preview': somewhere('executions.operate'),
  'GET /api/v1/:tenant/kill-switches/:id': somewhere('executions.read'),
  'DELETE /api/v1/:tenant/kill-switches/:id': somewhere('executions.operate'),

  // audit log
  'GET /api/v1/:tenant/auditlogs/search': tenantWide('audit.read'),

  // Apps (docs/apps.md): an Editor of the app's namespace manages it; using it follows its access
  'POST /api/v1/:tenant/apps/validate': somewhere('flows.write'),
  'POST /api/v1/:tenant/apps': somewhere('flows.write'), // and flows.write at the YAML's namespace, checked by the route
  'GET /api/v1/:tenant/apps/search': somewhere('flows.write'),
  'GET /api/v1/:tenant/apps/catalog': { kind: 'signedIn' },
  'GET /api/v1/:tenant/apps/:id': onApp('flows.write'),
  'PUT /api/v1/:tenant/apps/:id': onApp('flows.write'),
  'DELETE /api/v1/:tenant/apps/:id': onApp('flows.write'),
  'GET /api/v1/:tenant/apps/:id/view': { kind: 'appUse', param: 'id' },
  'POST /api/v1/:tenant/apps/:id/executions': { kind: 'appUse', param: 'id' },
  'GET /api/v1/:tenant/apps/:id/executions/:executionId': { kind: 'appUse', param: 'id' },

  // Blueprints (docs/blueprints.md): anyone who reads flows somewhere browses them (a blueprint
  // names secrets, never holds them); an editor of some namespace saves, edits and deletes the
  // tenant's custom ones (they are tenant-wide templates; using one saves a flow, checked then)
  'GET /api/v1/:tenant/blueprints/search': somewhere('flows.read'),
  'GET /api/v1/:tenant/blueprints/tags': somewhere('flows.read'),
  'GET /api/v1/:tenant/blueprints/:kind/:id': somewhere('flows.read'),
  'POST /api/v1/:tenant/blueprints/custom': somewhere('flows.write'),
  'PUT /api/v1/:tenant/blueprints/custom/:id': somewhere('flows.write'),
  'DELETE /api/v1/:tenant/blueprints/custom/:id': somewhere('flows.write'),
};

export function ruleKey(method: string, pattern: string) {
  return `${method} ${pattern}`;
}
