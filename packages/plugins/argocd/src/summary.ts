import type { ArgoApplication, ArgoResourceResult } from './types';

/** Turns an Application into the flat outputs flows read. Plain JSON only. */

export function syncStatusOf(app: ArgoApplication): string {
  return app.status?.sync?.status || 'Unknown';
}

export function healthStatusOf(app: ArgoApplication): string {
  return app.status?.health?.status || 'Unknown';
}

export function resourceStatuses(app: ArgoApplication) {
  return (app.status?.resources ?? []).map((r) => ({
    group: r.group ?? '',
    kind: r.kind ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
    status: r.status ?? 'Unknown',
    ...(r.health?.status ? { health: r.health.status } : {}),
    ...(r.health?.message ? { message: r.health.message } : {}),
  }));
}

export function statusOutputs(app: ArgoApplication) {
  const revision = app.status?.sync?.revision;
  const phase = app.status?.operationState?.phase;
  return {
    app,
    syncStatus: syncStatusOf(app),
    healthStatus: healthStatusOf(app),
    ...(revision ? { revision } : {}),
    ...(phase ? { operationPhase: phase } : {}),
    conditions: (app.status?.conditions ?? []).map((c) => ({ type: c.type ?? 'Unknown', message: c.message ?? '' })),
    resources: resourceStatuses(app),
  };
}

export function resultResources(results: ArgoResourceResult[] | undefined) {
  return (results ?? []).map((r) => ({
    group: r.group ?? '',
    kind: r.kind ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
    status: r.status ?? 'Unknown',
    ...(r.message ? { message: r.message } : {}),
    ...(r.hookPhase ? { hookPhase: r.hookPhase } : {}),
    ...(r.syncPhase ? { syncPhase: r.syncPhase } : {}),
  }));
}

export function operationOutputs(app: ArgoApplication, phase: string) {
  const state = app.status?.operationState;
  const revision = state?.syncResult?.revision ?? app.status?.sync?.revision;
  return {
    app,
    phase,
    ...(state?.message ? { message: state.message } : {}),
    syncStatus: syncStatusOf(app),
    healthStatus: healthStatusOf(app),
    ...(revision ? { revision } : {}),
    resources: resultResources(state?.syncResult?.resources),
  };
}

/** "Deployment payments/web" */
export function resourceLabel(r: { kind?: string; namespace?: string; name?: string }): string {
  return `${r.kind ?? '?'} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '?'}`;
}

/** "3/7 resources synced" for progress lines. */
export function syncProgress(app: ArgoApplication): string {
  const results = app.status?.operationState?.syncResult?.resources ?? [];
  const total = Math.max(results.length, app.status?.resources?.length ?? 0);
  if (total === 0) return 'no resources reported yet';
  const done = results.filter((r) => r.status === 'Synced' || r.status === 'Pruned' || r.status === 'PruneSkipped').length;
  return `${done}/${total} resources synced`;
}
