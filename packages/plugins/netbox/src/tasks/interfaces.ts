import { PluginError, defineRuntime, type TaskContext } from '@baton/plugin-sdk';
import { NetBoxClient, type NbObject } from '../client';
import { createInterfaceDefinition } from '../definitions/interfaces';
import { readProps } from '../props';

export interface InterfaceSpec {
  name: string;
  type: string;
  mgmtOnly?: boolean;
  enabled?: boolean;
  description?: string;
  tags?: string[];
}

/** Finds the interface of that name on the device, or creates it. */
export async function ensureInterface(
  ctx: TaskContext<unknown>,
  client: NetBoxClient,
  deviceId: number,
  deviceName: string,
  spec: InterfaceSpec,
): Promise<{ object: NbObject; created: boolean }> {
  const existing = await client.findOne<NbObject>('/api/dcim/interfaces/', { device_id: deviceId, name: spec.name });
  if (existing) {
    ctx.logger.info(`interface ${spec.name} of ${deviceName} exists (id ${existing.id})`);
    return { object: existing, created: false };
  }
  const object = await client.request<NbObject>('POST', '/api/dcim/interfaces/', {
    body: {
      device: deviceId,
      name: spec.name,
      type: spec.type,
      mgmt_only: spec.mgmtOnly ?? false,
      enabled: spec.enabled ?? true,
      description: spec.description,
      tags: spec.tags?.map((slug) => ({ slug })),
    },
  });
  ctx.logger.info(`created interface ${spec.name} of ${deviceName} (id ${object.id})`);
  return { object, created: true };
}

export const createInterfaceRuntime = defineRuntime(createInterfaceDefinition, async (ctx) => {
  const props = readProps(createInterfaceDefinition.props, ctx.props, createInterfaceDefinition.id);
  const client = new NetBoxClient(ctx, props);
  let deviceId = props.deviceId;
  let deviceName = String(props.deviceId);
  if (deviceId === undefined) {
    const { results } = await client.list<NbObject>('/api/dcim/devices/', { name: props.device! }, 2);
    if (!results.length) throw new PluginError('NOT_FOUND', `device ${props.device} not found in NetBox at ${client.base}`, { retryable: false });
    if (results.length > 1) throw new PluginError('CONFLICT', `several devices are named ${props.device}; give deviceId`, { retryable: false });
    deviceId = results[0].id;
    deviceName = props.device!;
  }
  const { object, created } = await ensureInterface(ctx, client, deviceId, deviceName, { ...props, type: props.interfaceType });
  return { id: object.id, created, interface: object };
});
