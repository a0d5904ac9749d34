import type { AppBlock, AppLayoutStage, AppStage } from './app-schema';

/** What the stage of an App page is decided from: its execution, if one was started. */
export interface StageSource {
  state?: string;
  /** The execution's state history (to tell RESUME from RUNNING). */
  history?: readonly { state: string }[];
  /** The app could not do what was asked (a start or a decision was refused). */
  error?: boolean;
}

const CREATED = new Set(['CREATED', 'QUEUED']);
const SUCCESS = new Set(['SUCCESS', 'WARNING']);
const FAILURE = new Set(['FAILED', 'KILLED', 'CANCELLED']);

/**
 * The stage an execution is in, in Kestra's App terms. RUNNING after a pause is RESUME (the page
 * shows RUNNING's blocks when the layout has no RESUME stage, see blocksFor).
 */
export function resolveStage(source: StageSource): AppStage {
  if (source.error) return 'ERROR';
  const state = source.state;
  if (!state) return 'OPEN';
  if (CREATED.has(state)) return 'CREATED';
  if (state === 'PAUSED') return 'PAUSE';
  if (SUCCESS.has(state)) return 'SUCCESS';
  if (FAILURE.has(state)) return 'FAILURE';
  // RUNNING, RETRYING, KILLING, RESTARTED: still going
  return source.history?.some((h) => h.state === 'PAUSED') ? 'RESUME' : 'RUNNING';
}

/** The blocks of a stage: its own entry, RESUME falling back to RUNNING, then FALLBACK, else none. */
export function blocksFor(layout: readonly AppLayoutStage[], stage: AppStage): { stage: AppStage; blocks: AppBlock[] } {
  const find = (s: AppStage) => layout.find((l) => l.on === s);
  const own = find(stage) ?? (stage === 'RESUME' ? find('RUNNING') : undefined);
  if (own) return { stage: own.on, blocks: own.blocks };
  const fallback = find('FALLBACK');
  return fallback ? { stage: 'FALLBACK', blocks: fallback.blocks } : { stage, blocks: [] };
}
