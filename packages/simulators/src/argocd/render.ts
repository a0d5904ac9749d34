import { appHealth, appSyncStatus, liveResourceHealth, resourceSyncStatus } from './lifecycle.js';
import type { AppRecord, FinishedOperation, Operation, ResourceState } from './model.js';

/** Kubernetes timestamps have second precision and a Z suffix (metav1.Time). */
export function k8sTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function operationSpec(op: Operation): Record<string, unknown> {
  return {
    sync: {
      revision: op.revision,
      prune: op.prune,
      dryRun: op.dryRun,
      ...(op.resources?.length ? { resources: op.resources } : {}),
      ...(op.syncOptions?.length ? { syncOptions: op.syncOptions } : {}),
      ...(op.syncStrategy ? { syncStrategy: op.syncStrategy } : {}),
      // A rollback pins the source it deploys; a plain sync leaves it nil (see the swagger's note).
      ...(op.kind === 'rollback' ? { source: op.source } : {}),
    },
    initiatedBy: { username: op.username },
    ...(op.retry ? { retry: op.retry } : {}),
  };
}

function operationState(app: AppRecord): Record<string, unknown> | undefined {
  const op: Operation | FinishedOperation | undefined = app.operation ?? app.lastOperation;
  if (!op) return undefined;
  const finished = app.operation ? undefined : app.lastOperation;
  const phase = finished?.phase ?? 'Running';
  const resources = app.resources
    .filter((r) => !op.resources?.length || op.resources.some((f) => (f.kind ?? r.kind) === r.kind && (f.name ?? r.name) === r.name))
    .map((r) => ({
      group: r.group,
      version: r.version,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      status: phase === 'Succeeded' ? 'Synced' : phase === 'Running' ? '' : 'SyncFailed',
      message: phase === 'Running' ? '' : `${r.kind.toLowerCase()}${r.group ? '.' + r.group : ''}/${r.name} ${phase === 'Succeeded' ? 'configured' : 'failed'}`,
      hookPhase: phase === 'Running' ? 'Running' : phase,
      syncPhase: 'Sync',
    }));
  return {
    operation: operationSpec(op),
    phase,
    message: finished?.message ?? 'one or more tasks are running',
    startedAt: k8sTime(op.startedAt),
    ...(finished ? { finishedAt: k8sTime(finished.finishedAt) } : {}),
    syncResult: { resources, revision: op.revision, source: op.source },
  };
}

function resourceStatus(app: AppRecord, r: ResourceState): Record<string, unknown> {
  const health = liveResourceHealth(app, r);
  return {
    group: r.group || undefined,
    version: r.version,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    status: resourceSyncStatus(app, r),
    health: { status: health, ...(r.healthMessage && health === r.health ? { message: r.healthMessage } : {}) },
  };
}

/** The app as a v1alpha1Application (validated against the swagger in the conformance tests). */
export function renderApp(app: AppRecord): Record<string, unknown> {
  const health = appHealth(app);
  const deployment = app.resources.find((r) => r.kind === 'Deployment');
  return {
    metadata: {
      name: app.name,
      namespace: app.namespace,
      uid: app.uid,
      resourceVersion: String(app.resourceVersion),
      generation: app.generation,
      creationTimestamp: k8sTime(app.createdAt),
      ...(Object.keys(app.labels).length ? { labels: app.labels } : {}),
    },
    spec: {
      project: app.project,
      source: app.source,
      destination: app.destination,
      ...(app.syncPolicy ? { syncPolicy: app.syncPolicy } : {}),
    },
    ...(app.operation ? { operation: operationSpec(app.operation) } : {}),
    status: {
      resources: app.resources.map((r) => resourceStatus(app, r)),
      sync: {
        status: appSyncStatus(app),
        revision: app.headRevision,
        comparedTo: { source: app.source, destination: app.destination },
      },
      health: {
        status: health,
        lastTransitionTime: k8sTime(app.healthChangedAt),
        ...(health === deployment?.health && deployment?.healthMessage ? { message: deployment.healthMessage } : {}),
      },
      history: app.history.map((h) => ({
        id: h.id,
        revision: h.revision,
        deployStartedAt: k8sTime(h.deployStartedAt),
        deployedAt: k8sTime(h.deployedAt),
        source: h.source,
        initiatedBy: h.initiatedBy,
      })),
      ...(app.conditions.length ? { conditions: app.conditions.map((c) => ({ type: c.type, message: c.message, lastTransitionTime: k8sTime(c.lastTransitionTime) })) } : {}),
      reconciledAt: k8sTime(app.reconciledAt),
      ...(operationState(app) ? { operationState: operationState(app) } : {}),
      sourceType: 'Directory',
      summary: app.deployedRevision ? { images: [`ghcr.io/example/${app.name}:${app.deployedRevision.slice(0, 7)}`] } : {},
      controllerNamespace: app.namespace,
    },
  };
}

/** Deployment → ReplicaSet → Pod, plus the Service: what `argocd app resources --tree` shows. */
export function renderTree(app: AppRecord): Record<string, unknown> {
  const nodes: Record<string, unknown>[] = [];
  for (const r of app.resources) {
    if (!r.revision) continue; // never applied: nothing live in the cluster
    const health = { status: liveResourceHealth(app, r), ...(r.healthMessage ? { message: r.healthMessage } : {}) };
    nodes.push({ group: r.group, version: r.version, kind: r.kind, namespace: r.namespace, name: r.name, uid: r.uid, resourceVersion: '1', health });
    if (r.kind === 'Deployment') {
      const rsName = `${r.name}-${r.revision.slice(0, 10)}`;
      const rsUid = `${r.uid.slice(0, 24)}rs000001`;
      nodes.push({
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: r.namespace,
        name: rsName,
        uid: rsUid,
        resourceVersion: '1',
        health,
        parentRefs: [{ group: 'apps', kind: 'Deployment', namespace: r.namespace, name: r.name, uid: r.uid }],
        info: [{ name: 'Revision', value: `Rev:${app.history.length || 1}` }],
      });
      nodes.push({
        version: 'v1',
        kind: 'Pod',
        namespace: r.namespace,
        name: `${rsName}-x7k2p`,
        uid: `${r.uid.slice(0, 24)}pod00001`,
        resourceVersion: '1',
        health,
        parentRefs: [{ group: 'apps', kind: 'ReplicaSet', namespace: r.namespace, name: rsName, uid: rsUid }],
        images: [`ghcr.io/example/${app.name}:${r.revision.slice(0, 7)}`],
        info: [{ name: 'Status Reason', value: health.status === 'Healthy' ? 'Running' : 'ContainerCreating' }],
      });
    }
  }
  return { nodes, hosts: [] };
}
