import { PluginError } from '@baton/plugin-sdk';
import type { CloudflareApi } from './client';

/** A DNS record as the API returns it (the fields the plugin reads). */
export type ApiRecord = {
  id: string;
  name: string;
  type: string;
  content?: string;
  ttl?: number;
  proxied?: boolean;
  comment?: string | null;
  tags?: string[];
  priority?: number;
  data?: Record<string, unknown>;
  created_on?: string;
  modified_on?: string;
};

export type RecordOutput = {
  id: string;
  name: string;
  type: string;
  content?: string;
  ttl: number;
  proxied?: boolean;
  comment?: string;
  tags: string[];
  priority?: number;
  data?: Record<string, unknown>;
  createdOn?: string;
  modifiedOn?: string;
};

export function toRecordOutput(r: ApiRecord): RecordOutput {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    ...(r.content !== undefined && r.content !== null ? { content: r.content } : {}),
    ttl: r.ttl ?? 1,
    ...(typeof r.proxied === 'boolean' ? { proxied: r.proxied } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
    tags: r.tags ?? [],
    ...(typeof r.priority === 'number' ? { priority: r.priority } : {}),
    ...(r.data && typeof r.data === 'object' ? { data: r.data } : {}),
    ...(r.created_on ? { createdOn: r.created_on } : {}),
    ...(r.modified_on ? { modifiedOn: r.modified_on } : {}),
  };
}

/** `app`, `@`, `app.example.com` or `app.example.com.` in zone example.com → `app.example.com`. */
export function toFqdn(name: string, zoneName: string): string {
  const n = name.trim().replace(/\.$/, '').toLowerCase();
  const zone = zoneName.trim().replace(/\.$/, '').toLowerCase();
  if (n === '@' || n === '') return zone;
  if (n === zone || n.endsWith(`.${zone}`)) return n;
  return `${n}.${zone}`;
}

export interface RecordFields {
  content?: string;
  ttl?: number;
  proxied?: boolean;
  comment?: string;
  tags?: string[];
  priority?: number;
  data?: Record<string, unknown>;
}

/** The request body fields for the given record properties (undefined ones left out). */
export function recordBody(fields: RecordFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of ['content', 'ttl', 'proxied', 'comment', 'tags', 'priority', 'data'] as const) {
    if (fields[key] !== undefined) body[key] = fields[key];
  }
  return body;
}

/** Zone name for a zone id (needed to qualify relative record names). */
export async function zoneName(api: CloudflareApi, zoneId: string): Promise<string> {
  const zone = await api.call(`GET /zones/${zoneId}`, (o) => api.sdk.zones.get({ zone_id: zoneId }, o), `zone '${zoneId}'`);
  return zone.name;
}

/** Records of a zone with this exact name and type (content narrows further when given). */
export async function findRecords(api: CloudflareApi, zoneId: string, fqdn: string, type: string, content?: string): Promise<ApiRecord[]> {
  const { items } = await api.listPages<ApiRecord>(
    `GET /zones/${zoneId}/dns_records`,
    (page, perPage, o) =>
      api.sdk.dns.records.list(
        // `name=` is the exact-match filter in the published spec; the current SDK types only `name.exact`.
        { zone_id: zoneId, name: fqdn, type, page, per_page: perPage } as unknown as Parameters<typeof api.sdk.dns.records.list>[0],
        o,
      ) as unknown as PromiseLike<{ result: ApiRecord[] }>,
    5_000,
    100,
    `zone '${zoneId}'`,
  );
  return items.filter((r) => r.name.toLowerCase() === fqdn && r.type === type && (content === undefined || sameContent(r.type, r.content, content)));
}

/** Host-name contents compare case-insensitively and without a trailing dot. */
export function sameContent(type: string, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (['CNAME', 'NS', 'PTR', 'MX'].includes(type)) return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
  if (type === 'AAAA') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** One record by id, or the (single) match by name and type. */
export async function resolveRecord(api: CloudflareApi, zoneId: string, lookup: { recordId?: string; name?: string; recordType?: string; content?: string }): Promise<ApiRecord> {
  if (lookup.recordId) {
    const id = lookup.recordId;
    return (await api.call(
      `GET /zones/${zoneId}/dns_records/${id}`,
      (o) => api.sdk.dns.records.get(id, { zone_id: zoneId }, o),
      `DNS record '${id}' in zone '${zoneId}'`,
    )) as unknown as ApiRecord;
  }
  const zone = await zoneName(api, zoneId);
  const fqdn = toFqdn(lookup.name!, zone);
  const found = await findRecords(api, zoneId, fqdn, lookup.recordType!, lookup.content);
  if (!found.length) {
    throw new PluginError('NOT_FOUND', `no ${lookup.recordType} record named ${fqdn}${lookup.content ? ` with content ${lookup.content}` : ''} in zone ${zone} (${zoneId})`, {
      retryable: false,
    });
  }
  return found[0];
}
