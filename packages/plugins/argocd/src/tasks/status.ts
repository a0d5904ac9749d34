import { defineRuntime } from '@baton/plugin-sdk';
import { ArgoCdClient } from '../client';
import { statusDefinition } from '../definitions/status';
import { readProps } from '../props';
import { statusOutputs } from '../summary';

export function refreshMode(refresh: boolean | 'normal' | 'hard'): 'normal' | 'hard' | undefined {
  if (refresh === true) return 'normal';
  return refresh === false ? undefined : refresh;
}

export const statusRuntime = defineRuntime(statusDefinition, async (ctx) => {
  const props = readProps(statusDefinition.props, ctx.props, statusDefinition.id);
  const client = await ArgoCdClient.connect(ctx, props);
  const refresh = refreshMode(props.refresh);
  const app = await client.getApplication(props.application, refresh);
  const outputs = statusOutputs(app);
  ctx.logger.info(
    `${props.application}: sync ${outputs.syncStatus}, health ${outputs.healthStatus}` +
      `${outputs.revision ? ` at ${outputs.revision}` : ''}${refresh ? ` (after ${refresh} refresh)` : ''}`,
  );
  for (const condition of outputs.conditions) ctx.logger.warn(`${props.application}: ${condition.type}: ${condition.message}`);
  return outputs;
});
