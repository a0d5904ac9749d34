import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { conflict, normaliseRecord, type RecordInput } from './dns-validate.js';
import { cfFail, cfId, cfOk, isPageError, paginate, readPage, type CfMessage } from './envelope.js';
import type { CfStore, DnsRecord, Zone } from './state.js';
import { API, isZone, zoneOf } from './zones.js';

const notFound = (): SimResponse => cfFail(404, { code: 81044, message: 'Record does not exist.' });

function isObject(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

/** Text filters: `name=` / `name.exact=` exact, plus contains / startswith / endswith. */
function textFilter(req: SimRequest, field: string): Array<(v: string | undefined) => boolean> {
  const tests: Array<(v: string | undefined) => boolean> = [];
  const q = (suffix: string): string | null => req.query.get(`${field}${suffix}`);
  const exact = q('') ?? q('.exact');
  if (exact !== null) tests.push((v) => (v ?? '').toLowerCase() === exact.toLowerCase());
  const contains = q('.contains');
  if (contains !== null) tests.push((v) => (v ?? '').toLowerCase().includes(contains.toLowerCase()));
  const starts = q('.startswith');
  if (starts !== null) tests.push((v) => (v ?? '').toLowerCase().startsWith(starts.toLowerCase()));
  const ends = q('.endswith');
  if (ends !== null) tests.push((v) => (v ?? '').toLowerCase().endsWith(ends.toLowerCase()));
  if (q('.present') !== null) tests.push((v) => v !== undefined && v !== '');
  if (q('.absent') !== null) tests.push((v) => v === undefined || v === '');
  return tests;
}

export function addDnsRoutes(router: Router, store: CfStore): void {
  const base = `${API}/zones/:zone_id/dns_records`;

  /** Create/replace in one place so POST, PUT, PATCH and batch agree on validation. */
  const write = (zone: Zone, input: RecordInput, existing?: DnsRecord): { record: DnsRecord } | { error: CfMessage } => {
    const checked = normaliseRecord(input, zone);
    if ('error' in checked) return checked;
    const clash = conflict(checked.record, store.records.values(), existing?.id);
    if (clash) return { error: clash };
    const now = store.nowIso();
    const record: DnsRecord = { ...checked.record, id: existing?.id ?? cfId(), created_on: existing?.created_on ?? now, modified_on: now };
    store.records.set(record.id, record);
    return { record };
  };

  const recordIn = (zone: Zone, id: string): DnsRecord | undefined => {
    const r = store.records.get(id);
    return r && r.zone_id === zone.id ? r : undefined;
  };

  /** PATCH semantics: only the given fields change. */
  const merged = (r: DnsRecord, patch: Record<string, unknown>): RecordInput => ({
    type: r.type,
    name: r.name,
    content: r.content,
    ttl: r.ttl,
    proxied: r.proxied,
    priority: r.priority,
    comment: r.comment,
    tags: r.tags,
    data: r.data,
    ...patch,
  });

  router.add('GET', base, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    const page = readPage(req, { perPage: 100, min: 5, max: 5_000_000 });
    if (isPageError(page)) return page;
    const tests: Array<(r: DnsRecord) => boolean> = [];
    const type = req.query.get('type');
    if (type) tests.push((r) => r.type === type);
    for (const t of textFilter(req, 'name')) tests.push((r) => t(r.name));
    for (const t of textFilter(req, 'content')) tests.push((r) => t(r.content));
    for (const t of textFilter(req, 'comment')) tests.push((r) => t(r.comment));
    const proxied = req.query.get('proxied');
    if (proxied !== null) tests.push((r) => String(r.proxied) === proxied);
    const tag = req.query.get('tag') ?? req.query.get('tag.exact');
    if (tag !== null) tests.push((r) => r.tags.includes(tag));
    const search = req.query.get('search');
    if (search) tests.push((r) => `${r.name} ${r.content} ${r.comment ?? ''}`.toLowerCase().includes(search.toLowerCase()));
    const any = req.query.get('match') === 'any';
    const order = (req.query.get('order') ?? 'type') as keyof DnsRecord;
    let records = [...store.records.values()]
      .filter((r) => r.zone_id === zone.id)
      .filter((r) => tests.length === 0 || (any ? tests.some((t) => t(r)) : tests.every((t) => t(r))))
      .sort((a, b) => String(a[order] ?? '').localeCompare(String(b[order] ?? '')) || a.name.localeCompare(b.name));
    if (req.query.get('direction') === 'desc') records = records.reverse();
    const { items, info } = paginate(records, page);
    return cfOk(items, info);
  });

  router.add('POST', base, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    if (!isObject(req.body)) return cfFail(400, { code: 9207, message: 'Request body is invalid.' });
    const result = write(zone, req.body);
    return 'error' in result ? cfFail(400, result.error) : cfOk(result.record);
  });

  router.add('GET', `${base}/:id`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    const r = recordIn(zone, req.params.id);
    return r ? cfOk(r) : notFound();
  });

  router.add('PUT', `${base}/:id`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    const r = recordIn(zone, req.params.id);
    if (!r) return notFound();
    if (!isObject(req.body)) return cfFail(400, { code: 9207, message: 'Request body is invalid.' });
    const result = write(zone, req.body, r);
    return 'error' in result ? cfFail(400, result.error) : cfOk(result.record);
  });

  router.add('PATCH', `${base}/:id`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    const r = recordIn(zone, req.params.id);
    if (!r) return notFound();
    if (!isObject(req.body)) return cfFail(400, { code: 9207, message: 'Request body is invalid.' });
    const result = write(zone, merged(r, req.body), r);
    return 'error' in result ? cfFail(400, result.error) : cfOk(result.record);
  });

  router.add('DELETE', `${base}/:id`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    const r = recordIn(zone, req.params.id);
    if (!r) return notFound();
    store.records.delete(r.id);
    return cfOk({ id: r.id });
  });

  /**
   * Newer than the spec snapshot. Cloudflare runs deletes, patches, puts, then posts, all or
   * nothing: on the first error the zone is left exactly as it was.
   */
  router.add('POST', `${base}/batch`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    if (!isObject(req.body)) return cfFail(400, { code: 9207, message: 'Request body is invalid.' });
    const body = req.body as Record<string, unknown>;
    for (const key of ['deletes', 'patches', 'puts', 'posts']) {
      if (body[key] !== undefined && !Array.isArray(body[key])) return cfFail(400, { code: 9207, message: `Request body is invalid: ${key} must be an array.` });
    }
    const snapshot = new Map(store.records);
    const out: Record<'deletes' | 'patches' | 'puts' | 'posts', DnsRecord[]> = { deletes: [], patches: [], puts: [], posts: [] };
    const abort = (error: CfMessage, where: string): SimResponse => {
      store.records = snapshot;
      return cfFail(400, { code: error.code, message: `${where}: ${error.message}` });
    };
    const items = (key: string): Array<Record<string, unknown>> => (body[key] as Array<Record<string, unknown>> | undefined) ?? [];
    for (const [i, d] of items('deletes').entries()) {
      const r = typeof d?.id === 'string' ? recordIn(zone, d.id) : undefined;
      if (!r) return abort({ code: 81044, message: 'Record does not exist.' }, `deletes[${i}]`);
      store.records.delete(r.id);
      out.deletes.push(r);
    }
    for (const [key, isPatch] of [
      ['patches', true],
      ['puts', false],
    ] as const) {
      for (const [i, p] of items(key).entries()) {
        const r = typeof p?.id === 'string' ? recordIn(zone, p.id) : undefined;
        if (!r) return abort({ code: 81044, message: 'Record does not exist.' }, `${key}[${i}]`);
        const { id: _id, ...fields } = p;
        const result = write(zone, isPatch ? merged(r, fields) : fields, r);
        if ('error' in result) return abort(result.error, `${key}[${i}]`);
        out[key].push(result.record);
      }
    }
    for (const [i, p] of items('posts').entries()) {
      if (!isObject(p)) return abort({ code: 9207, message: 'Request body is invalid.' }, `posts[${i}]`);
      const result = write(zone, p);
      if ('error' in result) return abort(result.error, `posts[${i}]`);
      out.posts.push(result.record);
    }
    return cfOk(out);
  });
}
