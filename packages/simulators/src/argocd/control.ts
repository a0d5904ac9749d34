import type { Router } from '../kit/router.js';
import { fakeSha, OUTCOME_HEALTH, OUTCOME_PHASES, type SyncOutcome } from './model.js';
import { renderApp } from './render.js';
import type { ArgoStore } from './store.js';

const bad = (error: string) => ({ status: 400, json: { error } });

/** Argo CD-only control routes: create apps and script how their syncs end. */
export function addArgoControlRoutes(router: Router, store: ArgoStore): void {
  router.add('POST', '/_sim/applications', (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(b.name)) {
      return bad('name is required and must be a DNS-1123 name (lower case letters, digits, "-" and ".")');
    }
    for (const key of ['project', 'namespace', 'destNamespace', 'repoURL', 'path', 'targetRevision'] as const) {
      if (b[key] !== undefined && typeof b[key] !== 'string') return bad(`${key} must be a string`);
    }
    if (b.state !== undefined && b.state !== 'healthy' && b.state !== 'missing') return bad('state must be "healthy" or "missing"');
    if (store.apps.has(b.name)) return { status: 409, json: { error: `application ${b.name} already exists` } };
    const app = store.add(b as unknown as Parameters<ArgoStore['add']>[0]);
    return { status: 200, json: renderApp(app) };
  });

  router.add('POST', '/_sim/applications/:name/outcome', (req) => {
    const app = store.get(req.params.name);
    if (!app) return { status: 404, json: { error: `no application ${req.params.name}` } };
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.health !== undefined && !OUTCOME_HEALTH.includes(b.health as never)) return bad(`health must be one of ${OUTCOME_HEALTH.join(', ')}`);
    if (b.syncPhase !== undefined && !OUTCOME_PHASES.includes(b.syncPhase as never)) return bad(`syncPhase must be one of ${OUTCOME_PHASES.join(', ')}`);
    if (b.message !== undefined && typeof b.message !== 'string') return bad('message must be a string');
    if (b.durationMs !== undefined && (typeof b.durationMs !== 'number' || b.durationMs < 0)) return bad('durationMs must be a non-negative number');
    // Sticky: it applies to every later sync (and rollback) of this app until replaced or reset.
    const outcome: SyncOutcome = {
      health: b.health as SyncOutcome['health'],
      syncPhase: b.syncPhase as SyncOutcome['syncPhase'],
      message: b.message as string | undefined,
      durationMs: b.durationMs as number | undefined,
    };
    app.outcome = outcome;
    return { status: 200, json: { name: app.name, outcome } };
  });

  // A new commit on the tracked branch: the app drifts OutOfSync until the next sync.
  router.add('POST', '/_sim/applications/:name/commit', (req) => {
    const app = store.get(req.params.name);
    if (!app) return { status: 404, json: { error: `no application ${req.params.name}` } };
    const b = (req.body ?? {}) as { revision?: unknown };
    if (b.revision !== undefined && (typeof b.revision !== 'string' || !/^[0-9a-f]{40}$/.test(b.revision))) {
      return bad('revision must be a 40-character lower-case hex commit SHA');
    }
    app.generation++;
    app.headRevision = (b.revision as string | undefined) ?? fakeSha(app.source, app.source.targetRevision, app.generation);
    app.resourceVersion++;
    return { status: 200, json: { name: app.name, headRevision: app.headRevision } };
  });
}
