import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { NetBoxClient, type NbObject } from '../client';
import { assignIpAddressDefinition } from '../definitions/assign-ip-address';
import { readProps } from '../props';

interface IpObject extends NbObject {
  address: string;
  assigned_object_type: string | null;
  assigned_object_id: number | null;
}

export const assignIpAddressRuntime = defineRuntime(assignIpAddressDefinition, async (ctx) => {
  const props = readProps(assignIpAddressDefinition.props, ctx.props, assignIpAddressDefinition.id);
  const client = new NetBoxClient(ctx, props);
  const target = props.assignedObjectType ? `${props.assignedObjectType} ${props.assignedObjectId}` : 'nothing';
  const fields = {
    status: props.status,
    assigned_object_type: props.assignedObjectType,
    assigned_object_id: props.assignedObjectId,
    dns_name: props.dnsName,
    role: props.role,
    description: props.description,
    tags: props.tags?.map((slug) => ({ slug })),
    custom_fields: props.customFields,
  };
  const sameTarget = (ip: IpObject) => ip.assigned_object_type === (props.assignedObjectType ?? null) && ip.assigned_object_id === (props.assignedObjectId ?? null);

  let ip: IpObject;
  let created = false;
  if (props.address) {
    // NetBox keeps addresses globally unique by default: look the host up whatever its mask.
    const existing = await client.findOne<IpObject>('/api/ipam/ip-addresses/', { address: props.address.split('/')[0] });
    if (existing && sameTarget(existing)) {
      ctx.logger.info(`${existing.address} is already assigned to ${target} (id ${existing.id}); nothing to do`);
      ip = existing;
    } else if (existing && existing.assigned_object_id === null) {
      ip = await client.request<IpObject>('PATCH', `/api/ipam/ip-addresses/${existing.id}/`, { body: fields });
      ctx.logger.info(`assigned the existing address ${ip.address} (id ${ip.id}) to ${target}`);
    } else if (existing) {
      throw new PluginError(
        'CONFLICT',
        `${existing.address} (id ${existing.id}) is already assigned to ${existing.assigned_object_type} ${existing.assigned_object_id}, not ${target}`,
        {
          retryable: false,
          details: { id: existing.id },
        },
      );
    } else {
      ip = await client.request<IpObject>('POST', '/api/ipam/ip-addresses/', { body: { address: props.address, ...fields } });
      created = true;
      ctx.logger.info(`created ${ip.address} (id ${ip.id}) assigned to ${target}`);
    }
  } else {
    let prefixId = props.prefixId;
    let prefixText = String(prefixId);
    if (prefixId === undefined) {
      const prefix = await client.findOne<NbObject>('/api/ipam/prefixes/', { prefix: props.prefix! });
      if (!prefix) throw new PluginError('NOT_FOUND', `prefix ${props.prefix} not found in NetBox at ${client.base}`, { retryable: false });
      prefixId = prefix.id;
      prefixText = props.prefix!;
    } else {
      prefixText = String((await client.request<NbObject>('GET', `/api/ipam/prefixes/${prefixId}/`)).prefix);
    }
    const mine =
      props.assignedObjectId !== undefined
        ? await client.findOne<IpObject>('/api/ipam/ip-addresses/', {
            parent: prefixText,
            assigned_object_type: props.assignedObjectType,
            assigned_object_id: props.assignedObjectId,
          })
        : undefined;
    if (mine) {
      ctx.logger.info(`${target} already has ${mine.address} from ${prefixText} (id ${mine.id}); not taking another address`);
      ip = mine;
    } else {
      // The list form is what the OpenAPI schema documents (NetBox also takes a single object).
      [ip] = await client.request<IpObject[]>('POST', `/api/ipam/prefixes/${prefixId}/available-ips/`, { body: [fields] });
      created = true;
      ctx.logger.info(`took ${ip.address} (id ${ip.id}) from ${prefixText} for ${target}`);
    }
  }

  if (props.setPrimary && props.assignedObjectType === 'dcim.interface') {
    const iface = await client.request<NbObject>('GET', `/api/dcim/interfaces/${props.assignedObjectId}/`);
    const deviceId = (iface.device as NbObject).id;
    await client.request('PATCH', `/api/dcim/devices/${deviceId}/`, { body: { primary_ip4: ip.id } });
    ctx.logger.info(`${ip.address} is now the primary IPv4 of device ${deviceId}`);
  }
  return { id: ip.id, address: ip.address, created, ip };
});
