import { defineRuntime } from '@baton/plugin-sdk';
import type { RecordBatchParams } from 'cloudflare/resources/dns/records';
import { CloudflareApi } from '../client';
import { recordsBatchDefinition } from '../definitions/dns-batch';
import { readProps } from '../props';
import { recordBody, toFqdn, toRecordOutput, zoneName, type ApiRecord } from '../records';

type BatchResult = { deletes?: ApiRecord[]; patches?: ApiRecord[]; puts?: ApiRecord[]; posts?: ApiRecord[] };

export const recordsBatchRuntime = defineRuntime(recordsBatchDefinition, async (ctx) => {
  const props = readProps(recordsBatchDefinition.props, ctx.props, recordsBatchDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const needsZone = [...props.patches, ...props.puts, ...props.posts].some((r) => r.name);
  const zone = needsZone ? await zoneName(api, props.zoneId) : '';
  const shape = (r: { recordType?: string; name?: string }) => ({
    ...(r.recordType ? { type: r.recordType } : {}),
    ...(r.name ? { name: toFqdn(r.name, zone) } : {}),
  });
  const body = {
    ...(props.deletes.length ? { deletes: props.deletes.map((d) => ({ id: d.id })) } : {}),
    ...(props.patches.length ? { patches: props.patches.map((p) => ({ id: p.id, ...shape(p), ...recordBody(p) })) } : {}),
    ...(props.puts.length ? { puts: props.puts.map((p) => ({ id: p.id, ...shape(p), ttl: 1, ...recordBody(p) })) } : {}),
    ...(props.posts.length ? { posts: props.posts.map((p) => ({ ...shape(p), ttl: 1, ...recordBody(p) })) } : {}),
  };
  const params = { zone_id: props.zoneId, ...body } as unknown as RecordBatchParams;
  const result = (await api.call(`POST /zones/${props.zoneId}/dns_records/batch`, (o) => api.sdk.dns.records.batch(params, o), `zone '${props.zoneId}'`)) as unknown as BatchResult;
  const out = {
    deletes: (result.deletes ?? []).map(toRecordOutput),
    patches: (result.patches ?? []).map(toRecordOutput),
    puts: (result.puts ?? []).map(toRecordOutput),
    posts: (result.posts ?? []).map(toRecordOutput),
  };
  ctx.logger.info(`batch on zone ${props.zoneId}: ${out.deletes.length} deleted, ${out.patches.length} patched, ${out.puts.length} overwritten, ${out.posts.length} created`);
  return out;
});
