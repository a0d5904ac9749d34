import { PluginError, defineRuntime, parseDuration } from '@baton/plugin-sdk';
import { waitBudget } from '@baton/plugin-sdk';
import { ArgoCdClient } from '../client';
import { syncDefinition } from '../definitions/sync';
import { readProps } from '../props';
import { operationOutputs } from '../summary';
import { failureMessage, waitForOperation } from '../wait';

export const syncRuntime = defineRuntime(syncDefinition, async (ctx) => {
  const props = readProps(syncDefinition.props, ctx.props, syncDefinition.id);
  const client = await ArgoCdClient.connect(ctx, props);
  const { application } = props;

  const body: Record<string, unknown> = { prune: props.prune, dryRun: props.dryRun };
  if (props.revision) body.revision = props.revision;
  if (props.force) body.strategy = { apply: { force: true } };
  if (props.resources?.length) body.resources = props.resources;

  const flags = [props.prune && 'prune', props.dryRun && 'dry run', props.force && 'force'].filter(Boolean).join(', ');
  const scope = props.resources?.length ? ` (${props.resources.length} resources)` : '';
  ctx.logger.info(`starting sync of ${application} on ${client.server}${props.revision ? ` to ${props.revision}` : ''}${scope}${flags ? ` [${flags}]` : ''}`);
  const started = await client.sync(application, body);

  if (!props.wait) {
    ctx.logger.info(`sync of ${application} requested; not waiting (wait: false)`);
    const phase = started.operation ? 'Running' : (started.status?.operationState?.phase ?? 'Running');
    return operationOutputs(started, phase);
  }

  const waitMs = props.waitTimeout ? parseDuration(props.waitTimeout) : undefined;
  const app = await waitForOperation(ctx, client, {
    application,
    label: 'sync',
    pollMs: parseDuration(props.pollInterval) ?? 2_000,
    budget: waitBudget(ctx, waitMs, props.waitTimeout),
    terminateOnCancel: props.terminateOnCancel,
    started,
  });
  const phase = app.status?.operationState?.phase ?? 'Unknown';
  if (phase !== 'Succeeded') {
    throw new PluginError('REMOTE_ERROR', failureMessage(app, 'sync', application, client.server), {
      retryable: false,
      details: { application, phase, message: app.status?.operationState?.message },
    });
  }
  const outputs = operationOutputs(app, phase);
  ctx.logger.info(`sync of ${application}: Succeeded at ${outputs.revision ?? 'unknown revision'} (sync ${outputs.syncStatus}, health ${outputs.healthStatus})`);
  return outputs;
});
