import { PluginError, formatDuration, isPluginError, type TaskContext } from '@baton/plugin-sdk';
import { remainingMs, type WaitBudget } from '@baton/plugin-sdk';
import type { ArgoCdClient } from './client';
import { resourceLabel, syncProgress } from './summary';
import type { ArgoApplication } from './types';

export const TERMINAL_PHASES = new Set(['Succeeded', 'Failed', 'Error']);
const MAX_CONSECUTIVE_POLL_FAILURES = 3;
const PROGRESS_LOG_EVERY_MS = 30_000;

export interface OperationWait {
  application: string;
  /** "sync" or "rollback", for messages. */
  label: string;
  pollMs: number;
  budget: WaitBudget;
  terminateOnCancel: boolean;
  /** The Application returned by the request that started the operation. */
  started: ArgoApplication;
}

/**
 * Polls the application until the operation started by this task ends.
 *
 * Argo CD sets `operation` on the Application when a sync is requested and clears it when the
 * controller finishes, writing the result to `status.operationState`. Until then the
 * operationState may still describe the previous operation, so a terminal phase counts only
 * once `operation` is gone and we have seen our operation (or the operationState changed).
 */
export async function waitForOperation(ctx: TaskContext<unknown>, client: ArgoCdClient, wait: OperationWait): Promise<ArgoApplication> {
  const { application, label } = wait;
  const previousStartedAt = wait.started.status?.operationState?.startedAt;
  let sawOurOperation = Boolean(wait.started.operation) || isRunning(wait.started);
  let app = wait.started;
  let lastLine = '';
  let lastLogAt = 0;
  let failures = 0;
  client.endsAt = wait.budget.endsAt;

  try {
    for (;;) {
      const state = app.status?.operationState;
      const phase = state?.phase ?? 'Pending';
      const fresh = sawOurOperation || (state?.startedAt !== undefined && state.startedAt !== previousStartedAt);
      if (!app.operation && TERMINAL_PHASES.has(phase) && fresh) return app;

      // Until the controller picks the operation up, operationState still shows the previous one.
      const shown = app.operation && TERMINAL_PHASES.has(phase) ? 'Pending' : phase;
      const line = `${label} of ${application}: ${shown} (${syncProgress(app)})`;
      if (line !== lastLine || Date.now() - lastLogAt >= PROGRESS_LOG_EVERY_MS) {
        ctx.logger.info(line);
        lastLine = line;
        lastLogAt = Date.now();
      }
      ctx.heartbeat({ phase, progress: syncProgress(app) });

      const left = remainingMs(wait.budget);
      if (left <= 0) {
        throw new PluginError(
          'TIMEOUT',
          `${label} of application '${application}' did not finish within ${formatDuration(wait.budget.limitMs ?? 0)} (${wait.budget.reason}); ` +
            `last phase ${phase}, ${syncProgress(app)}. Argo CD keeps running it; raise waitTimeout or the task timeout to wait longer.`,
          { retryable: false, details: { application, phase } },
        );
      }
      await ctx.sleep(Math.min(wait.pollMs, Math.max(0, left)));

      try {
        app = await client.getApplication(application);
        failures = 0;
      } catch (error) {
        // A flaky read while waiting should not fail a 20-minute sync; a few in a row should.
        if (!isPluginError(error) || !error.retryable || ++failures >= MAX_CONSECUTIVE_POLL_FAILURES) throw error;
        ctx.logger.warn(`reading ${application} failed (${error.message}); retrying (${failures}/${MAX_CONSECUTIVE_POLL_FAILURES})`);
        continue;
      }
      if (app.operation || isRunning(app)) sawOurOperation = true;
    }
  } catch (error) {
    if (isPluginError(error) && error.code === 'CANCELLED') throw await cancelled(ctx, client, wait);
    throw error;
  }
}

function isRunning(app: ArgoApplication): boolean {
  const phase = app.status?.operationState?.phase;
  return phase === 'Running' || phase === 'Terminating';
}

async function cancelled(ctx: TaskContext<unknown>, client: ArgoCdClient, wait: OperationWait): Promise<PluginError> {
  const { application, label } = wait;
  if (!wait.terminateOnCancel) {
    return new PluginError('CANCELLED', `waiting for the ${label} of application '${application}' was cancelled; the operation keeps running in Argo CD`, {
      retryable: false,
    });
  }
  try {
    await client.terminateOperation(application, 800);
    ctx.logger.warn(`${label} of ${application}: terminated the running operation after the execution was killed`);
    return new PluginError('CANCELLED', `${label} of application '${application}' was cancelled; the running operation was terminated`, {
      retryable: false,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    ctx.logger.warn(`${label} of ${application}: could not terminate the operation after the kill (${why})`);
    return new PluginError('CANCELLED', `${label} of application '${application}' was cancelled; terminating the operation failed (${why})`, {
      retryable: false,
    });
  }
}

/** A readable reason for a Failed/Error operation: Argo's message plus the resources that failed. */
export function failureMessage(app: ArgoApplication, label: string, application: string, server: string): string {
  const state = app.status?.operationState;
  const failed = (state?.syncResult?.resources ?? []).filter((r) => r.status === 'SyncFailed' || r.hookPhase === 'Failed' || r.hookPhase === 'Error');
  const parts = failed.slice(0, 5).map((r) => `${resourceLabel(r)}: ${r.message ?? r.status}`);
  const more = failed.length > 5 ? `; and ${failed.length - 5} more` : '';
  return (
    `${label} of application '${application}' on ${server} ended ${state?.phase ?? 'Unknown'}: ${state?.message || 'no message'}` +
    (parts.length ? ` (${parts.join('; ')}${more})` : '')
  );
}
