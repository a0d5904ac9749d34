import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import type { RecordCreateParams, RecordEditParams } from 'cloudflare/resources/dns/records';
import { CloudflareApi } from '../client';
import { recordsUpsertDefinition } from '../definitions/dns-upsert';
import { readProps } from '../props';
import { findRecords, recordBody, sameContent, toFqdn, toRecordOutput, zoneName, type ApiRecord, type RecordFields } from '../records';

/** Fields whose desired value (given in the props) differs from the record. */
export function differences(type: string, record: ApiRecord, desired: RecordFields): string[] {
  const changed: string[] = [];
  if (desired.content !== undefined && !sameContent(type, record.content, desired.content)) changed.push('content');
  if (desired.ttl !== undefined && desired.ttl !== (record.ttl ?? 1)) changed.push('ttl');
  if (desired.proxied !== undefined && desired.proxied !== (record.proxied ?? false)) changed.push('proxied');
  if (desired.comment !== undefined && desired.comment !== (record.comment ?? '')) changed.push('comment');
  if (desired.priority !== undefined && desired.priority !== record.priority) changed.push('priority');
  if (desired.tags !== undefined && [...desired.tags].sort().join('\n') !== [...(record.tags ?? [])].sort().join('\n')) changed.push('tags');
  if (desired.data !== undefined && JSON.stringify(desired.data) !== JSON.stringify(record.data ?? {})) changed.push('data');
  return changed;
}

export const recordsUpsertRuntime = defineRuntime(recordsUpsertDefinition, async (ctx) => {
  const props = readProps(recordsUpsertDefinition.props, ctx.props, recordsUpsertDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const zone = await zoneName(api, props.zoneId);
  const fqdn = toFqdn(props.name, zone);
  const type = props.recordType;
  const found = await findRecords(api, props.zoneId, fqdn, type);

  if (found.length === 0) {
    const params = { zone_id: props.zoneId, type, name: fqdn, ttl: 1, ...recordBody(props) } as unknown as RecordCreateParams;
    const created = (await api.call(`POST /zones/${props.zoneId}/dns_records`, (o) => api.sdk.dns.records.create(params, o))) as unknown as ApiRecord;
    ctx.logger.info(`created ${type} ${fqdn} → ${created.content ?? '(data)'} (${created.id})`);
    return { action: 'created' as const, record: toRecordOutput(created), recordId: created.id, changed: [] };
  }

  let current = found[0];
  if (found.length > 1) {
    const same = found.filter((r) => sameContent(type, r.content, props.content));
    if (same.length !== 1) {
      throw new PluginError(
        'CONFLICT',
        `${found.length} ${type} records are named ${fqdn} in zone ${zone} (${found.map((r) => r.content).join(', ')}); ` +
          'Upsert manages one record per name and type: remove the extra ones, or use Update with a recordId',
        { retryable: false, details: { recordIds: found.map((r) => r.id) } },
      );
    }
    current = same[0];
  }

  const changed = differences(type, current, props);
  if (!changed.length) {
    ctx.logger.info(`${type} ${fqdn} → ${current.content ?? '(data)'} is already as requested (${current.id})`);
    return { action: 'unchanged' as const, record: toRecordOutput(current), recordId: current.id, previous: toRecordOutput(current), changed };
  }
  const patch: Record<string, unknown> = { type, name: fqdn };
  const body = recordBody(props);
  for (const key of changed) patch[key] = body[key];
  const params = { zone_id: props.zoneId, ...patch } as unknown as RecordEditParams;
  const updated = (await api.call(`PATCH /zones/${props.zoneId}/dns_records/${current.id}`, (o) => api.sdk.dns.records.edit(current.id, params, o))) as unknown as ApiRecord;
  ctx.logger.info(`updated ${type} ${fqdn}: ${changed.map((k) => `${k} ${JSON.stringify(current[k as keyof ApiRecord] ?? null)} → ${JSON.stringify(body[k])}`).join(', ')}`);
  return { action: 'updated' as const, record: toRecordOutput(updated), recordId: updated.id, previous: toRecordOutput(current), changed };
});
