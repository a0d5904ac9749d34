import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { formatIp, hosts, parseInterfaceAddress, parsePrefix } from './ip.js';
import { PATHS, Renderer } from './render.js';
import type { Kind, NbRecord, NetBoxStore, Tag } from './store.js';

/**
 * NetBox's REST API for the models Baton uses: list (filters, limit/offset paging with next and
 * previous links), get, create (one object or a list), PATCH/PUT, DELETE, and a prefix's
 * available-ips. Validation errors are 400 `{field: [messages]}`, as Django REST Framework sends.
 */
const STATUS: Partial<Record<Kind, string[]>> = {
  sites: ['planned', 'staging', 'active', 'decommissioning', 'retired'],
  devices: ['offline', 'active', 'planned', 'staged', 'failed', 'inventory', 'decommissioning'],
  'ip-addresses': ['active', 'reserved', 'deprecated', 'dhcp', 'slaac'],
  prefixes: ['container', 'active', 'reserved', 'deprecated'],
};
const IP_ROLES = ['loopback', 'secondary', 'anycast', 'vip', 'vrrp', 'hsrp', 'glbp', 'carp'];
const INTERFACE_TYPES = [
  'virtual',
  'bridge',
  'lag',
  '100base-tx',
  '1000base-t',
  '2.5gbase-t',
  '5gbase-t',
  '10gbase-t',
  '10gbase-x-sfpp',
  '25gbase-x-sfp28',
  '40gbase-x-qsfpp',
  '100gbase-x-qsfp28',
  'other',
];

type Errors = Record<string, string[]>;
const detail = (status: number, message: string): SimResponse => ({ status, json: { detail: message } });

export function addNetBoxRoutes(router: Router, store: NetBoxStore, maxPageSize: number): void {
  const kinds = Object.keys(PATHS) as Kind[];
  for (const kind of kinds) {
    const path = PATHS[kind];
    router.add('GET', path, (req) => list(req, kind, store, maxPageSize));
    router.add('POST', path, (req) => create(req, kind, store));
    router.add('GET', `${path}:id`, (req) => withRecord(req, kind, store, (r) => ({ status: 200, json: renderer(req, store).render(kind, r) })));
    router.add('PATCH', `${path}:id`, (req) => withRecord(req, kind, store, (r) => update(req, kind, store, r, true)));
    router.add('PUT', `${path}:id`, (req) => withRecord(req, kind, store, (r) => update(req, kind, store, r, false)));
    router.add('DELETE', `${path}:id`, (req) =>
      withRecord(req, kind, store, (r) => {
        store.table(kind).delete(r.id);
        return { status: 204 };
      }),
    );
  }
  router.add('GET', '/api/ipam/prefixes/:id/available-ips/', (req) => availableIps(req, store, 'GET'));
  router.add('POST', '/api/ipam/prefixes/:id/available-ips/', (req) => availableIps(req, store, 'POST'));
  router.add(
    'GET',
    '/api/status/',
    () => ({
      status: 200,
      json: {
        'django-version': '5.1.5',
        'installed-apps': {},
        'netbox-version': '4.2.2',
        'netbox-full-version': '4.2.2 (Baton simulator)',
        plugins: {},
        'python-version': '3.12.3',
        'rq-workers-running': 1,
      },
    }),
    { public: true },
  );
}

function renderer(req: SimRequest, store: NetBoxStore): Renderer {
  return new Renderer(store, `http://${req.headers.host ?? '127.0.0.1'}`);
}

function withRecord(req: SimRequest, kind: Kind, store: NetBoxStore, then: (r: NbRecord) => SimResponse): SimResponse {
  const id = Number(req.params.id);
  const r = Number.isInteger(id) ? store.get(kind, id) : undefined;
  return r ? then(r) : detail(404, 'No matching object found.');
}

// ---- filters ------------------------------------------------------------------------------

const slugOf = (store: NetBoxStore, kind: Kind, id: unknown) => (typeof id === 'number' ? store.get(kind, id)?.slug : undefined);
const RESERVED = new Set(['limit', 'offset', 'brief', 'ordering', 'fields', 'exclude']);

function matches(store: NetBoxStore, kind: Kind, r: NbRecord, key: string, values: string[]): boolean {
  const has = (v: unknown) => values.includes(String(v ?? ''));
  switch (key) {
    case 'id':
      return has(r.id);
    case 'q':
      return values.some((q) => JSON.stringify([r.name, r.slug, r.address, r.model, r.prefix, r.dns_name, r.description]).toLowerCase().includes(q.toLowerCase()));
    case 'name__ic':
      return values.some((v) =>
        String(r.name ?? '')
          .toLowerCase()
          .includes(v.toLowerCase()),
      );
    case 'name__isw':
      return values.some((v) =>
        String(r.name ?? '')
          .toLowerCase()
          .startsWith(v.toLowerCase()),
      );
    case 'name__ie':
      return values.some((v) => String(r.name ?? '').toLowerCase() === v.toLowerCase());
    case 'tag':
      return values.every((v) => r.tags.some((t) => t.slug === v));
    case 'site':
      return has(slugOf(store, 'sites', r.site));
    case 'role':
      return has(slugOf(store, 'device-roles', r.role));
    case 'manufacturer': {
      const mfr = kind === 'device-types' ? r.manufacturer : typeof r.device_type === 'number' ? store.get('device-types', r.device_type)?.manufacturer : undefined;
      return has(slugOf(store, 'manufacturers', mfr));
    }
    case 'device_type':
      return has(slugOf(store, 'device-types', r.device_type));
    case 'platform':
      return has(slugOf(store, 'platforms', r.platform));
    case 'tenant':
      return has(slugOf(store, 'tenants', r.tenant));
    case 'device':
      return has(typeof r.device === 'number' ? store.get('devices', r.device)?.name : undefined);
    case 'address':
      return values.some((v) => (v.includes('/') ? r.address === v : String(r.address).split('/')[0] === v));
    case 'parent':
      return values.some((v) => {
        const p = parsePrefix(v);
        const a = parseInterfaceAddress(String(r.address ?? r.prefix ?? ''));
        return !!p && !!a && a.ip >= p.network && a.ip < p.network + 2 ** (32 - p.length);
      });
    default: {
      // `site_id`, `role_id`, `device_id`, `name`, `slug`, `status`, `dns_name`, `assigned_object_id`, ...
      const field = key.endsWith('_id') && !(key in r) ? key.slice(0, -3) : key;
      if (!(field in r)) return true; // NetBox ignores filters it does not know
      return has(r[field]);
    }
  }
}

function list(req: SimRequest, kind: Kind, store: NetBoxStore, maxPageSize: number): SimResponse {
  const errors: Errors = {};
  const keys = [...new Set([...req.query.keys()])].filter((k) => !RESERVED.has(k));
  for (const key of ['site', 'role']) {
    const table: Kind = key === 'site' ? 'sites' : 'device-roles';
    for (const v of req.query.getAll(key)) {
      if (!store.all(table).some((r) => r.slug === v)) (errors[key] ??= []).push(`Select a valid choice. ${v} is not one of the available choices.`);
    }
  }
  const status = STATUS[kind];
  for (const v of status ? req.query.getAll('status') : []) {
    if (!status!.includes(v)) (errors.status ??= []).push(`Select a valid choice. ${v} is not one of the available choices.`);
  }
  if (Object.keys(errors).length) return { status: 400, json: errors };
  const rows = store.all(kind).filter((r) => keys.every((k) => matches(store, kind, r, k, req.query.getAll(k))));

  const rawLimit = req.query.get('limit');
  let limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 0) limit = 50;
  if (limit === 0 || limit > maxPageSize) limit = maxPageSize;
  const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
  const page = rows.slice(offset, offset + limit);
  const link = (o: number) => {
    const q = new URLSearchParams(req.query);
    q.set('limit', String(limit));
    if (o > 0) q.set('offset', String(o));
    else q.delete('offset');
    return `http://${req.headers.host ?? '127.0.0.1'}${PATHS[kind]}?${q.toString()}`;
  };
  const r = renderer(req, store);
  return {
    status: 200,
    json: {
      count: rows.length,
      next: offset + limit < rows.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: page.map((row) => r.render(kind, row)),
    },
  };
}

// ---- writes -------------------------------------------------------------------------------

/** A related object given as an id, `{id}`, or `{slug}`/`{name}` lookups, as NetBox accepts. */
function related(store: NetBoxStore, kind: Kind, value: unknown): number | undefined | null {
  if (value === null) return null;
  if (typeof value === 'number') return store.get(kind, value) ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return related(store, kind, Number(value));
  if (value && typeof value === 'object') {
    const lookup = value as Record<string, unknown>;
    const found = store.all(kind).find((r) => Object.entries(lookup).every(([k, v]) => r[k] === v));
    return found?.id;
  }
  return undefined;
}

function tags(value: unknown, errors: Errors): Tag[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return void (errors.tags = ['Expected a list of items.']);
  return value.map((t) => {
    const name = typeof t === 'string' ? t : String((t as Tag)?.name ?? (t as Tag)?.slug ?? '');
    const slug = typeof t === 'object' && (t as Tag)?.slug ? (t as Tag).slug : name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
    return { name, slug };
  });
}

const REQUIRED: Record<Kind, string[]> = {
  sites: ['name', 'slug'],
  manufacturers: ['name', 'slug'],
  'device-types': ['manufacturer', 'model', 'slug'],
  'device-roles': ['name', 'slug'],
  devices: ['device_type', 'role', 'site'],
  interfaces: ['device', 'name', 'type'],
  'ip-addresses': ['address'],
  prefixes: ['prefix'],
  platforms: ['name', 'slug'],
  tenants: ['name', 'slug'],
};
const RELATED: Record<string, Kind> = {
  manufacturer: 'manufacturers',
  device_type: 'device-types',
  role: 'device-roles',
  site: 'sites',
  device: 'devices',
  platform: 'platforms',
  tenant: 'tenants',
  primary_ip4: 'ip-addresses',
};

/** Validates and normalises one object; returns the fields to store or the field errors. */
function validate(store: NetBoxStore, kind: Kind, body: unknown, existing?: NbRecord): { fields?: Record<string, unknown>; errors?: Errors } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { errors: { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] } };
  const input = body as Record<string, unknown>;
  const errors: Errors = {};
  const fields: Record<string, unknown> = {};
  for (const name of existing ? [] : REQUIRED[kind]) {
    if (input[name] === undefined || input[name] === null || input[name] === '') errors[name] = ['This field is required.'];
  }
  for (const [key, value] of Object.entries(input)) {
    if (key === 'id') continue;
    if (key === 'tags') {
      const t = tags(value, errors);
      if (t) fields.tags = t;
    } else if (key === 'custom_fields') {
      if (value && typeof value === 'object' && !Array.isArray(value)) fields.custom_fields = { ...(existing?.custom_fields ?? {}), ...(value as object) };
      else errors.custom_fields = ['Invalid data. Expected a dictionary.'];
    } else if (key in RELATED && !(kind === 'prefixes' && key === 'site')) {
      const id = related(store, RELATED[key], value);
      if (id === undefined) errors[key] = [`Related object not found using the provided attributes: ${JSON.stringify(value)}`];
      else fields[key] = id;
    } else if (key === 'status') {
      const allowed = STATUS[kind];
      if (allowed && !allowed.includes(String(value))) errors.status = [`"${String(value)}" is not a valid choice.`];
      else fields.status = value;
    } else {
      fields[key] = value;
    }
  }
  const merged = { ...existing, ...fields } as Record<string, unknown>;
  if (kind === 'devices') {
    fields.status ??= existing ? undefined : 'active';
    if (fields.status === undefined) delete fields.status;
    const name = merged.name;
    if (name !== undefined && name !== null && typeof name !== 'string') errors.name = ['Not a valid string.'];
    if (typeof name === 'string' && name.length > 64) errors.name = ['Ensure this field has no more than 64 characters.'];
    const clash = store.all('devices').find((d) => d.id !== existing?.id && name && d.name === name && d.site === merged.site && (d.tenant ?? null) === (merged.tenant ?? null));
    if (clash && !Object.keys(errors).length) errors.__all__ = ['Device name must be unique per site.'];
  }
  if (kind === 'interfaces') {
    if (merged.type !== undefined && !INTERFACE_TYPES.includes(String(merged.type))) errors.type = [`"${String(merged.type)}" is not a valid choice.`];
    const clash = store.all('interfaces').find((i) => i.id !== existing?.id && i.device === merged.device && i.name === merged.name);
    if (clash && !Object.keys(errors).length) errors.__all__ = ['The fields device, name must make a unique set.'];
  }
  if (kind === 'ip-addresses') {
    fields.status ??= existing ? undefined : 'active';
    if (fields.status === undefined) delete fields.status;
    if (merged.address !== undefined && !parseInterfaceAddress(String(merged.address))) errors.address = [`Invalid IP address format: ${String(merged.address)}`];
    if (merged.role !== undefined && merged.role !== '' && merged.role !== null && !IP_ROLES.includes(String(merged.role)))
      errors.role = [`"${String(merged.role)}" is not a valid choice.`];
    if (typeof merged.dns_name === 'string' && merged.dns_name && !/^([0-9A-Za-z_-]+|\*)(\.[0-9A-Za-z_-]+)*\.?$/.test(merged.dns_name)) {
      errors.dns_name = ['Only alphanumeric characters, asterisks, hyphens, periods, and underscores are allowed in DNS names'];
    }
    if (merged.assigned_object_type !== undefined && merged.assigned_object_type !== null) {
      if (merged.assigned_object_type !== 'dcim.interface' && merged.assigned_object_type !== 'virtualization.vminterface') {
        errors.assigned_object_type = [`"${String(merged.assigned_object_type)}" is not a valid choice.`];
      } else if (merged.assigned_object_type === 'dcim.interface' && !store.get('interfaces', Number(merged.assigned_object_id))) {
        errors.assigned_object_id = [`Related object not found: dcim.interface ${String(merged.assigned_object_id)}`];
      } else fields.assigned_object_id = Number(merged.assigned_object_id);
    }
    // NetBox enforces global uniqueness of IP addresses by default (ENFORCE_GLOBAL_UNIQUE).
    const host = parseInterfaceAddress(String(merged.address ?? ''));
    const dup = host && store.all('ip-addresses').find((ip) => ip.id !== existing?.id && parseInterfaceAddress(String(ip.address))?.ip === host.ip);
    if (dup && !errors.address) errors.address = [`Duplicate IP address found in global table: ${String(dup.address)}`];
  }
  if (kind === 'prefixes' && merged.prefix !== undefined && !parsePrefix(String(merged.prefix))) errors.prefix = [`Invalid IP prefix format: ${String(merged.prefix)}`];
  if (kind === 'sites' || kind === 'manufacturers' || kind === 'device-roles' || kind === 'device-types' || kind === 'platforms' || kind === 'tenants') {
    for (const key of ['name', 'slug', 'model']) {
      if (merged[key] === undefined) continue;
      const clash = store.all(kind).find((r) => r.id !== existing?.id && r[key] === merged[key]);
      if (clash) errors[key] = [`${kind.replace(/s$/, '').replace('-', ' ')} with this ${key} already exists.`];
    }
  }
  return Object.keys(errors).length ? { errors } : { fields };
}

function create(req: SimRequest, kind: Kind, store: NetBoxStore): SimResponse {
  const r = renderer(req, store);
  if (Array.isArray(req.body)) {
    const results = req.body.map((item) => validate(store, kind, item));
    if (results.some((x) => x.errors)) return { status: 400, json: results.map((x) => x.errors ?? {}) };
    return { status: 201, json: results.map((x) => r.render(kind, store.insert(kind, x.fields!))) };
  }
  const result = validate(store, kind, req.body);
  if (result.errors) return { status: 400, json: result.errors };
  return { status: 201, json: r.render(kind, store.insert(kind, result.fields!)) };
}

function update(req: SimRequest, kind: Kind, store: NetBoxStore, existing: NbRecord, partial: boolean): SimResponse {
  const result = validate(store, kind, partial ? req.body : { ...(req.body as object) }, partial ? existing : undefined);
  if (result.errors) return { status: 400, json: result.errors };
  Object.assign(existing, result.fields, { last_updated: new Date().toISOString() });
  return { status: 200, json: renderer(req, store).render(kind, existing) };
}

function availableIps(req: SimRequest, store: NetBoxStore, method: 'GET' | 'POST'): SimResponse {
  const prefix = store.get('prefixes', Number(req.params.id));
  if (!prefix) return detail(404, 'No Prefix matches the given query.');
  const cidr = parsePrefix(String(prefix.prefix))!;
  const used = new Set(store.all('ip-addresses').map((ip) => parseInterfaceAddress(String(ip.address))?.ip));
  const free: string[] = [];
  const wanted = method === 'GET' ? Math.min(Number(req.query.get('limit') ?? 50) || 50, 1000) : Array.isArray(req.body) ? req.body.length : 1;
  for (const ip of hosts(cidr)) {
    if (free.length >= wanted) break;
    if (!used.has(ip)) free.push(`${formatIp(ip)}/${cidr.length}`);
  }
  if (method === 'GET') return { status: 200, json: free.map((address) => ({ family: 4, address, vrf: null })) };
  if (free.length < wanted) {
    return detail(409, `An insufficient number of IP addresses are available within prefix ${String(prefix.prefix)} (${wanted} requested, ${free.length} available)`);
  }
  const items = (Array.isArray(req.body) ? req.body : [req.body ?? {}]) as Record<string, unknown>[];
  const checked = items.map((item, i) => validate(store, 'ip-addresses', { ...item, address: free[i] }));
  if (checked.some((x) => x.errors)) return { status: 400, json: Array.isArray(req.body) ? checked.map((x) => x.errors ?? {}) : checked[0].errors };
  const r = renderer(req, store);
  const created = checked.map((x) => r.render('ip-addresses', store.insert('ip-addresses', x.fields!)));
  return { status: 201, json: Array.isArray(req.body) ? created : created[0] };
}
