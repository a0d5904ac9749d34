import { PluginError, defineRuntime, formatDuration, isPluginError, parseDuration } from '@baton/plugin-sdk';
import { remainingMs, waitBudget } from '@baton/plugin-sdk';
import { ArgoCdClient } from '../client';
import { waitForHealthDefinition } from '../definitions/wait-for-health';
import { readProps } from '../props';
import { healthStatusOf, resourceLabel, statusOutputs, syncStatusOf } from '../summary';
import type { ArgoApplication } from '../types';

const MAX_CONSECUTIVE_POLL_FAILURES = 3;

function unhealthyResources(app: ArgoApplication): string {
  const bad = (app.status?.resources ?? []).filter((r) => r.health?.status && r.health.status !== 'Healthy');
  if (!bad.length) return '';
  const parts = bad.slice(0, 5).map((r) => `${resourceLabel(r)} ${r.health?.status}${r.health?.message ? `: ${r.health.message}` : ''}`);
  return ` (${parts.join('; ')}${bad.length > 5 ? `; and ${bad.length - 5} more` : ''})`;
}

function operationRunning(app: ArgoApplication): boolean {
  const phase = app.status?.operationState?.phase;
  return Boolean(app.operation) || phase === 'Running' || phase === 'Terminating';
}

export const waitForHealthRuntime = defineRuntime(waitForHealthDefinition, async (ctx) => {
  const props = readProps(waitForHealthDefinition.props, ctx.props, waitForHealthDefinition.id);
  const client = await ArgoCdClient.connect(ctx, props);
  const { application } = props;
  const budget = waitBudget(ctx, parseDuration(props.waitTimeout), props.waitTimeout);
  client.endsAt = budget.endsAt;
  const pollMs = parseDuration(props.pollInterval) ?? 5_000;
  const failOn = new Set<string>(props.failOn);
  let lastLine = '';
  let failures = 0;
  let app: ArgoApplication | undefined;

  for (;;) {
    try {
      app = await client.getApplication(application);
      failures = 0;
    } catch (error) {
      if (!isPluginError(error) || !error.retryable || ++failures >= MAX_CONSECUTIVE_POLL_FAILURES || !app) throw error;
      ctx.logger.warn(`reading ${application} failed (${error.message}); retrying (${failures}/${MAX_CONSECUTIVE_POLL_FAILURES})`);
    }
    if (failures === 0) {
      const health = healthStatusOf(app);
      const sync = syncStatusOf(app);
      const running = operationRunning(app);
      if (failOn.has(health)) {
        throw new PluginError('REMOTE_ERROR', `application '${application}' on ${client.server} is ${health}${unhealthyResources(app)}; not waiting any longer`, {
          retryable: false,
          details: { application, healthStatus: health, syncStatus: sync },
        });
      }
      if (health === 'Healthy' && (!props.requireSynced || sync === 'Synced') && !running) {
        const waitedMs = Date.now() - budget.startedAt;
        ctx.logger.info(`${application} is Healthy and ${sync} after ${formatDuration(waitedMs)}`);
        return { ...statusOutputs(app), waitedMs };
      }
      const line = `${application}: health ${health}, sync ${sync}${running ? ', operation running' : ''}`;
      if (line !== lastLine) ctx.logger.info(`waiting: ${line}`);
      lastLine = line;
    }
    ctx.heartbeat({ lastLine });

    const left = remainingMs(budget);
    if (left <= 0) {
      throw new PluginError(
        'TIMEOUT',
        `application '${application}' did not become Healthy${props.requireSynced ? ' and Synced' : ''} within ` +
          `${formatDuration(budget.limitMs ?? 0)} (${budget.reason}); last seen ${lastLine || 'nothing'}${app ? unhealthyResources(app) : ''}`,
        { retryable: false, details: { application } },
      );
    }
    await ctx.sleep(Math.min(pollMs, left));
  }
});
