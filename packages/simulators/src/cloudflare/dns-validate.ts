import { isIPv4, isIPv6 } from 'node:net';
import type { CfMessage } from './envelope.js';
import type { DnsRecord, Zone } from './state.js';

export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CERT',
  'CNAME',
  'DNSKEY',
  'DS',
  'HTTPS',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SMIMEA',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
  'URI',
] as const;
/** Types whose value is given as `content`; the rest take structured `data`. */
const CONTENT_TYPES = new Set(['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'TXT']);
const PROXIABLE = new Set(['A', 'AAAA', 'CNAME']);

export interface RecordInput {
  type?: unknown;
  name?: unknown;
  content?: unknown;
  ttl?: unknown;
  proxied?: unknown;
  priority?: unknown;
  comment?: unknown;
  tags?: unknown;
  data?: unknown;
}

export type Normalised = Omit<DnsRecord, 'id' | 'created_on' | 'modified_on'>;

const HOST = /^(\*\.)?([a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?$/;

/** Relative names get the zone suffix, "@" is the apex, a trailing dot is dropped (as Cloudflare does). */
export function fqdn(name: string, zone: Zone): string {
  let n = name.trim().toLowerCase().replace(/\.$/, '');
  if (n === '@' || n === '') return zone.name;
  if (n !== zone.name && !n.endsWith(`.${zone.name}`)) n = `${n}.${zone.name}`;
  return n;
}

const fail = (code: number, message: string): { error: CfMessage } => ({ error: { code, message } });

/**
 * Checks a record the way the DNS API does and returns what it would store. Codes are Cloudflare's
 * where they are well known (9000 name, 9005/9006 IP content, 9004 proxy, 9021 TTL) and 1004
 * ("DNS Validation Error") otherwise.
 */
export function normaliseRecord(input: RecordInput, zone: Zone): { record: Normalised } | { error: CfMessage } {
  if (typeof input.type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(input.type)) {
    return fail(1004, `DNS Validation Error: type must be one of ${RECORD_TYPES.join(', ')}`);
  }
  const type = input.type;
  if (typeof input.name !== 'string' || input.name.trim() === '') return fail(9000, 'DNS name is invalid.');
  const name = fqdn(input.name, zone);
  if (name.length > 253 || !HOST.test(name)) return fail(9000, 'DNS name is invalid.');

  let content: string;
  let data: Record<string, unknown> | undefined;
  let priority: number | undefined;
  if (CONTENT_TYPES.has(type)) {
    if (typeof input.content !== 'string' || input.content === '') return fail(1004, `DNS Validation Error: content is required for ${type} records`);
    content = input.content.trim();
    if (type === 'A' && !isIPv4(content)) return fail(9005, 'Content for A record must be a valid IPv4 address.');
    if (type === 'AAAA' && !isIPv6(content)) return fail(9006, 'Content for AAAA record must be a valid IPv6 address.');
    if (type === 'CNAME' || type === 'MX' || type === 'NS' || type === 'PTR') {
      content = content.toLowerCase().replace(/\.$/, '');
      if (!HOST.test(content)) return fail(9007, `Content for ${type} record is invalid.`);
      if (type === 'CNAME' && content === name) return fail(9007, 'Content for CNAME record is invalid: a CNAME cannot point to itself.');
    }
    if (type === 'TXT' && content.length > 2048) return fail(1004, 'DNS Validation Error: TXT content must be at most 2048 characters.');
  } else {
    if (!input.data || typeof input.data !== 'object' || Array.isArray(input.data)) {
      return fail(1004, `DNS Validation Error: data is required for ${type} records`);
    }
    data = input.data as Record<string, unknown>;
    content = contentFromData(type, data);
    if (type === 'SRV' && typeof data.priority === 'number') priority = data.priority;
  }
  if (type === 'MX' || type === 'URI' || input.priority !== undefined) {
    if (typeof input.priority !== 'number' || !Number.isInteger(input.priority) || input.priority < 0 || input.priority > 65535) {
      return fail(1004, `DNS Validation Error: priority must be an integer between 0 and 65535${type === 'MX' ? ' for MX records' : ''}`);
    }
    priority = input.priority;
  }

  const proxied = input.proxied ?? false;
  if (typeof proxied !== 'boolean') return fail(1004, 'DNS Validation Error: proxied must be a boolean');
  if (proxied && !PROXIABLE.has(type)) return fail(9004, 'This record type cannot be proxied.');
  const rawTtl = input.ttl ?? 1;
  if (typeof rawTtl !== 'number' || !Number.isInteger(rawTtl) || (rawTtl !== 1 && (rawTtl < 30 || rawTtl > 86400))) {
    return fail(9021, 'Invalid TTL. Must be between 30 and 86400 seconds, or 1 for Automatic.');
  }
  // Proxied records are always "automatic" TTL at Cloudflare.
  const ttl = proxied ? 1 : rawTtl;
  if (input.comment !== undefined && input.comment !== null && typeof input.comment !== 'string') {
    return fail(1004, 'DNS Validation Error: comment must be a string');
  }
  if (typeof input.comment === 'string' && input.comment.length > 100) return fail(1004, 'DNS Validation Error: comment must be at most 100 characters');
  const tags = input.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || !/^[^:]+:.*$/.test(t))) {
    return fail(1004, 'DNS Validation Error: tags must be strings of the form "name:value"');
  }

  return {
    record: {
      zone_id: zone.id,
      zone_name: zone.name,
      name,
      type,
      content,
      proxiable: PROXIABLE.has(type),
      proxied,
      ttl,
      ...(priority !== undefined ? { priority } : {}),
      ...(data ? { data } : {}),
      ...(typeof input.comment === 'string' && input.comment !== '' ? { comment: input.comment } : {}),
      tags: tags as string[],
    },
  };
}

function contentFromData(type: string, d: Record<string, unknown>): string {
  if (type === 'CAA') return `${d.flags ?? 0} ${d.tag ?? ''} "${d.value ?? ''}"`;
  if (type === 'SRV') return `${d.weight ?? 0} ${d.port ?? 0} ${d.target ?? ''}`;
  return Object.values(d).map(String).join(' ');
}

/**
 * Conflicts Cloudflare rejects: an exact duplicate (81058), and a CNAME sharing its name with
 * anything else (81053 for A/AAAA/CNAME, 81054 for other types).
 */
export function conflict(candidate: Normalised, existing: Iterable<DnsRecord>, selfId?: string): CfMessage | undefined {
  for (const r of existing) {
    if (r.id === selfId || r.zone_id !== candidate.zone_id || r.name !== candidate.name) continue;
    if (r.type === candidate.type && r.content.toLowerCase() === candidate.content.toLowerCase()) {
      return { code: 81058, message: 'An identical record already exists.' };
    }
    const addressish = (t: string): boolean => t === 'A' || t === 'AAAA' || t === 'CNAME';
    if (candidate.type === 'CNAME' || r.type === 'CNAME') {
      if (addressish(candidate.type) && addressish(r.type)) {
        return { code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' };
      }
      return { code: 81054, message: 'A CNAME record with that host already exists.' };
    }
  }
  return undefined;
}
