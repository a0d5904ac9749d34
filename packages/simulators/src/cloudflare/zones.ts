import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { cfFail, cfOk, cfTime, isPageError, paginate, readPage, routeError } from './envelope.js';
import type { CfStore, Zone } from './state.js';

export const API = '/client/v4';

export function renderZone(zone: Zone, store: CfStore): Record<string, unknown> {
  return {
    id: zone.id,
    name: zone.name,
    status: zone.status,
    paused: false,
    type: zone.type,
    development_mode: 0,
    name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: cfTime(zone.createdAt),
    modified_on: cfTime(zone.modifiedAt),
    activated_on: zone.activatedAt === null ? null : cfTime(zone.activatedAt),
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    // The real API often sends owner.id: null, but the spec types it as a string; keep to the spec.
    owner: { id: '7c5dae5552338874e5053f2534d2767a', type: 'user', email: store.settings.email },
    account: zone.account,
    permissions: ['#zone:read', '#zone:edit', '#dns_records:read', '#dns_records:edit', '#cache_purge:edit'],
    plan: { id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee', name: 'Free Website', price: 0, currency: 'USD', is_subscribed: false, can_subscribe: false },
  };
}

/** The zone named by :zone_id, or Cloudflare's "could not route" answer. */
export function zoneOf(req: SimRequest, store: CfStore): Zone | SimResponse {
  const zone = store.zones.get(req.params.zone_id);
  if (!zone) return routeError(req.path);
  return zone;
}

export function isZone(x: Zone | SimResponse): x is Zone {
  return 'name' in x && 'account' in x;
}

/** Cloudflare's name filter operators (spec examples): contains:, starts_with:, ends_with:, or exact. */
function nameMatches(name: string, filter: string): boolean {
  const n = name.toLowerCase();
  const [op, ...rest] = filter.split(':');
  const v = rest.join(':').toLowerCase();
  if (rest.length && op === 'contains') return n.includes(v);
  if (rest.length && op === 'starts_with') return n.startsWith(v);
  if (rest.length && op === 'ends_with') return n.endsWith(v);
  return n === filter.toLowerCase();
}

const ZONE_NAME = /^([a-zA-Z0-9][-a-zA-Z0-9]*\.)+[-a-zA-Z0-9]{2,20}$/;

export function addZoneRoutes(router: Router, store: CfStore): void {
  router.add('GET', `${API}/zones`, (req) => {
    const page = readPage(req, { perPage: 20, min: 5, max: 50 });
    if (isPageError(page)) return page;
    const name = req.query.get('name');
    const status = req.query.get('status');
    const accountId = req.query.get('account.id');
    const accountName = req.query.get('account.name');
    const matchAny = req.query.get('match') === 'any';
    const tests: Array<(z: Zone) => boolean> = [];
    if (name) tests.push((z) => nameMatches(z.name, name));
    if (status) tests.push((z) => z.status === status);
    if (accountId) tests.push((z) => z.account.id === accountId);
    if (accountName) tests.push((z) => nameMatches(z.account.name, accountName));
    let zones = [...store.zones.values()].filter((z) => (tests.length === 0 ? true : matchAny ? tests.some((t) => t(z)) : tests.every((t) => t(z))));
    const order = req.query.get('order') ?? 'name';
    const key = (z: Zone): string => (order === 'status' ? z.status : order === 'account.id' ? z.account.id : order === 'account.name' ? z.account.name : z.name);
    zones = zones.sort((a, b) => key(a).localeCompare(key(b)));
    if (req.query.get('direction') === 'desc') zones.reverse();
    const { items, info } = paginate(zones, page);
    return cfOk(
      items.map((z) => renderZone(z, store)),
      info,
    );
  });

  router.add('POST', `${API}/zones`, (req) => {
    const body = (req.body ?? {}) as { name?: unknown; account?: { id?: unknown }; type?: unknown };
    if (typeof body.name !== 'string' || !ZONE_NAME.test(body.name)) {
      return cfFail(400, { code: 1097, message: 'Invalid zone name: name must be a registrable domain such as example.com' });
    }
    if (body.account?.id !== store.settings.accountId) {
      return cfFail(400, { code: 1001, message: `account.id must be your account id (${store.settings.accountId})` });
    }
    const name = body.name.toLowerCase();
    if ([...store.zones.values()].some((z) => z.name === name)) {
      return cfFail(400, { code: 1061, message: `${name} already exists` });
    }
    const zone = store.addZone(name);
    if (body.type === 'partial' || body.type === 'secondary') zone.type = body.type;
    return cfOk(renderZone(zone, store));
  });

  router.add('GET', `${API}/zones/:zone_id`, (req) => {
    const zone = zoneOf(req, store);
    return isZone(zone) ? cfOk(renderZone(zone, store)) : zone;
  });

  router.add('DELETE', `${API}/zones/:zone_id`, (req) => {
    const zone = zoneOf(req, store);
    if (!isZone(zone)) return zone;
    store.zones.delete(zone.id);
    for (const [id, r] of store.records) if (r.zone_id === zone.id) store.records.delete(id);
    for (const [id, r] of store.accessRules) if (r.scope.type === 'zone' && r.scope.id === zone.id) store.accessRules.delete(id);
    return cfOk({ id: zone.id });
  });

  router.add('GET', `${API}/user/tokens/verify`, (req) => {
    if (!req.headers.authorization) {
      return cfFail(400, { code: 6003, message: 'Invalid request headers' }, { code: 6111, message: 'Invalid format for Authorization header' });
    }
    return cfOk({ id: 'ed17574386854bf78a67040be0a770b0', status: 'active' }, undefined, [{ code: 10000, message: 'This API Token is valid and active' }]);
  });
}
