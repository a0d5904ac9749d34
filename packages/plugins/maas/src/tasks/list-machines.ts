import { defineRuntime } from '@baton/plugin-sdk';
import { MaasClient } from '../client';
import { listMachinesDefinition } from '../definitions/list-machines';
import { readProps } from '../props';
import { statusFilterName } from '../status';
import type { MaasMachine } from '../types';

const SUMMARY = ['system_id', 'hostname', 'fqdn', 'status_name', 'power_state', 'zone', 'pool', 'tag_names', 'ip_addresses', 'architecture'];

function pick(machine: MaasMachine, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in machine) out[f] = machine[f];
  return out;
}

export const listMachinesRuntime = defineRuntime(listMachinesDefinition, async (ctx) => {
  const props = readProps(listMachinesDefinition.props, ctx.props, listMachinesDefinition.id);
  const client = new MaasClient(ctx, props);
  const f = props.filters;
  const all = await client.request<MaasMachine[]>('GET', '/machines/', {
    query: {
      status: f.status?.map(statusFilterName),
      zone: f.zone,
      pool: f.resourcePool,
      hostname: f.hostname,
      domain: f.domain,
    },
  });
  // MAAS 2.0 cannot filter this call by tag: keep machines carrying every tag asked for.
  const matching = f.tags?.length ? all.filter((m) => f.tags!.every((t) => m.tag_names?.includes(t))) : all;
  const size = props.pageSize ?? Math.max(matching.length, 1);
  const page = matching.slice((props.page - 1) * size, props.page * size);
  const shaped = page.map((m) => (props.fields?.length ? pick(m, props.fields) : props.includeDetails ? m : pick(m, SUMMARY)));
  ctx.logger.info(`${matching.length} machine(s) match on ${client.base}${props.pageSize ? `; page ${props.page} holds ${shaped.length}` : ''}`);
  return { machines: shaped, count: shaped.length, total: matching.length };
});
