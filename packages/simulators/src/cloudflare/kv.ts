import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { cfFail, cfId, cfOk, isPageError, paginate, readPage, routeError } from './envelope.js';
import type { CfStore, KvEntry, KvNamespace } from './state.js';
import { API } from './zones.js';

const NS_BASE = `${API}/accounts/:account_id/storage/kv/namespaces`;
const MAX_VALUE_BYTES = 25 * 1024 * 1024;
const MAX_KEY_BYTES = 512;
/** KV refuses expirations closer than 60 s: they would expire before propagating. */
const MIN_TTL_SECONDS = 60;
const BULK_LIMIT = 10_000;

const nsNotFound = (): SimResponse => cfFail(404, { code: 10013, message: 'namespace not found' });
const keyNotFound = (): SimResponse => cfFail(404, { code: 10009, message: "get: 'key not found'" });
const bad = (code: number, message: string): SimResponse => cfFail(400, { code, message });

function keyError(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return 'key name must be a non-empty string';
  if (key === '.' || key === '..') return `key name "${key}" is not allowed`;
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `key name is longer than ${MAX_KEY_BYTES} bytes`;
  return undefined;
}

/** Turns expiration / expiration_ttl (query params or bulk fields) into an absolute epoch second. */
function expirationOf(store: CfStore, expiration: unknown, ttl: unknown): { at?: number } | { error: SimResponse } {
  const now = store.nowSeconds();
  const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
  const exp = num(expiration);
  const t = num(ttl);
  if (t !== undefined) {
    if (!Number.isInteger(t) || t < MIN_TTL_SECONDS) {
      return { error: bad(10019, `Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least ${MIN_TTL_SECONDS}.`) };
    }
    return { at: now + t };
  }
  if (exp !== undefined) {
    if (!Number.isInteger(exp) || exp < now + MIN_TTL_SECONDS) {
      return {
        error: bad(
          10018,
          `Invalid expiration of ${expiration}. Please specify integer greater than the current number of seconds since the UNIX epoch, at least ${MIN_TTL_SECONDS} seconds in the future.`,
        ),
      };
    }
    return { at: exp };
  }
  return {};
}

function parseMetadata(raw: unknown): { metadata?: unknown } | { error: SimResponse } {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') return { metadata: raw };
  try {
    return { metadata: JSON.parse(raw) };
  } catch {
    return { error: bad(10012, 'metadata must be valid JSON') };
  }
}

export function addKvRoutes(router: Router, store: CfStore): void {
  const accountOk = (req: SimRequest): SimResponse | undefined => (req.params.account_id === store.settings.accountId ? undefined : routeError(req.path));
  const nsOf = (req: SimRequest): KvNamespace | SimResponse => {
    const denied = accountOk(req);
    if (denied) return denied;
    const ns = store.kvNamespaces.get(req.params.namespace_id);
    return ns ?? nsNotFound();
  };
  const isNs = (x: KvNamespace | SimResponse): x is KvNamespace => 'title' in x;
  const renderNs = (ns: KvNamespace) => ({ id: ns.id, title: ns.title, supports_url_encoding: true });

  router.add('GET', NS_BASE, (req) => {
    const denied = accountOk(req);
    if (denied) return denied;
    const page = readPage(req, { perPage: 20, min: 5, max: 100 });
    if (isPageError(page)) return page;
    const by = req.query.get('order') === 'title' ? 'title' : 'id';
    let list = [...store.kvNamespaces.values()].sort((a, b) => a[by].localeCompare(b[by]));
    if (req.query.get('direction') === 'desc') list = list.reverse();
    const { items, info } = paginate(list, page);
    return cfOk(items.map(renderNs), info);
  });

  router.add('POST', NS_BASE, (req) => {
    const denied = accountOk(req);
    if (denied) return denied;
    const title = (req.body as { title?: unknown } | undefined)?.title;
    if (typeof title !== 'string' || title.trim() === '') return bad(10019, 'title is required');
    if ([...store.kvNamespaces.values()].some((n) => n.title === title)) {
      return bad(10014, 'a namespace with this account ID and title already exists');
    }
    const ns: KvNamespace = { id: cfId(), title, accountId: store.settings.accountId };
    store.kvNamespaces.set(ns.id, ns);
    return cfOk(renderNs(ns));
  });

  router.add('GET', `${NS_BASE}/:namespace_id`, (req) => {
    const ns = nsOf(req);
    return isNs(ns) ? cfOk(renderNs(ns)) : ns;
  });

  router.add('PUT', `${NS_BASE}/:namespace_id`, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    const title = (req.body as { title?: unknown } | undefined)?.title;
    if (typeof title !== 'string' || title.trim() === '') return bad(10019, 'title is required');
    ns.title = title;
    return cfOk(null);
  });

  router.add('DELETE', `${NS_BASE}/:namespace_id`, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    store.kvNamespaces.delete(ns.id);
    store.kv.delete(ns.id);
    return cfOk(null);
  });

  // Keys are listed in byte order with an opaque cursor, as KV does; an empty cursor means "done".
  router.add('GET', `${NS_BASE}/:namespace_id/keys`, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    const limitRaw = req.query.get('limit');
    const limit = limitRaw === null ? 1000 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 10 || limit > 1000) return bad(10026, 'limit must be an integer between 10 and 1000');
    const prefix = req.query.get('prefix') ?? '';
    const cursor = req.query.get('cursor');
    let after: string | undefined;
    if (cursor) {
      try {
        after = Buffer.from(cursor, 'base64url').toString('utf8');
      } catch {
        return bad(10026, 'invalid cursor');
      }
    }
    const names = [...store.kvEntries(ns.id).keys()]
      .filter((k) => k.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .filter((k) => after === undefined || Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0);
    const page = names.slice(0, limit);
    const entries = store.kvEntries(ns.id);
    const result = page.map((name) => {
      const e = entries.get(name)!;
      return { name, ...(e.expiration !== undefined ? { expiration: e.expiration } : {}), ...(e.metadata !== undefined ? { metadata: e.metadata } : {}) };
    });
    const next = names.length > limit ? Buffer.from(page[page.length - 1]).toString('base64url') : '';
    return cfOk(result, { count: result.length, cursor: next });
  });

  const valuePath = `${NS_BASE}/:namespace_id/values/:key_name`;

  // The value itself, not an envelope: this is the one KV read that returns raw bytes.
  router.add('GET', valuePath, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    const entry = store.kvEntries(ns.id).get(req.params.key_name);
    if (!entry) return keyNotFound();
    return {
      status: 200,
      raw: entry.value,
      contentType: 'application/octet-stream',
      headers: entry.expiration !== undefined ? { Expiration: String(entry.expiration) } : {},
    };
  });

  router.add(
    'PUT',
    valuePath,
    (req) => {
      const ns = nsOf(req);
      if (!isNs(ns)) return ns;
      const key = req.params.key_name;
      const keyProblem = keyError(key);
      if (keyProblem) return bad(10020, keyProblem);
      let value: Buffer;
      let metadata: unknown;
      if (req.contentType === 'multipart/form-data') {
        // The form the spec documents: `value` plus optional JSON `metadata`.
        const form = (req.body ?? {}) as Record<string, string>;
        if (form.value === undefined) return bad(10021, 'multipart body must contain a "value" field');
        value = Buffer.from(form.value, 'utf8');
        const meta = parseMetadata(form.metadata);
        if ('error' in meta) return meta.error;
        metadata = meta.metadata;
      } else {
        // The raw-body form from Cloudflare's docs: the bytes are the value, whatever the content type.
        value = req.rawBody;
      }
      if (value.length > MAX_VALUE_BYTES) return cfFail(413, { code: 10011, message: 'value is larger than 25 MiB' });
      const exp = expirationOf(store, req.query.get('expiration') ?? undefined, req.query.get('expiration_ttl') ?? undefined);
      if ('error' in exp) return exp.error;
      const entry: KvEntry = { value, ...(metadata !== undefined ? { metadata } : {}), ...(exp.at !== undefined ? { expiration: exp.at } : {}) };
      store.kvEntries(ns.id).set(key, entry);
      return cfOk(null);
    },
    { rawBody: true },
  );

  router.add('DELETE', valuePath, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    // Deleting a missing key succeeds, as in KV.
    store.kvEntries(ns.id).delete(req.params.key_name);
    return cfOk(null);
  });

  router.add('GET', `${NS_BASE}/:namespace_id/metadata/:key_name`, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    const entry = store.kvEntries(ns.id).get(req.params.key_name);
    if (!entry) return keyNotFound();
    return cfOk(entry.metadata ?? null);
  });

  router.add('PUT', `${NS_BASE}/:namespace_id/bulk`, (req) => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    const items = req.body;
    if (!Array.isArray(items)) return bad(10021, 'bulk write body must be an array of {key, value} objects');
    if (items.length > BULK_LIMIT) return bad(10021, `bulk write accepts at most ${BULK_LIMIT} pairs`);
    // Validate everything first: a bulk write that fails half-way would be hard to reason about.
    const prepared: Array<[string, KvEntry]> = [];
    for (const [i, item] of items.entries()) {
      if (!item || typeof item !== 'object') return bad(10021, `item ${i} must be an object`);
      const keyProblem = keyError(item.key);
      if (keyProblem) return bad(10020, `item ${i}: ${keyProblem}`);
      if (typeof item.value !== 'string') return bad(10021, `item ${i}: value must be a string`);
      const value = item.base64 === true ? Buffer.from(item.value, 'base64') : Buffer.from(item.value, 'utf8');
      const exp = expirationOf(store, item.expiration, item.expiration_ttl);
      if ('error' in exp) return exp.error;
      const meta = item.metadata;
      prepared.push([item.key, { value, ...(meta !== undefined ? { metadata: meta } : {}), ...(exp.at !== undefined ? { expiration: exp.at } : {}) }]);
    }
    const entries = store.kvEntries(ns.id);
    for (const [key, entry] of prepared) entries.set(key, entry);
    return cfOk({ successful_key_count: prepared.length, unsuccessful_keys: [] });
  });

  const bulkDelete = (req: SimRequest): SimResponse => {
    const ns = nsOf(req);
    if (!isNs(ns)) return ns;
    const keys = req.body;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) return bad(10021, 'bulk delete body must be an array of key names');
    if (keys.length > BULK_LIMIT) return bad(10021, `bulk delete accepts at most ${BULK_LIMIT} keys`);
    const entries = store.kvEntries(ns.id);
    for (const k of keys as string[]) entries.delete(k);
    return cfOk({ successful_key_count: keys.length, unsuccessful_keys: [] });
  };
  router.add('POST', `${NS_BASE}/:namespace_id/bulk/delete`, bulkDelete);
  router.add('DELETE', `${NS_BASE}/:namespace_id/bulk`, bulkDelete); // deprecated form, same behaviour
}
