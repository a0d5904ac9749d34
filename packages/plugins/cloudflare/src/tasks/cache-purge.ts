import { defineRuntime } from '@baton/plugin-sdk';
import type { CachePurgeParams } from 'cloudflare/resources/cache/cache';
import { CloudflareApi } from '../client';
import { MAX_FILES_PER_PURGE, cachePurgeDefinition } from '../definitions/cache';
import { readProps } from '../props';

type PurgeBy = 'everything' | 'files' | 'tags' | 'hosts' | 'prefixes';

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const cachePurgeRuntime = defineRuntime(cachePurgeDefinition, async (ctx) => {
  const props = readProps(cachePurgeDefinition.props, ctx.props, cachePurgeDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const where = `POST /zones/${props.zoneId}/purge_cache`;

  let by: PurgeBy;
  let bodies: Record<string, unknown>[];
  let count = 0;
  if (props.everything || props.purgeAll) {
    by = 'everything';
    bodies = [{ purge_everything: true }];
  } else if (props.files?.length) {
    by = 'files';
    count = props.files.length;
    bodies = chunks(props.files, MAX_FILES_PER_PURGE).map((files) => ({ files }));
  } else {
    const [key, values] = (['tags', 'hosts', 'prefixes'] as const).map((k) => [k, props[k]] as const).find(([, v]) => v?.length) as readonly [
      'tags' | 'hosts' | 'prefixes',
      string[],
    ];
    by = key;
    count = values.length;
    bodies = chunks(values, MAX_FILES_PER_PURGE).map((part) => ({ [key]: part }));
  }

  const ids: string[] = [];
  for (const [i, body] of bodies.entries()) {
    const params = { zone_id: props.zoneId, ...body } as unknown as CachePurgeParams;
    const result = await api.call(where, (o) => api.sdk.cache.purge(params, o), `zone '${props.zoneId}'`);
    if (result?.id) ids.push(result.id);
    if (bodies.length > 1) ctx.logger.info(`purge ${i + 1}/${bodies.length} of zone ${props.zoneId} accepted`);
  }
  ctx.logger.info(`purged ${by === 'everything' ? 'everything' : `${count} ${by}`} in zone ${props.zoneId}`);
  const id = ids[ids.length - 1] ?? props.zoneId;
  return { id, requestId: id, ids, purged: { by, count } };
});
