import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { MaasClient, type Form } from '../client';
import { enlistMachineDefinition } from '../definitions/enlist-machine';
import { readProps } from '../props';
import type { MaasMachine } from '../types';

export const enlistMachineRuntime = defineRuntime(enlistMachineDefinition, async (ctx) => {
  const props = readProps(enlistMachineDefinition.props, ctx.props, enlistMachineDefinition.id);
  const client = new MaasClient(ctx, props);
  const macs = [...new Set([props.macAddress, ...(props.macAddresses ?? [])].filter((m): m is string => Boolean(m)).map((m) => m.toLowerCase().replace(/-/g, ':')))];

  // Idempotency: the same MAC under the same host name is this machine, enlisted by an earlier run.
  const existing = await client.request<MaasMachine[]>('GET', '/machines/', { query: { mac_address: macs } });
  if (existing.length) {
    const machine = existing[0];
    if (props.hostname && machine.hostname !== props.hostname) {
      throw new PluginError(
        'CONFLICT',
        `MAC address ${macs.join(', ')} is already enlisted as ${machine.hostname} (${machine.system_id}), not ${props.hostname}; delete that machine in MAAS or use its host name`,
        {
          retryable: false,
          details: { systemId: machine.system_id },
        },
      );
    }
    ctx.logger.info(`machine ${machine.hostname} (${machine.system_id}) with ${macs.join(', ')} is already enlisted (${machine.status_name}); not enlisting again`);
    return { systemId: machine.system_id, hostname: machine.hostname, status: machine.status_name, created: false, machine };
  }

  const form: Form = {
    architecture: props.architecture,
    mac_addresses: macs,
    hostname: props.hostname,
    domain: props.domain,
    pool: props.resourcePool,
    zone: props.zone,
    description: props.description,
    power_type: props.powerType,
    commission: props.commission,
  };
  for (const [name, value] of Object.entries(props.powerParameters ?? {})) form[`power_parameters_${name}`] = String(value);
  const machine = await client.request<MaasMachine>('POST', '/machines/', { form });
  ctx.logger.info(`enlisted ${machine.hostname} (${machine.system_id}) with ${macs.join(', ')} in ${client.base}: ${machine.status_name}`);
  return { systemId: machine.system_id, hostname: machine.hostname, status: machine.status_name, created: true, machine };
});
