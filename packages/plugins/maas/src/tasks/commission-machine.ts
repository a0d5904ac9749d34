import { PluginError, defineRuntime, parseDuration } from '@baton/plugin-sdk';
import { MaasClient } from '../client';
import { commissionMachineDefinition } from '../definitions/commission-machine';
import { readProps } from '../props';
import { machineState } from '../summary';
import { resumedStart, waitForStatus } from '../wait';

const ALREADY_COMMISSIONED = ['Allocated', 'Deploying', 'Deployed'];
const COMMISSIONABLE = ['New', 'Ready', 'Failed commissioning', 'Broken', 'Failed testing'];

export const commissionMachineRuntime = defineRuntime(commissionMachineDefinition, async (ctx) => {
  const props = readProps(commissionMachineDefinition.props, ctx.props, commissionMachineDefinition.id);
  const client = new MaasClient(ctx, props);
  const { systemId } = props;
  const wait = (startedAt: number, commissioned: boolean) =>
    waitForStatus(ctx, client, {
      op: 'commission',
      label: 'commissioning',
      systemId,
      startedAt,
      success: ['Ready'],
      failure: ['Failed commissioning', 'Broken', 'Failed testing', 'New'],
      pollMs: parseDuration(props.pollInterval) ?? 5_000,
    }).then((m) => ({ ...machineState(m, startedAt), commissioned }));

  const resumed = resumedStart(ctx, 'commission', systemId);
  if (resumed !== undefined) {
    ctx.logger.info(`resuming the wait for commissioning of ${systemId} started by the previous attempt (not commissioning again)`);
    return wait(resumed, true);
  }

  const machine = await client.getMachine(systemId);
  if (ALREADY_COMMISSIONED.includes(machine.status_name)) {
    ctx.logger.info(`${machine.hostname} (${systemId}) is ${machine.status_name}: it was commissioned already; not commissioning again`);
    return { ...machineState(machine, Date.now()), commissioned: false };
  }
  if (machine.status_name === 'Commissioning') {
    ctx.logger.info(`${machine.hostname} (${systemId}) is already Commissioning; waiting for it`);
    return props.waitForCompletion ? wait(Date.now(), false) : { ...machineState(machine, Date.now()), commissioned: false };
  }
  if (!COMMISSIONABLE.includes(machine.status_name)) {
    throw new PluginError(
      'CONFLICT',
      `machine ${machine.hostname} (${systemId}) is ${machine.status_name}; MAAS commissions only New, Ready, Failed commissioning, Broken or Failed testing machines`,
      { retryable: false },
    );
  }

  const startedAt = Date.now();
  const started = await client.machineOp(systemId, 'commission', {
    enable_ssh: props.enableSsh === undefined ? undefined : Number(props.enableSsh),
    skip_bmc_config: props.skipBmcConfig === undefined ? undefined : Number(props.skipBmcConfig),
    skip_networking: props.skipNetworking === undefined ? undefined : Number(props.skipNetworking),
    skip_storage: props.skipStorage === undefined ? undefined : Number(props.skipStorage),
    commissioning_scripts: props.commissioningScripts?.join(','),
    testing_scripts: props.testingScripts?.join(','),
  });
  ctx.heartbeat({ op: 'commission', systemId, startedAt, status: started.status_name, elapsedMs: 0 });
  ctx.logger.info(`commissioning ${started.hostname} (${systemId}) started: ${started.status_name}`);
  if (!props.waitForCompletion) return { ...machineState(started, startedAt), commissioned: true };
  return wait(startedAt, true);
});
