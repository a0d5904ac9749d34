import { PluginError, defineRuntime, isPluginError, parseDuration } from '@baton/plugin-sdk';
import { MaasClient } from '../client';
import { deployMachineDefinition } from '../definitions/deploy-machine';
import { readProps } from '../props';
import { machineState } from '../summary';
import type { MaasMachine } from '../types';
import { resumedStart, waitForStatus } from '../wait';

function deployOutputs(machine: MaasMachine, startedAt: number, deployed: boolean) {
  return {
    ...machineState(machine, startedAt),
    deployed,
    osystem: machine.osystem || undefined,
    distroSeries: machine.distro_series || undefined,
    ipAddresses: machine.ip_addresses ?? [],
    fqdn: machine.fqdn,
  };
}

/** Adds the machine to each tag, creating manual tags that do not exist yet. */
async function tagMachine(client: MaasClient, systemId: string, tags: string[]): Promise<void> {
  for (const tag of tags) {
    try {
      await client.request('POST', '/tags/', { form: { name: tag, comment: 'added by Baton' } });
    } catch (error) {
      // 400 "already exists" is the normal case for every tag but the first use.
      if (!isPluginError(error) || !/already exists/i.test(error.message)) throw error;
    }
    await client.request('POST', `/tags/${encodeURIComponent(tag)}/`, { op: 'update_nodes', form: { add: systemId } });
  }
}

export const deployMachineRuntime = defineRuntime(deployMachineDefinition, async (ctx) => {
  const props = readProps(deployMachineDefinition.props, ctx.props, deployMachineDefinition.id);
  const client = new MaasClient(ctx, props);
  const { systemId } = props;
  const wait = (startedAt: number, deployed: boolean) =>
    waitForStatus(ctx, client, {
      op: 'deploy',
      label: 'deployment',
      systemId,
      startedAt,
      success: ['Deployed'],
      failure: ['Failed deployment', 'Broken', 'Ready'],
      pollMs: parseDuration(props.pollInterval) ?? 5_000,
    }).then((m) => deployOutputs(m, startedAt, deployed));

  const resumed = resumedStart(ctx, 'deploy', systemId);
  if (resumed !== undefined) {
    ctx.logger.info(`resuming the wait for the deployment of ${systemId} started by the previous attempt (not deploying again)`);
    return wait(resumed, true);
  }

  const machine = await client.getMachine(systemId);
  const sameTarget = machine.osystem === props.osystem && (!props.distroSeries || machine.distro_series === props.distroSeries);
  if (machine.status_name === 'Deployed') {
    if (!sameTarget) {
      throw new PluginError(
        'CONFLICT',
        `machine ${machine.hostname} (${systemId}) is already Deployed with ${machine.osystem}/${machine.distro_series}, not ${props.osystem}/${props.distroSeries ?? 'default'}; release it first`,
        { retryable: false },
      );
    }
    if (props.userTags?.length)
      await tagMachine(
        client,
        systemId,
        props.userTags.filter((t) => !machine.tag_names?.includes(t)),
      );
    ctx.logger.info(`${machine.hostname} (${systemId}) is already Deployed with ${machine.osystem}/${machine.distro_series}; not deploying again`);
    return deployOutputs(await client.getMachine(systemId), Date.now(), false);
  }
  if (machine.status_name === 'Deploying' && sameTarget) {
    ctx.logger.info(`${machine.hostname} (${systemId}) is already Deploying; waiting for it`);
    return props.waitForDeployment ? wait(Date.now(), false) : deployOutputs(machine, Date.now(), false);
  }
  if (machine.status_name !== 'Ready' && machine.status_name !== 'Allocated') {
    throw new PluginError('CONFLICT', `machine ${machine.hostname} (${systemId}) is ${machine.status_name}; only Ready or Allocated machines can be deployed`, {
      retryable: false,
    });
  }

  if (props.userData) ctx.logger.debug(`user data: ${props.userData.length} characters of cloud-init`);
  const startedAt = Date.now();
  const started = await client.machineOp(systemId, 'deploy', {
    osystem: props.osystem,
    distro_series: props.distroSeries,
    hwe_kernel: props.kernel,
    user_data: props.userData === undefined ? undefined : Buffer.from(props.userData, 'utf8').toString('base64'),
    install_kvm: props.installKvm,
    comment: props.comment,
  });
  ctx.heartbeat({ op: 'deploy', systemId, startedAt, status: started.status_name, elapsedMs: 0 });
  ctx.logger.info(`deployment of ${started.hostname} (${systemId}) with ${props.osystem}/${props.distroSeries ?? 'default'} started: ${started.status_name}`);
  if (props.userTags?.length) await tagMachine(client, systemId, props.userTags);
  if (!props.waitForDeployment) return deployOutputs(started, startedAt, true);
  return wait(startedAt, true);
});
