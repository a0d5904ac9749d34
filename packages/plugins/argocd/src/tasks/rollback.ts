import { PluginError, defineRuntime, parseDuration } from '@baton/plugin-sdk';
import { waitBudget } from '@baton/plugin-sdk';
import { ArgoCdClient } from '../client';
import { rollbackDefinition } from '../definitions/rollback';
import { readProps } from '../props';
import { operationOutputs } from '../summary';
import type { ArgoHistoryEntry } from '../types';
import { failureMessage, waitForOperation } from '../wait';

function historyId(entry: ArgoHistoryEntry): number {
  return Number(entry.id);
}

export const rollbackRuntime = defineRuntime(rollbackDefinition, async (ctx) => {
  const props = readProps(rollbackDefinition.props, ctx.props, rollbackDefinition.id);
  const client = await ArgoCdClient.connect(ctx, props);
  const { application } = props;

  const current = await client.getApplication(application);
  const history = [...(current.status?.history ?? [])].sort((a, b) => historyId(a) - historyId(b));
  let target: ArgoHistoryEntry | undefined;
  if (props.previous) {
    if (history.length < 2) {
      throw new PluginError(
        'NOT_FOUND',
        `application '${application}' on ${client.server} has ${history.length} history entr${history.length === 1 ? 'y' : 'ies'}: there is no previous deployment to roll back to`,
        { retryable: false },
      );
    }
    target = history[history.length - 2];
  } else {
    target = history.find((h) => historyId(h) === props.historyId);
    if (!target) {
      const known = history.map((h) => h.id).join(', ') || 'none';
      throw new PluginError('NOT_FOUND', `application '${application}' on ${client.server} has no history id ${props.historyId} (known ids: ${known})`, {
        retryable: false,
      });
    }
  }
  const id = historyId(target);
  ctx.logger.info(`rolling back ${application} to history ${id}${target.revision ? ` (revision ${target.revision})` : ''}${props.dryRun ? ' [dry run]' : ''}`);
  const started = await client.rollback(application, { id, prune: props.prune, dryRun: props.dryRun });
  const rolledBackTo = { id, ...(target.revision ? { revision: target.revision } : {}) };

  if (!props.wait) {
    const phase = started.operation ? 'Running' : (started.status?.operationState?.phase ?? 'Running');
    return { ...operationOutputs(started, phase), rolledBackTo };
  }
  const waitMs = props.waitTimeout ? parseDuration(props.waitTimeout) : undefined;
  const app = await waitForOperation(ctx, client, {
    application,
    label: 'rollback',
    pollMs: parseDuration(props.pollInterval) ?? 2_000,
    budget: waitBudget(ctx, waitMs, props.waitTimeout),
    terminateOnCancel: props.terminateOnCancel,
    started,
  });
  const phase = app.status?.operationState?.phase ?? 'Unknown';
  if (phase !== 'Succeeded') {
    throw new PluginError('REMOTE_ERROR', failureMessage(app, 'rollback', application, client.server), {
      retryable: false,
      details: { application, phase, historyId: id },
    });
  }
  ctx.logger.info(`rollback of ${application} to history ${id}: Succeeded`);
  return { ...operationOutputs(app, phase), rolledBackTo };
});
