import type { Db } from '@baton/db';
import { appendWorkflowLog } from '../state/logs';
import { projectExecutionState, projectTaskRunState, replaceLabels } from '../state/transitions';
import type { ProjectionEvent } from '../workflow/contracts';

/**
 * The workflow's projection (a local activity): each event is one named transition of the state
 * machine (packages/engine/src/state), one SQL statement each. Every write is idempotent (a
 * retried local activity leaves the same rows) and never moves a row out of a terminal state.
 */
export async function applyProjection(db: Db, events: ProjectionEvent[]): Promise<void> {
  for (const event of events) {
    if (event.kind === 'execution')
      await projectExecutionState(db, event.id, event.state, { at: event.at, outputs: event.outputs, error: event.error, killSwitch: event.killSwitch });
    else if (event.kind === 'log') await appendWorkflowLog(db, event);
    else if (event.kind === 'labels') await replaceLabels(db, event.executionId, event.labels);
    else await projectTaskRunState(db, event);
  }
}
