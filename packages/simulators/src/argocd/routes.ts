import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { appNotFound, argoError, GrpcCode } from './errors.js';
import { startOperation, terminate } from './lifecycle.js';
import { fakeSha, IN_CLUSTER, type AppRecord, type ResourceKey } from './model.js';
import { renderApp, renderTree } from './render.js';
import type { ArgoStore } from './store.js';

const ok = (json: unknown): SimResponse => ({ status: 200, json });

export const ARGO_VERSION = {
  Version: 'v3.5.1+109ca7c',
  BuildDate: '2026-08-01T00:00:00Z',
  GitCommit: '109ca7ca71139e514114499d294a492e7910a965',
  GitTag: 'v3.5.1',
  GitTreeState: 'clean',
  GoVersion: 'go1.25.0',
  Compiler: 'gc',
  Platform: 'linux/amd64',
  KustomizeVersion: 'v5.7.0',
  HelmVersion: 'v3.18.4',
  KubectlVersion: 'v0.34.0',
  JsonnetVersion: 'v0.21.0',
};

/** Bearer header first, then the argocd.token cookie the UI uses. */
export function requestToken(req: SimRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const cookie = req.headers.cookie;
  const match = cookie?.match(/(?:^|;\s*)argocd\.token=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : undefined;
}

export function addArgoRoutes(router: Router, store: ArgoStore): void {
  const now = (): number => store.clock.now();

  /** Looks the app up, honouring ?appNamespace= / ?project= as Argo CD does (mismatch = not found). */
  const findApp = (req: SimRequest, name: string): AppRecord | SimResponse => {
    const app = store.get(name);
    const ns = req.query.get('appNamespace');
    const project = req.query.get('project');
    if (!app || (ns && ns !== app.namespace) || (project && project !== app.project)) return appNotFound(name);
    return app;
  };
  const isResponse = (x: AppRecord | SimResponse): x is SimResponse => 'status' in x && typeof x.status === 'number';

  // --- session (public: this is how a client gets a token) -------------------------------------
  router.add(
    'POST',
    '/api/v1/session',
    (req) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body.username === 'string' && body.username === store.settings.username && body.password === store.settings.password) {
        const token = store.issueToken(body.username);
        return { status: 200, json: { token }, headers: { 'Set-Cookie': `argocd.token=${token}; path=/; SameSite=lax; httpOnly` } };
      }
      if (typeof body.token === 'string' && store.tokens.has(body.token)) return ok({ token: body.token });
      return argoError(GrpcCode.Unauthenticated, 'Invalid username or password');
    },
    { public: true },
  );
  router.add('DELETE', '/api/v1/session', (req) => {
    const token = requestToken(req);
    if (token) store.tokens.delete(token);
    return { status: 200, json: {}, headers: { 'Set-Cookie': 'argocd.token=; path=/; Max-Age=0' } };
  });
  router.add(
    'GET',
    '/api/v1/session/userinfo',
    (req) => {
      const token = requestToken(req);
      const loggedIn = token !== undefined && store.tokens.has(token);
      return ok(loggedIn ? { loggedIn, username: store.settings.username, iss: 'argocd', groups: [] } : { loggedIn: false });
    },
    { public: true },
  );

  // --- connectivity checks (public in Argo CD too) ---------------------------------------------
  const version = (): SimResponse => ok(ARGO_VERSION);
  router.add('GET', '/api/version', version, { public: true });
  // Not in the swagger: kept because clients written from the brief call it.
  router.add('GET', '/api/v1/version', version, { public: true });
  router.add(
    'GET',
    '/api/v1/settings',
    (req) =>
      ok({
        url: `http://${req.headers.host ?? 'localhost'}`,
        appLabelKey: 'app.kubernetes.io/instance',
        controllerNamespace: 'argocd',
        trackingMethod: 'annotation',
        execEnabled: false,
        statusBadgeEnabled: false,
        userLoginsDisabled: false,
        kustomizeVersions: [],
        passwordPattern: '^.{8,32}$',
      }),
    { public: true },
  );

  // --- applications ----------------------------------------------------------------------------
  router.add('GET', '/api/v1/applications', (req) => {
    const name = req.query.get('name');
    const projects = [...req.query.getAll('projects'), ...req.query.getAll('project')].filter(Boolean);
    const repo = req.query.get('repo');
    const ns = req.query.get('appNamespace');
    const selector = parseSelector(req.query.get('selector'));
    if (selector === null) return argoError(GrpcCode.InvalidArgument, `error parsing selector: ${req.query.get('selector')}`);
    const items = store
      .all()
      .filter((a) => !name || a.name === name)
      .filter((a) => projects.length === 0 || projects.includes(a.project))
      .filter((a) => !repo || a.source.repoURL === repo)
      .filter((a) => !ns || a.namespace === ns)
      .filter((a) => Object.entries(selector).every(([k, v]) => a.labels[k] === v))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(renderApp);
    return ok({ metadata: { resourceVersion: String(Math.max(0, ...store.all().map((a) => a.resourceVersion))) }, items });
  });

  router.add('POST', '/api/v1/applications', (req) => {
    const body = req.body as { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, any> } | undefined;
    const name = body?.metadata?.name;
    if (!name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      return argoError(GrpcCode.InvalidArgument, 'Application.argoproj.io "" is invalid: metadata.name: Required value: name or generateName is required');
    }
    const spec = body?.spec ?? {};
    const source = spec.source ?? {};
    if (!source.repoURL)
      return argoError(
        GrpcCode.InvalidArgument,
        'application spec for ' + name + ' is invalid: InvalidSpecError: spec.source.repoURL and either source.path, source.chart, or source.ref are required',
      );
    const existing = store.get(name);
    const upsert = req.query.get('upsert') === 'true';
    if (existing && !upsert) {
      const same = JSON.stringify(existing.source) === JSON.stringify({ repoURL: source.repoURL, path: source.path ?? name, targetRevision: source.targetRevision ?? 'HEAD' });
      if (same) return ok(renderApp(existing));
      return argoError(GrpcCode.InvalidArgument, `existing application spec is different, use upsert flag to force update`);
    }
    const app = store.add({
      name,
      namespace: body?.metadata?.namespace,
      labels: body?.metadata?.labels,
      project: spec.project,
      destNamespace: spec.destination?.namespace,
      repoURL: source.repoURL,
      path: source.path,
      targetRevision: source.targetRevision,
    });
    if (spec.destination?.server) app.destination.server = spec.destination.server;
    else if (!spec.destination?.name) app.destination.server = IN_CLUSTER;
    if (spec.syncPolicy) app.syncPolicy = spec.syncPolicy;
    return ok(renderApp(app));
  });

  router.add('GET', '/api/v1/applications/:name', (req) => {
    const app = findApp(req, req.params.name);
    if (isResponse(app)) return app;
    const refresh = req.query.get('refresh');
    if (refresh && refresh !== 'normal' && refresh !== 'hard') {
      return argoError(GrpcCode.InvalidArgument, `unknown refresh type ${refresh}: allowed values are normal and hard`);
    }
    if (refresh) app.reconciledAt = now();
    return ok(renderApp(app));
  });

  router.add('DELETE', '/api/v1/applications/:name', (req) => {
    const app = findApp(req, req.params.name);
    if (isResponse(app)) return app;
    store.apps.delete(app.name);
    return ok({});
  });

  router.add('POST', '/api/v1/applications/:name/sync', (req) => {
    const app = findApp(req, req.params.name);
    if (isResponse(app)) return app;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const invalid = checkTypes(body, { revision: 'string', prune: 'boolean', dryRun: 'boolean', resources: 'array', revisions: 'array' });
    if (invalid) return argoError(GrpcCode.InvalidArgument, invalid);
    if (app.operation) return argoError(GrpcCode.FailedPrecondition, 'another operation is already in progress');
    const resources = body.resources as Array<Partial<ResourceKey>> | undefined;
    if (resources?.length && !app.resources.some((r) => resources.some((f) => (f.kind ?? r.kind) === r.kind && (f.name ?? r.name) === r.name))) {
      return argoError(GrpcCode.InvalidArgument, 'none of the requested resources are managed by the application');
    }
    const requested = typeof body.revision === 'string' && body.revision !== '' ? body.revision : undefined;
    const strategy = body.strategy as Record<string, unknown> | undefined;
    const syncOptions = (body.syncOptions as { items?: string[] } | undefined)?.items;
    startOperation(
      app,
      {
        kind: 'sync',
        revision: requested ? fakeSha(app.source, requested) : app.headRevision,
        prune: body.prune === true,
        dryRun: body.dryRun === true,
        resources: resources?.length ? resources : undefined,
        syncOptions,
        syncStrategy: strategy ?? undefined,
        retry: body.retryStrategy,
        source: { ...app.source, ...(requested ? { targetRevision: requested } : {}) },
        username: store.settings.username,
      },
      now(),
      store.settings.syncDurationMs,
    );
    return ok(renderApp(app));
  });

  router.add('POST', '/api/v1/applications/:name/rollback', (req) => {
    const app = findApp(req, req.params.name);
    if (isResponse(app)) return app;
    const body = (req.body ?? {}) as Record<string, unknown>;
    // grpc-gateway accepts int64 as a JSON number or a numeric string.
    const id = typeof body.id === 'string' && /^\d+$/.test(body.id) ? Number(body.id) : (body.id ?? 0);
    if (typeof id !== 'number' || !Number.isInteger(id)) return argoError(GrpcCode.InvalidArgument, 'id must be an integer history id');
    if (app.syncPolicy?.automated) return argoError(GrpcCode.FailedPrecondition, 'rollback cannot be initiated when auto-sync is enabled');
    if (app.operation) return argoError(GrpcCode.FailedPrecondition, 'another operation is already in progress');
    const entry = app.history.find((h) => h.id === id);
    if (!entry) return argoError(GrpcCode.InvalidArgument, `application ${app.name} does not have deployment with id ${id}`);
    startOperation(
      app,
      {
        kind: 'rollback',
        revision: entry.revision,
        prune: body.prune === true,
        dryRun: body.dryRun === true,
        source: { ...entry.source },
        username: store.settings.username,
      },
      now(),
      store.settings.syncDurationMs,
    );
    return ok(renderApp(app));
  });

  router.add('DELETE', '/api/v1/applications/:name/operation', (req) => {
    const app = findApp(req, req.params.name);
    if (isResponse(app)) return app;
    if (!app.operation) return argoError(GrpcCode.FailedPrecondition, 'Unable to terminate operation. No operation is in progress');
    terminate(app, now());
    return ok({});
  });

  router.add('GET', '/api/v1/applications/:applicationName/resource-tree', (req) => {
    const app = findApp(req, req.params.applicationName);
    if (isResponse(app)) return app;
    return ok(renderTree(app));
  });
}

/** `a=b,c=d` equality selectors; null when malformed. Set-based selectors are not modelled. */
function parseSelector(selector: string | null): Record<string, string> | null {
  const out: Record<string, string> = {};
  if (!selector) return out;
  for (const part of selector.split(',')) {
    const m = part.trim().match(/^([\w./-]+)\s*==?\s*([\w.-]*)$/);
    if (!m) return null;
    out[m[1]] = m[2];
  }
  return out;
}

/** The Go unmarshaller's error for a wrongly typed field, so a client bug is a 400, not a surprise. */
function checkTypes(body: Record<string, unknown>, types: Record<string, 'string' | 'boolean' | 'array'>): string | undefined {
  for (const [key, type] of Object.entries(types)) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    const okType = type === 'array' ? Array.isArray(v) : typeof v === type;
    if (!okType) return `json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type ${type === 'array' ? '[]' : type} (field ${key})`;
  }
  return undefined;
}
