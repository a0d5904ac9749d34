import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import type { RecordCreateParams, RecordEditParams } from 'cloudflare/resources/dns/records';
import { CloudflareApi } from '../client';
import { recordsCreateDefinition, recordsDeleteDefinition, recordsGetDefinition, recordsListDefinition, recordsUpdateDefinition } from '../definitions/dns-records';
import { isMissingItem } from '../errors';
import { readProps } from '../props';
import { findRecords, recordBody, resolveRecord, toFqdn, toRecordOutput, zoneName, type ApiRecord } from '../records';

export const recordsCreateRuntime = defineRuntime(recordsCreateDefinition, async (ctx) => {
  const props = readProps(recordsCreateDefinition.props, ctx.props, recordsCreateDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const zone = await zoneName(api, props.zoneId);
  const fqdn = toFqdn(props.name, zone);
  const where = `POST /zones/${props.zoneId}/dns_records`;
  const params = { zone_id: props.zoneId, type: props.recordType, name: fqdn, ...recordBody(props) } as unknown as RecordCreateParams;
  const created = (await api.call(where, (o) => api.sdk.dns.records.create(params, o), `zone '${props.zoneId}'`)) as unknown as ApiRecord;
  ctx.logger.info(`created ${created.type} ${created.name} → ${created.content ?? '(data)'} (${created.id})`);
  return { record: toRecordOutput(created), recordId: created.id };
});

export const recordsGetRuntime = defineRuntime(recordsGetDefinition, async (ctx) => {
  const props = readProps(recordsGetDefinition.props, ctx.props, recordsGetDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const record = await resolveRecord(api, props.zoneId, props);
  ctx.logger.info(`${record.type} ${record.name} → ${record.content ?? '(data)'} (${record.id})`);
  return { record: toRecordOutput(record), recordId: record.id };
});

export const recordsUpdateRuntime = defineRuntime(recordsUpdateDefinition, async (ctx) => {
  const props = readProps(recordsUpdateDefinition.props, ctx.props, recordsUpdateDefinition.id);
  const api = new CloudflareApi(ctx, props);
  let previous: ApiRecord;
  let zone: string | undefined;
  if (props.recordId) {
    previous = await resolveRecord(api, props.zoneId, { recordId: props.recordId });
  } else {
    zone = await zoneName(api, props.zoneId);
    const fqdn = toFqdn(props.name!, zone);
    const found = await findRecords(api, props.zoneId, fqdn, props.recordType!);
    if (found.length === 0) {
      throw new PluginError('NOT_FOUND', `no ${props.recordType} record named ${fqdn} in zone ${zone} (${props.zoneId})`, { retryable: false });
    }
    if (found.length > 1) {
      throw new PluginError(
        'CONFLICT',
        `${found.length} ${props.recordType} records are named ${fqdn} in zone ${zone}; give recordId to say which one to update (ids: ${found.map((r) => r.id).join(', ')})`,
        { retryable: false },
      );
    }
    previous = found[0];
  }
  const body: Record<string, unknown> = { type: previous.type, name: previous.name, ...recordBody(props) };
  if (props.newName) body.name = toFqdn(props.newName, zone ?? (await zoneName(api, props.zoneId)));
  const where = `PATCH /zones/${props.zoneId}/dns_records/${previous.id}`;
  const params = { zone_id: props.zoneId, ...body } as unknown as RecordEditParams;
  const updated = (await api.call(where, (o) => api.sdk.dns.records.edit(previous.id, params, o), `DNS record '${previous.id}'`)) as unknown as ApiRecord;
  ctx.logger.info(`updated ${updated.type} ${updated.name} → ${updated.content ?? '(data)'} (${updated.id})`);
  return { record: toRecordOutput(updated), recordId: updated.id, previous: toRecordOutput(previous) };
});

export const recordsDeleteRuntime = defineRuntime(recordsDeleteDefinition, async (ctx) => {
  const props = readProps(recordsDeleteDefinition.props, ctx.props, recordsDeleteDefinition.id);
  const api = new CloudflareApi(ctx, props);
  let targets: ApiRecord[];
  if (props.recordId) {
    try {
      targets = [await resolveRecord(api, props.zoneId, { recordId: props.recordId })];
    } catch (error) {
      if (props.ignoreMissing && isMissingItem(error)) {
        targets = [];
      } else throw error;
    }
  } else {
    const zone = await zoneName(api, props.zoneId);
    targets = await findRecords(api, props.zoneId, toFqdn(props.name!, zone), props.recordType!, props.content);
  }
  if (!targets.length) {
    const what = props.recordId ? `record ${props.recordId}` : `${props.recordType} ${props.name}${props.content ? ` (${props.content})` : ''}`;
    if (!props.ignoreMissing) throw new PluginError('NOT_FOUND', `no DNS ${what} in zone ${props.zoneId} to delete`, { retryable: false });
    ctx.logger.info(`nothing to delete: no DNS ${what} in zone ${props.zoneId}`);
    return { deleted: 0, recordIds: [], records: [] };
  }
  const deleted: ApiRecord[] = [];
  for (const record of targets) {
    try {
      await api.call(`DELETE /zones/${props.zoneId}/dns_records/${record.id}`, (o) => api.sdk.dns.records.delete(record.id, { zone_id: props.zoneId }, o));
      deleted.push(record);
      ctx.logger.info(`deleted ${record.type} ${record.name} → ${record.content ?? '(data)'} (${record.id})`);
    } catch (error) {
      // Gone between the lookup and the delete (a concurrent run): that is what we wanted.
      if (!(props.ignoreMissing && isMissingItem(error))) throw error;
    }
  }
  return { deleted: deleted.length, recordIds: deleted.map((r) => r.id), records: deleted.map(toRecordOutput) };
});

export const recordsListRuntime = defineRuntime(recordsListDefinition, async (ctx) => {
  const props = readProps(recordsListDefinition.props, ctx.props, recordsListDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const fqdn = props.name ? toFqdn(props.name, await zoneName(api, props.zoneId)) : undefined;
  const query: Record<string, unknown> = {
    ...(fqdn ? { name: fqdn } : {}),
    ...(props.recordType ? { type: props.recordType } : {}),
    ...(props.content ? { content: props.content } : {}),
    ...(props.proxied !== undefined ? { proxied: props.proxied } : {}),
    ...(props.search ? { search: props.search } : {}),
  };
  const { items, truncated } = await api.listPages<ApiRecord>(
    `GET /zones/${props.zoneId}/dns_records`,
    (page, perPage, o) =>
      api.sdk.dns.records.list(
        { zone_id: props.zoneId, ...query, page, per_page: perPage } as unknown as Parameters<typeof api.sdk.dns.records.list>[0],
        o,
      ) as unknown as PromiseLike<{ result: ApiRecord[] }>,
    props.maxResults,
    100,
    `zone '${props.zoneId}'`,
  );
  ctx.logger.info(`found ${items.length} DNS record(s) in zone ${props.zoneId}${truncated ? ` (stopped at maxResults ${props.maxResults})` : ''}`);
  const records = items.map(toRecordOutput);
  return { records, count: records.length };
});
