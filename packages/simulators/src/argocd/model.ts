import { createHash, randomUUID } from 'node:crypto';

/** Value sets from Argo CD's source (pkg/apis/application/v1alpha1, gitops-engine health). */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';
export type OperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';

export const OUTCOME_HEALTH = ['Healthy', 'Degraded', 'Missing', 'Progressing'] as const;
export const OUTCOME_PHASES = ['Succeeded', 'Failed', 'Error'] as const;

/** How the next syncs of an app end (set through POST /_sim/applications/{name}/outcome). */
export interface SyncOutcome {
  health?: (typeof OUTCOME_HEALTH)[number];
  syncPhase?: (typeof OUTCOME_PHASES)[number];
  message?: string;
  durationMs?: number;
}

export interface Source {
  repoURL: string;
  path: string;
  targetRevision: string;
}

export interface ResourceKey {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

export interface ResourceState extends ResourceKey {
  uid: string;
  /** Revision last applied to this resource; undefined = never applied. */
  revision?: string;
  health: HealthStatus;
  healthMessage?: string;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  deployStartedAt: number;
  deployedAt: number;
  source: Source;
  initiatedBy: { username?: string; automated?: boolean };
}

export interface OperationRequest {
  kind: 'sync' | 'rollback';
  /** Revision the operation deploys (a commit SHA). */
  revision: string;
  prune: boolean;
  dryRun: boolean;
  /** Partial sync when set. */
  resources?: Array<Partial<ResourceKey>>;
  syncOptions?: string[];
  syncStrategy?: unknown;
  retry?: unknown;
  source: Source;
  username: string;
}

export interface Operation extends OperationRequest {
  startedAt: number;
  durationMs: number;
  outcome: SyncOutcome;
}

export interface FinishedOperation extends Operation {
  phase: OperationPhase;
  message: string;
  finishedAt: number;
}

export interface Condition {
  type: string;
  message: string;
  lastTransitionTime: number;
}

export interface AppRecord {
  name: string;
  namespace: string;
  project: string;
  uid: string;
  createdAt: number;
  generation: number;
  resourceVersion: number;
  labels: Record<string, string>;
  source: Source;
  destination: { server: string; namespace: string };
  syncPolicy?: { automated?: unknown; syncOptions?: string[] };
  /** What spec.source.targetRevision currently resolves to in "git". */
  headRevision: string;
  /** Revision of the last successful full sync; undefined = never deployed. */
  deployedRevision?: string;
  resources: ResourceState[];
  history: HistoryEntry[];
  operation?: Operation;
  lastOperation?: FinishedOperation;
  outcome?: SyncOutcome;
  conditions: Condition[];
  reconciledAt: number;
  healthChangedAt: number;
}

export const DEFAULT_REPO = 'https://github.com/argoproj/argocd-example-apps.git';
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Argo CD keeps 10 history entries unless spec.revisionHistoryLimit says otherwise. */
export const HISTORY_LIMIT = 10;

/** A stable fake commit SHA for a git ref: same inputs, same SHA, so tests can predict it. */
export function fakeSha(source: Source, ref: string, generation = 0): string {
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  return createHash('sha1').update(`${source.repoURL}#${source.path}#${ref}#${generation}`).digest('hex');
}

export interface NewApp {
  name: string;
  project?: string;
  namespace?: string;
  destNamespace?: string;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  labels?: Record<string, string>;
  /** 'healthy': already deployed at head (Synced/Healthy with one history entry). */
  state?: 'healthy' | 'missing';
}

export function createApp(input: NewApp, now: number): AppRecord {
  const source: Source = {
    repoURL: input.repoURL ?? DEFAULT_REPO,
    path: input.path ?? input.name,
    targetRevision: input.targetRevision ?? 'HEAD',
  };
  const destNamespace = input.destNamespace ?? 'default';
  const headRevision = fakeSha(source, source.targetRevision);
  // A typical app: a Deployment behind a Service, which is what status.resources shows in the UI.
  const resources: ResourceState[] = [
    { group: '', version: 'v1', kind: 'Service', name: input.name, namespace: destNamespace, uid: randomUUID(), health: 'Missing' },
    { group: 'apps', version: 'v1', kind: 'Deployment', name: input.name, namespace: destNamespace, uid: randomUUID(), health: 'Missing' },
  ];
  const app: AppRecord = {
    name: input.name,
    namespace: input.namespace ?? 'argocd',
    project: input.project ?? 'default',
    uid: randomUUID(),
    createdAt: now,
    generation: 1,
    resourceVersion: 1,
    labels: input.labels ?? {},
    source,
    destination: { server: IN_CLUSTER, namespace: destNamespace },
    headRevision,
    resources,
    history: [],
    conditions: [],
    reconciledAt: now,
    healthChangedAt: now,
  };
  if (input.state === 'healthy') {
    app.deployedRevision = headRevision;
    for (const r of resources) Object.assign(r, { revision: headRevision, health: 'Healthy' as HealthStatus });
    app.history.push({ id: 0, revision: headRevision, deployStartedAt: now, deployedAt: now, source: { ...source }, initiatedBy: { username: 'admin' } });
  }
  return app;
}

export function resourceMatches(r: ResourceKey, filter: Partial<ResourceKey>): boolean {
  return (
    (filter.kind === undefined || filter.kind === r.kind) &&
    (filter.name === undefined || filter.name === r.name) &&
    (filter.group === undefined || filter.group === r.group) &&
    (filter.namespace === undefined || filter.namespace === '' || filter.namespace === r.namespace)
  );
}

export function targetedResources(app: AppRecord, op: OperationRequest): ResourceState[] {
  if (!op.resources || op.resources.length === 0) return app.resources;
  return app.resources.filter((r) => op.resources!.some((f) => resourceMatches(r, f)));
}
