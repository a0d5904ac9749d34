import { defineRuntime } from '@baton/plugin-sdk';
import { NetBoxClient, type NbObject, type Query } from '../client';
import { listDevicesDefinition } from '../definitions/devices';
import { listSitesDefinition } from '../definitions/list-sites';
import { readProps } from '../props';

function shape(objects: NbObject[], fields: string[] | undefined): Record<string, unknown>[] {
  if (!fields?.length) return objects;
  return objects.map((o) => Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, o[f]])));
}

export const listSitesRuntime = defineRuntime(listSitesDefinition, async (ctx) => {
  const props = readProps(listSitesDefinition.props, ctx.props, listSitesDefinition.id);
  const client = new NetBoxClient(ctx, props);
  const { results, count } = await client.list('/api/dcim/sites/', { ...props.query, ...props.filters }, props.limit);
  ctx.logger.info(`${count} site(s) match in ${client.base}; returning ${results.length}`);
  return { results: shape(results, props.fields), size: results.length, total: count };
});

export const listDevicesRuntime = defineRuntime(listDevicesDefinition, async (ctx) => {
  const props = readProps(listDevicesDefinition.props, ctx.props, listDevicesDefinition.id);
  const client = new NetBoxClient(ctx, props);
  const { deviceType, ...rest } = props.filters;
  const query: Query = { ...props.query, ...rest, device_type: deviceType };
  const { results, count } = await client.list('/api/dcim/devices/', query, props.limit);
  ctx.logger.info(`${count} device(s) match in ${client.base}; returning ${results.length}`);
  return { results: shape(results, props.fields), size: results.length, total: count };
});
