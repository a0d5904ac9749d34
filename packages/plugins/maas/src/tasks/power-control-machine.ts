import { PluginError, defineRuntime, formatDuration, parseDuration, remainingMs, waitBudget, type TaskContext } from '@baton/plugin-sdk';
import { MaasClient } from '../client';
import { powerControlMachineDefinition } from '../definitions/power-control-machine';
import { readProps } from '../props';

async function queryPower(client: MaasClient, systemId: string): Promise<string> {
  const answer = await client.request<{ state: string }>('GET', `/machines/${encodeURIComponent(systemId)}/`, { op: 'query_power_state' });
  return answer.state;
}

async function waitForPower(ctx: TaskContext<unknown>, client: MaasClient, systemId: string, expected: string, pollMs: number): Promise<string> {
  const budget = waitBudget(ctx, undefined);
  const startedAt = Date.now();
  for (;;) {
    const state = await queryPower(client, systemId);
    ctx.heartbeat({ op: 'power', systemId, status: state, elapsedMs: Date.now() - startedAt });
    if (state === expected) return state;
    if (state === 'error') throw new PluginError('REMOTE_ERROR', `the BMC of machine ${systemId} reports a power error while waiting for ${expected}`, { retryable: false });
    const left = remainingMs(budget);
    if (left <= 0) {
      throw new PluginError('TIMEOUT', `machine ${systemId} did not power ${expected} within ${formatDuration(budget.limitMs ?? 0)} (${budget.reason}); last state ${state}`, {
        retryable: false,
      });
    }
    await ctx.sleep(Math.min(pollMs, left));
  }
}

export const powerControlMachineRuntime = defineRuntime(powerControlMachineDefinition, async (ctx) => {
  const props = readProps(powerControlMachineDefinition.props, ctx.props, powerControlMachineDefinition.id);
  const client = new MaasClient(ctx, props);
  const { systemId, action } = props;
  const pollMs = parseDuration(props.pollInterval) ?? 2_000;
  if (action === 'QUERY') {
    const powerState = await queryPower(client, systemId);
    ctx.logger.info(`machine ${systemId} is powered ${powerState}`);
    return { systemId, action, powerState };
  }
  if (action === 'OFF' || action === 'CYCLE') {
    await client.machineOp(systemId, 'power_off', { stop_mode: props.stopMode, comment: props.comment });
    ctx.logger.info(`asked MAAS to power off ${systemId} (${props.stopMode})`);
    if (action === 'CYCLE' || props.waitForPowerState) await waitForPower(ctx, client, systemId, action === 'OFF' ? (props.expectedState ?? 'off') : 'off', pollMs);
  }
  if (action === 'ON' || action === 'CYCLE') {
    await client.machineOp(systemId, 'power_on', { comment: props.comment });
    ctx.logger.info(`asked MAAS to power on ${systemId}`);
  }
  const expected = props.expectedState ?? (action === 'OFF' ? 'off' : 'on');
  const powerState = props.waitForPowerState ? await waitForPower(ctx, client, systemId, expected, pollMs) : await queryPower(client, systemId);
  ctx.logger.info(`machine ${systemId} is powered ${powerState}`);
  return { systemId, action, powerState };
});
