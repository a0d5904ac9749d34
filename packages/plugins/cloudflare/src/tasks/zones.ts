import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { CloudflareApi } from '../client';
import { zonesGetDefinition, zonesListDefinition } from '../definitions/zones';
import { readProps } from '../props';

type ApiZone = {
  id: string;
  name: string;
  status?: string;
  paused?: boolean;
  type?: string;
  name_servers?: string[];
  account?: { id?: string; name?: string };
  plan?: { name?: string };
};

export function toZoneOutput(z: ApiZone) {
  return {
    id: z.id,
    name: z.name,
    status: z.status ?? 'unknown',
    ...(typeof z.paused === 'boolean' ? { paused: z.paused } : {}),
    ...(z.type ? { type: z.type } : {}),
    nameServers: z.name_servers ?? [],
    ...(z.account?.id ? { accountId: z.account.id } : {}),
    ...(z.account?.name ? { accountName: z.account.name } : {}),
    ...(z.plan?.name ? { plan: z.plan.name } : {}),
  };
}

function listZones(api: CloudflareApi, query: { name?: string; status?: string; accountId?: string }, max: number) {
  return api.listPages<ApiZone>(
    'GET /zones',
    (page, perPage, o) =>
      api.sdk.zones.list(
        {
          page,
          per_page: perPage,
          ...(query.name ? { name: query.name } : {}),
          ...(query.status ? { status: query.status as 'active' } : {}),
          ...(query.accountId ? { account: { id: query.accountId } } : {}),
        },
        o,
      ) as unknown as PromiseLike<{ result: ApiZone[] }>,
    max,
    50,
  );
}

export const zonesListRuntime = defineRuntime(zonesListDefinition, async (ctx) => {
  const props = readProps(zonesListDefinition.props, ctx.props, zonesListDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const { items, truncated } = await listZones(api, props, props.maxResults);
  ctx.logger.info(`found ${items.length} zone(s)${truncated ? ` (stopped at maxResults ${props.maxResults})` : ''}`);
  const zones = items.map(toZoneOutput);
  return { zones, count: zones.length };
});

export const zonesGetRuntime = defineRuntime(zonesGetDefinition, async (ctx) => {
  const props = readProps(zonesGetDefinition.props, ctx.props, zonesGetDefinition.id);
  const api = new CloudflareApi(ctx, props);
  let zone: ApiZone;
  if (props.zoneId) {
    const zoneId = props.zoneId;
    zone = (await api.call(`GET /zones/${zoneId}`, (o) => api.sdk.zones.get({ zone_id: zoneId }, o), `zone '${zoneId}'`)) as ApiZone;
  } else {
    const name = props.name!.trim().replace(/\.$/, '').toLowerCase();
    const { items } = await listZones(api, { name }, 50);
    const match = items.find((z) => z.name.toLowerCase() === name);
    if (!match) {
      throw new PluginError('NOT_FOUND', `zone '${name}' not found in the zones these credentials can see (GET /zones?name=${name})`, {
        retryable: false,
      });
    }
    zone = match;
  }
  const out = toZoneOutput(zone);
  ctx.logger.info(`zone ${out.name} (${out.id}) is ${out.status}`);
  return { zone: out, id: out.id, name: out.name };
});
