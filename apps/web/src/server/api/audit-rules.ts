// What each changing route writes to the audit log, kept next to the router like the access rules.
// The dispatcher appends an entry after the route succeeded. Summaries are picked field by field
// from the answer, never copied whole: an API token or a secret value can never slip in.
// (Sign-in successes and failures are recorded by the sign-in route itself: they have no caller yet.)
type Body = Record<string, any>;
type Params = Record<string, string>;

export interface AuditSpec {
  /** The action, or how the answer names it (an approval vs a plain resume). */
  action: string | ((params: Params, body: Body) => string);
  resource: (params: Params, body: Body) => string;
  /** The namespace of the thing changed, when the path does not say it (the YAML's, say). */
  namespace?: (params: Params, body: Body) => string | undefined;
  before?: (params: Params, body: Body) => unknown;
  after?: (params: Params, body: Body) => unknown;
}

const flowSaved: AuditSpec = {
  action: 'flow.saved',
  resource: (_, b) => `flow:${b.namespace}/${b.id}`,
  namespace: (_, b) => b.namespace,
  before: (_, b) => (b.changed && b.revision > 1 ? { revision: b.revision - 1 } : undefined),
  after: (_, b) => ({ revision: b.revision, changed: b.changed }),
};

const onExecution = (action: string): AuditSpec => ({
  action,
  resource: (p) => `execution:${p.id}`,
  after: (_, b) => ({ state: b.state?.current ?? b.state, resumed: b.resumed }),
});

const appSaved: AuditSpec = {
  action: 'app.saved',
  resource: (_, b) => `app:${b.id}`,
  namespace: (_, b) => b.namespace,
  after: (_, b) => ({ revision: b.revision, flow: `${b.namespace}/${b.flowId}`, access: b.access?.type }),
};

const blueprintSaved = (action: string): AuditSpec => ({
  action,
  resource: (_, b) => `blueprint:${b.id}`,
  after: (_, b) => ({ title: b.title, flow: `${b.namespace}/${b.flowId}`, tags: b.tags }),
});

const layer = (ns: string) => (ns === '_' ? '' : ns);

export const AUDIT_RULES: Record<string, AuditSpec> = {
  'POST /api/v1/tenants': { action: 'tenant.created', resource: (_, b) => `tenant:${b.id}` },
  'POST /api/v1/:tenant/flows': flowSaved,
  'PUT /api/v1/:tenant/flows/:namespace/:id': flowSaved,
  'PUT /api/v1/:tenant/triggers/:namespace/:flowId/:triggerId': {
    action: 'trigger.updated',
    resource: (p) => `trigger:${p.namespace}/${p.flowId}/${p.triggerId}`,
    after: (_, b) => ({ disabled: b.disabled }),
  },
  'POST /api/v1/:tenant/triggers/:namespace/:flowId/:triggerId/backfill': {
    action: 'trigger.backfilled',
    resource: (p) => `trigger:${p.namespace}/${p.flowId}/${p.triggerId}`,
    after: (_, b) => ({ backfillId: b.backfillId, dates: b.dates, started: Array.isArray(b.started) ? b.started.length : undefined }),
  },
  'POST /api/v1/:tenant/executions/webhook/:namespace/:flowId/:key': {
    action: 'execution.started',
    resource: (_, b) => `execution:${b.id ?? 'webhook'}`,
    after: (_, b) => ({ via: 'webhook', state: b.state?.current }),
  },
  'PUT /api/v1/:tenant/executions/webhook/:namespace/:flowId/:key': {
    action: 'execution.started',
    resource: (_, b) => `execution:${b.id ?? 'webhook'}`,
    after: (_, b) => ({ via: 'webhook', state: b.state?.current }),
  },
  'DELETE /api/v1/:tenant/flows/:namespace/:id': { action: 'flow.deleted', resource: (p) => `flow:${p.namespace}/${p.id}`, after: () => ({ deleted: true }) },
  'POST /api/v1/:tenant/executions/:namespace/:flowId': {
    action: 'execution.started',
    resource: (_, b) => `execution:${b.id}`,
    after: (p, b) => ({ flow: `${p.namespace}/${p.flowId}`, revision: b.flowRevision, state: b.state?.current }),
  },
  'POST /api/v1/:tenant/executions/:id/resume': {
    action: (_, b) => (b.decision ? 'approval.approved' : 'execution.resumed'),
    resource: (p) => `execution:${p.id}`,
    after: (_, b) =>
      b.decision ? { task: b.taskId, decision: b.decision, comment: b.comment, approvals: b.approvals, required: b.required, outcome: b.outcome } : { resumed: b.resumed },
  },
  'POST /api/v1/:tenant/executions/:id/reject': {
    action: 'approval.rejected',
    resource: (p) => `execution:${p.id}`,
    after: (_, b) => ({ task: b.taskId, decision: b.decision, comment: b.comment, outcome: b.outcome }),
  },
  'POST /api/v1/:tenant/executions/:id/restart': onExecution('execution.restarted'),
  'DELETE /api/v1/:tenant/executions/:id/kill': onExecution('execution.killed'),
  'POST /api/v1/:tenant/executions/:id/replay': { action: 'execution.replayed', resource: (p) => `execution:${p.id}`, after: (_, b) => ({ newExecution: b.id }) },
  'DELETE /api/v1/:tenant/executions/kill/by-ids': {
    action: 'execution.killed',
    resource: (_, b) => `executions:${(b.results ?? []).length}`,
    after: (_, b) => ({ killed: (b.results ?? []).filter((r: Body) => r.state).map((r: Body) => r.id) }),
  },
  // Kill switches: setting and lifting, with the scope, mode and reason (docs/kill-switch.md).
  'POST /api/v1/:tenant/kill-switches': {
    action: 'killSwitch.set',
    resource: (_, b) => `killSwitch:${b.id}`,
    namespace: (_, b) => b.scope?.namespace ?? undefined,
    after: (_, b) => ({ scope: b.scopeText, mode: b.mode, reason: b.reason, endDate: b.endDate, affected: b.affected }),
  },
  'DELETE /api/v1/:tenant/kill-switches/:id': {
    action: 'killSwitch.lifted',
    resource: (p) => `killSwitch:${p.id}`,
    namespace: (_, b) => b.scope?.namespace ?? undefined,
    before: (_, b) => ({ scope: b.scopeText, mode: b.mode, reason: b.reason }),
    after: (_, b) => ({ liftedAt: b.liftedAt }),
  },
  'PUT /api/v1/:tenant/namespaces/:namespace/plugin-defaults': {
    action: 'pluginDefaults.changed',
    resource: (p) => `pluginDefaults:${p.namespace}`,
    namespace: (p) => layer(p.namespace),
    after: (_, b) => ({ revision: b.revision }),
  },
  'PUT /api/v1/:tenant/namespaces/:namespace/notifications': {
    action: 'namespace.notificationsChanged',
    resource: (p) => `notifications:${p.namespace}`,
    namespace: (p) => p.namespace,
    after: (_, b) => ({ revision: b.revision, changed: b.changed }),
  },
  'PUT /api/v1/:tenant/namespaces/:namespace/secrets': {
    action: 'secret.changed',
    resource: (p, b) => `secret:${p.namespace}/${b.key}`,
    namespace: (p) => p.namespace,
    after: (_, b) => ({ name: b.key }),
  },
  'DELETE /api/v1/:tenant/namespaces/:namespace/secrets/:key': {
    action: 'secret.deleted',
    resource: (p) => `secret:${p.namespace}/${p.key}`,
    namespace: (p) => p.namespace,
    before: (p) => ({ name: p.key }),
  },
  'POST /api/v1/secrets/re-encrypt': {
    action: 'secrets.reencrypted',
    resource: () => 'secrets',
    after: (_, b) => ({ encrypted: b.encrypted, rotated: b.rotated, failed: Array.isArray(b.failed) ? b.failed.length : undefined }),
  },
  // Credentials: type, revision and which settings; never a secret field (the answer holds none).
  'PUT /api/v1/:tenant/namespaces/:namespace/credentials/:name': {
    action: 'credential.changed',
    resource: (p) => `credential:${layer(p.namespace)}/${p.name}`,
    namespace: (p) => layer(p.namespace),
    after: (_, b) => ({ type: b.type, revision: b.revision, rotatedAt: b.rotatedAt }),
  },
  'DELETE /api/v1/:tenant/namespaces/:namespace/credentials/:name': {
    action: 'credential.deleted',
    resource: (p) => `credential:${layer(p.namespace)}/${p.name}`,
    namespace: (p) => layer(p.namespace),
  },
  'POST /api/v1/:tenant/namespaces/:namespace/credentials/:name/test': {
    action: 'credential.tested',
    resource: (p) => `credential:${layer(p.namespace)}/${p.name}`,
    namespace: (p) => layer(p.namespace),
    after: (_, b) => ({ ok: b.ok }),
  },
  'PUT /api/v1/:tenant/namespaces/:namespace/kv/:key': {
    action: 'kv.changed',
    resource: (p) => `kv:${p.namespace}/${p.key}`,
    namespace: (p) => p.namespace,
    after: (_, b) => ({ type: b.type, expires: b.expirationDate }),
  },
  'DELETE /api/v1/:tenant/namespaces/:namespace/kv/:key': { action: 'kv.deleted', resource: (p) => `kv:${p.namespace}/${p.key}`, namespace: (p) => p.namespace },
  'POST /api/v1/:tenant/namespaces/:namespace/files': {
    action: 'namespaceFile.saved',
    resource: (p, b) => `file:${p.namespace}${b.path}`,
    namespace: (p) => p.namespace,
    after: (_, b) => ({ size: b.size }),
  },
  'PUT /api/v1/:tenant/namespaces/:namespace/files': {
    action: 'namespaceFile.moved',
    resource: (p, b) => `file:${p.namespace}${b.to}`,
    namespace: (p) => p.namespace,
    before: (_, b) => ({ path: b.from }),
    after: (_, b) => ({ path: b.to, files: b.moved }),
  },
  'DELETE /api/v1/:tenant/namespaces/:namespace/files': {
    action: 'namespaceFile.deleted',
    resource: (p, b) => `file:${p.namespace}${b.path}`,
    namespace: (p) => p.namespace,
    after: (_, b) => ({ files: b.deleted }),
  },
  'PUT /api/v1/:tenant/secrets/:namespace/:name': {
    action: 'secret.changed',
    resource: (p) => `secret:${p.namespace}/${p.name}`,
    namespace: (p) => layer(p.namespace),
    after: (p) => ({ name: p.name }),
  },
  'POST /api/v1/:tenant/users': { action: 'user.created', resource: (_, b) => `user:${b.id}`, after: (_, b) => ({ email: b.email, name: b.name }) },
  'PATCH /api/v1/:tenant/users/:id': { action: 'user.changed', resource: (p) => `user:${p.id}`, after: (_, b) => ({ email: b.email, name: b.name, disabled: b.disabled }) },
  'POST /api/v1/:tenant/users/:id/api-tokens': {
    action: 'token.created',
    resource: (_, b) => `token:${b.id}`,
    after: (p, b) => ({ user: p.id, name: b.name, prefix: b.prefix, expires: b.expires }),
  },
  'DELETE /api/v1/:tenant/users/:id/api-tokens/:tokenId': { action: 'token.revoked', resource: (p) => `token:${p.tokenId}`, after: (p, b) => ({ user: p.id, name: b.name }) },
  'POST /api/v1/:tenant/groups': { action: 'group.created', resource: (_, b) => `group:${b.id}` },
  'DELETE /api/v1/:tenant/groups/:id': { action: 'group.deleted', resource: (p) => `group:${p.id}`, before: (_, b) => ({ members: b.members }) },
  'PUT /api/v1/:tenant/groups/:id/members/:userId': { action: 'group.member.added', resource: (p) => `group:${p.id}`, after: (p) => ({ user: p.userId }) },
  'DELETE /api/v1/:tenant/groups/:id/members/:userId': { action: 'group.member.removed', resource: (p) => `group:${p.id}`, before: (p) => ({ user: p.userId }) },
  // Apps: who saved or deleted which; an execution started from an app is recorded with its requester.
  'POST /api/v1/:tenant/apps': appSaved,
  'PUT /api/v1/:tenant/apps/:id': appSaved,
  'DELETE /api/v1/:tenant/apps/:id': { action: 'app.deleted', resource: (p) => `app:${p.id}` },
  'POST /api/v1/:tenant/apps/:id/executions': {
    action: 'execution.started',
    resource: (_, b) => `execution:${b.id}`,
    namespace: (_, b) => b.namespace,
    after: (p, b) => ({ app: p.id, flow: `${b.namespace}/${b.flowId}`, revision: b.flowRevision, state: b.state?.current }),
  },
  'POST /api/v1/:tenant/bindings': {
    action: 'binding.created',
    resource: (_, b) => `binding:${b.id}`,
    namespace: (_, b) => b.namespace ?? undefined,
    after: (_, b) => ({ subject: b.subject, role: b.role, namespace: b.namespace }),
  },
  'DELETE /api/v1/:tenant/bindings/:id': {
    action: 'binding.deleted',
    resource: (p) => `binding:${p.id}`,
    namespace: (_, b) => b.namespace ?? undefined,
    before: (_, b) => ({ subject: b.subject, role: b.role, namespace: b.namespace }),
  },
  // custom blueprints (docs/blueprints.md): the title and flow, never the YAML
  'POST /api/v1/:tenant/blueprints/custom': blueprintSaved('blueprint.created'),
  'PUT /api/v1/:tenant/blueprints/custom/:id': blueprintSaved('blueprint.updated'),
  'DELETE /api/v1/:tenant/blueprints/custom/:id': {
    action: 'blueprint.deleted',
    resource: (p) => `blueprint:${p.id}`,
    before: (_, b) => ({ title: b.title }),
  },
};
