import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { NetBoxClient, ref, type NbObject } from '../client';
import { createDeviceDefinition, updateDeviceDefinition } from '../definitions/devices';
import { readProps } from '../props';
import { ensureInterface } from './interfaces';

const tagRefs = (tags: string[] | undefined) => tags?.map((slug) => ({ slug }));

/** The site filter takes slugs; a numeric site is an id. */
const siteQuery = (site: string | number) => (typeof site === 'number' || /^\d+$/.test(String(site)) ? { site_id: Number(site) } : { site: String(site) });

export const createDeviceRuntime = defineRuntime(createDeviceDefinition, async (ctx) => {
  const props = readProps(createDeviceDefinition.props, ctx.props, createDeviceDefinition.id);
  const client = new NetBoxClient(ctx, props);

  // Idempotency: the same name in the same site is this device, created by an earlier run.
  let device = await client.findOne<NbObject>('/api/dcim/devices/', { name: props.name, ...siteQuery(props.site) });
  const created = !device;
  if (device) {
    ctx.logger.info(`device ${props.name} already exists in site ${props.site} (id ${device.id}); not creating it again`);
  } else {
    device = await client.request<NbObject>('POST', '/api/dcim/devices/', {
      body: {
        name: props.name,
        site: ref(props.site),
        role: ref(props.role ?? props.deviceRole),
        device_type: ref(props.deviceType),
        status: props.status ?? 'active',
        platform: ref(props.platform),
        tenant: ref(props.tenant),
        serial: props.serial,
        description: props.description,
        tags: tagRefs(props.tags),
        custom_fields: props.customFields,
      },
    });
    ctx.logger.info(`created device ${props.name} (id ${device.id}) in site ${props.site}`);
  }
  const iface = await ensureInterface(ctx, client, device.id, props.name, props.primaryInterface);
  return { id: device.id, name: props.name, created, primary_interface_id: iface.object.id, device };
});

export const updateDeviceRuntime = defineRuntime(updateDeviceDefinition, async (ctx) => {
  const props = readProps(updateDeviceDefinition.props, ctx.props, updateDeviceDefinition.id);
  const client = new NetBoxClient(ctx, props);
  let id = props.id;
  if (id === undefined) {
    const { results } = await client.list<NbObject>('/api/dcim/devices/', { name: props.name!, ...(props.site !== undefined ? siteQuery(props.site) : {}) }, 2);
    if (!results.length)
      throw new PluginError('NOT_FOUND', `device ${props.name}${props.site ? ` in site ${props.site}` : ''} not found in NetBox at ${client.base}`, { retryable: false });
    if (results.length > 1) throw new PluginError('CONFLICT', `several devices are named ${props.name}; give site or id`, { retryable: false });
    id = results[0].id;
  }
  const patch: Record<string, unknown> = {
    name: props.newName,
    status: props.status,
    role: ref(props.role),
    device_type: ref(props.deviceType),
    platform: ref(props.platform),
    tenant: ref(props.tenant),
    serial: props.serial,
    description: props.description,
    tags: tagRefs(props.tags),
    custom_fields: props.customFields,
    primary_ip4: props.primaryIp4,
  };
  for (const key of Object.keys(patch)) if (patch[key] === undefined) delete patch[key];
  const device = await client.request<NbObject>('PATCH', `/api/dcim/devices/${id}/`, { body: patch });
  ctx.logger.info(`updated device ${String(device.name)} (id ${id}): ${Object.keys(patch).join(', ') || 'nothing to change'}`);
  return { id: device.id, name: (device.name as string | null) ?? null, changed: Object.keys(patch), device };
});
