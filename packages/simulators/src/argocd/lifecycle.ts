import {
  HISTORY_LIMIT,
  targetedResources,
  type AppRecord,
  type FinishedOperation,
  type HealthStatus,
  type Operation,
  type OperationPhase,
  type OperationRequest,
  type ResourceState,
  type SyncStatus,
} from './model.js';

/**
 * Sync progress is computed from timestamps when an app is read, not driven by timers: a test that
 * reads after `durationMs` always sees the finished state, and nothing fires after close().
 */

// Argo CD's own messages, so clients that log or match them see the real text.
const MESSAGES: Record<OperationPhase, string> = {
  Running: 'one or more tasks are running',
  Terminating: 'operation is terminating',
  Succeeded: 'successfully synced (all tasks run)',
  Failed: 'one or more synchronization tasks completed unsuccessfully',
  Error: 'one or more objects failed to apply, reason: the server could not find the requested resource',
};

export function startOperation(app: AppRecord, request: OperationRequest, now: number, defaultDurationMs: number): Operation {
  const outcome = { ...app.outcome };
  const op: Operation = { ...request, startedAt: now, durationMs: outcome.durationMs ?? defaultDurationMs, outcome };
  app.operation = op;
  app.resourceVersion++;
  return op;
}

/** Finishes the running operation if its time is up. Returns true when state changed. */
export function settle(app: AppRecord, now: number): boolean {
  const op = app.operation;
  if (!op || now < op.startedAt + op.durationMs) return false;
  finish(app, op, op.outcome.syncPhase ?? 'Succeeded', op.outcome.message, op.startedAt + op.durationMs);
  return true;
}

export function terminate(app: AppRecord, now: number): void {
  if (!app.operation) return;
  finish(app, app.operation, 'Failed', 'Operation terminated', now);
}

function finish(app: AppRecord, op: Operation, phase: OperationPhase, message: string | undefined, at: number): void {
  const done: FinishedOperation = { ...op, phase, message: message ?? MESSAGES[phase], finishedAt: at };
  const terminated = message === 'Operation terminated';
  if (phase === 'Succeeded' && !op.dryRun) {
    const targets = targetedResources(app, op);
    for (const r of targets) {
      r.revision = op.revision;
      setHealth(r, healthAfterSync(r, op.outcome.health));
    }
    const partial = targets.length !== app.resources.length;
    // Argo CD records history only for full, non-dry-run syncs; rollback needs these ids.
    if (!partial) {
      app.deployedRevision = op.revision;
      const id = app.history.length ? app.history[app.history.length - 1].id + 1 : 0;
      app.history.push({
        id,
        revision: op.revision,
        deployStartedAt: op.startedAt,
        deployedAt: at,
        source: { ...op.source },
        initiatedBy: { username: op.username },
      });
      if (app.history.length > HISTORY_LIMIT) app.history.splice(0, app.history.length - HISTORY_LIMIT);
    }
    app.conditions = app.conditions.filter((c) => c.type !== 'SyncError');
  } else if (!terminated && !op.dryRun && op.outcome.health) {
    // A failed sync can still leave things broken: the forced health applies to what it touched.
    for (const r of targetedResources(app, op)) setHealth(r, healthAfterSync(r, op.outcome.health));
  }
  if (phase === 'Error') {
    app.conditions = [...app.conditions.filter((c) => c.type !== 'SyncError'), { type: 'SyncError', message: done.message, lastTransitionTime: at }];
  }
  app.lastOperation = done;
  app.operation = undefined;
  app.healthChangedAt = at;
  app.resourceVersion++;
}

/** A Service is healthy once applied; only workloads degrade or keep progressing. */
function healthAfterSync(r: ResourceState, forced: HealthStatus | undefined): HealthStatus {
  if (!forced || forced === 'Healthy') return 'Healthy';
  if (forced === 'Missing') return 'Missing';
  return r.kind === 'Deployment' ? forced : 'Healthy';
}

function setHealth(r: ResourceState, health: HealthStatus): void {
  r.health = health;
  r.healthMessage =
    health === 'Degraded' && r.kind === 'Deployment'
      ? `Deployment "${r.name}" exceeded its progress deadline`
      : health === 'Progressing' && r.kind === 'Deployment'
        ? `Waiting for rollout to finish: 0 of 1 updated replicas are available...`
        : undefined;
}

/** Health as displayed: resources touched by a running operation are Progressing. */
export function liveResourceHealth(app: AppRecord, r: ResourceState): HealthStatus {
  if (app.operation && !app.operation.dryRun && targetedResources(app, app.operation).includes(r)) return 'Progressing';
  return r.health;
}

export function resourceSyncStatus(app: AppRecord, r: ResourceState): SyncStatus {
  return r.revision === app.headRevision ? 'Synced' : 'OutOfSync';
}

// gitops-engine's ordering: the app shows its worst resource.
const SEVERITY: HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

export function appHealth(app: AppRecord): HealthStatus {
  let worst: HealthStatus = 'Healthy';
  for (const r of app.resources) {
    const h = liveResourceHealth(app, r);
    if (SEVERITY.indexOf(h) > SEVERITY.indexOf(worst)) worst = h;
  }
  return worst;
}

export function appSyncStatus(app: AppRecord): SyncStatus {
  return app.resources.every((r) => resourceSyncStatus(app, r) === 'Synced') ? 'Synced' : 'OutOfSync';
}
