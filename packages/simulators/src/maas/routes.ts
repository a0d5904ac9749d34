import type { Router, SimRequest, SimResponse } from '../kit/router.js';
import { API, renderMachine } from './render.js';
import { fieldErrors, json, text } from './respond.js';
import { NodeStatus, STATUS_FILTER_NAMES, STATUS_NAMES, type Machine, type MaasStore } from './store.js';

/**
 * The MAAS 2.0 API calls Baton uses, shaped like MAAS 3.7.3: named operations in `?op=`, form
 * bodies (urlencoded or multipart; a repeated field is a list), plain-text errors, 409 when the
 * machine's status does not allow the action.
 */

/** Form fields, each a list (MAAS reads repeated fields such as mac_addresses as lists). */
export function formFields(req: SimRequest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (k: string, v: string) => out.set(k, [...(out.get(k) ?? []), v]);
  if (req.contentType === 'application/x-www-form-urlencoded' || (req.contentType === '' && req.rawBody.length)) {
    for (const [k, v] of new URLSearchParams(req.rawBody.toString('utf8'))) add(k, v);
  } else if (req.body && typeof req.body === 'object') {
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) add(k, String(v));
  }
  return out;
}

const one = (form: Map<string, string[]>, name: string): string | undefined => form.get(name)?.[0];
const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|1|on|yes)$/i.test(v);

function op(req: SimRequest, form?: Map<string, string[]>): string | undefined {
  return req.query.get('op') ?? (form ? one(form, 'op') : undefined) ?? undefined;
}

const notFound = () => text(404, 'No Machine matches the given query.');

function label(m: Machine): string {
  return `${m.hostname} (${m.system_id})`;
}

function conflict(m: Machine, action: string): SimResponse {
  return text(409, `Node ${label(m)} cannot be ${action} in its current state: ${STATUS_NAMES[m.status]}.`);
}

export function addMaasRoutes(router: Router, store: MaasStore): void {
  router.add(
    'GET',
    `${API}/version`,
    () => json(200, { capabilities: ['networks-management', 'static-ipaddresses', 'deploy-with-tags'], version: '3.7.3', subversion: 'simulated' }),
    { public: true },
  );

  router.add('GET', `${API}/machines`, (req) => {
    const o = op(req);
    if (o === 'is_registered') {
      const mac = (req.query.get('mac_address') ?? '').toLowerCase();
      return json(
        200,
        store.list().some((m) => m.mac_addresses.includes(mac)),
      );
    }
    if (o) return text(400, `Unrecognised signature: method=GET op=${o}`);
    return listMachines(req, store);
  });

  router.add('POST', `${API}/machines`, (req) => {
    const form = formFields(req);
    const o = op(req, form);
    if (o) return text(400, `Unrecognised signature: method=POST op=${o}`);
    return createMachine(form, store);
  });

  router.add('GET', `${API}/machines/:id`, (req) => {
    const m = store.get(req.params.id);
    if (!m) return notFound();
    const o = op(req);
    if (!o) return json(200, renderMachine(m));
    if (o === 'query_power_state') return json(200, { state: m.power_state });
    if (o === 'power_parameters') return json(200, m.power_parameters);
    return text(400, `Unrecognised signature: method=GET op=${o}`);
  });

  router.add('DELETE', `${API}/machines/:id`, (req) => {
    const m = store.get(req.params.id);
    if (!m) return notFound();
    store.machines.delete(m.system_id);
    return { status: 204 };
  });

  router.add('POST', `${API}/machines/:id`, (req) => {
    const form = formFields(req);
    const m = store.get(req.params.id);
    if (!m) return notFound();
    switch (op(req, form)) {
      case 'commission':
        if (![NodeStatus.NEW, NodeStatus.READY, NodeStatus.FAILED_COMMISSIONING, NodeStatus.BROKEN, NodeStatus.FAILED_TESTING].includes(m.status as never)) {
          return conflict(m, 'commissioned');
        }
        store.startCommissioning(m);
        return json(200, renderMachine(m));
      case 'deploy': {
        if (m.status !== NodeStatus.READY && m.status !== NodeStatus.ALLOCATED) return conflict(m, 'deployed');
        const series = one(form, 'distro_series') ?? 'jammy';
        const osystem = one(form, 'osystem') ?? 'ubuntu';
        if (!/^[a-z0-9.-]+$/.test(series))
          return fieldErrors({ distro_series: [`'${series}' is not a valid distro_series.  It should be one of: 'ubuntu/jammy', 'ubuntu/noble'.`] });
        const userData = one(form, 'user_data');
        if (userData !== undefined && !/^[A-Za-z0-9+/=\s]*$/.test(userData)) return fieldErrors({ user_data: ['user_data must be base64-encoded.'] });
        store.startDeployment(m, osystem, series, one(form, 'hwe_kernel') ?? null);
        return json(200, renderMachine(m));
      }
      case 'release': {
        if (
          ![NodeStatus.ALLOCATED, NodeStatus.DEPLOYED, NodeStatus.DEPLOYING, NodeStatus.FAILED_DEPLOYMENT, NodeStatus.FAILED_RELEASING, NodeStatus.FAILED_DISK_ERASING].includes(
            m.status as never,
          )
        ) {
          return conflict(m, 'released');
        }
        store.startRelease(m, truthy(one(form, 'erase')));
        return json(200, renderMachine(m));
      }
      case 'power_on':
        store.setPower(m, 'on');
        return json(200, renderMachine(m));
      case 'power_off':
        store.setPower(m, 'off');
        return json(200, renderMachine(m));
      case 'abort':
        if (!m.pending) return conflict(m, 'aborted');
        m.pending = undefined;
        m.status = m.status === NodeStatus.COMMISSIONING ? NodeStatus.NEW : m.status === NodeStatus.DEPLOYING ? NodeStatus.ALLOCATED : NodeStatus.READY;
        m.status_message = 'Aborted';
        return json(200, renderMachine(m));
      default:
        return text(400, `Unrecognised signature: method=POST op=${op(req, form) ?? '(none)'}`);
    }
  });

  // Tags: deploying with userTags adds the machine to existing or new tags.
  router.add('POST', `${API}/tags`, (req) => {
    const name = one(formFields(req), 'name');
    if (!name || !/^[\w-]+$/.test(name)) return fieldErrors({ name: ['Invalid character in the tag name (letters, digits, - and _ only).'] });
    if (store.tags.has(name)) return fieldErrors({ name: ['Tag with this Name already exists.'] });
    store.tags.add(name);
    return json(200, { name, definition: '', comment: '', kernel_opts: '', resource_uri: `${API}/tags/${name}/` });
  });
  router.add('POST', `${API}/tags/:name`, (req) => {
    const form = formFields(req);
    const name = req.params.name;
    if (!store.tags.has(name)) return text(404, 'No Tag matches the given query.');
    if (op(req, form) !== 'update_nodes') return text(400, `Unrecognised signature: method=POST op=${op(req, form) ?? '(none)'}`);
    let added = 0;
    let removed = 0;
    for (const id of form.get('add') ?? []) {
      const m = store.get(id);
      if (m && !m.tag_names.includes(name)) (m.tag_names.push(name), added++);
    }
    for (const id of form.get('remove') ?? []) {
      const m = store.get(id);
      if (m?.tag_names.includes(name)) ((m.tag_names = m.tag_names.filter((t) => t !== name)), removed++);
    }
    return json(200, { added, removed });
  });
}

function listMachines(req: SimRequest, store: MaasStore): SimResponse {
  const values = (name: string) => req.query.getAll(name);
  const statuses = values('status');
  for (const s of statuses) {
    if (!(s in STATUS_FILTER_NAMES)) return fieldErrors({ status: [`Select a valid choice. ${s} is not one of the available choices.`] });
  }
  const match = (filter: string[], value: string) => !filter.length || filter.includes(value);
  const machines = store
    .list()
    .filter(
      (m) =>
        match(values('hostname'), m.hostname) &&
        match(values('id'), m.system_id) &&
        match(values('domain'), m.domain) &&
        match(values('zone'), m.zone) &&
        match(values('pool'), m.pool) &&
        (!values('mac_address').length || values('mac_address').some((mac) => m.mac_addresses.includes(mac.toLowerCase()))) &&
        (!statuses.length || statuses.some((s) => STATUS_FILTER_NAMES[s] === m.status)),
    );
  return json(200, machines.map(renderMachine));
}

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

function createMachine(form: Map<string, string[]>, store: MaasStore): SimResponse {
  const errors: Record<string, string[]> = {};
  const architecture = one(form, 'architecture');
  const macs = (form.get('mac_addresses') ?? []).map((m) => m.toLowerCase().replace(/-/g, ':'));
  if (!architecture) errors.architecture = ['This field is required.'];
  else if (!/^(amd64|arm64|i386|armhf|ppc64el|s390x)(\/[\w.-]+)?$/.test(architecture)) {
    errors.architecture = [`'${architecture}' is not a valid architecture.  It should be one of: 'amd64/generic', 'arm64/generic', 'i386/generic'.`];
  }
  if (!macs.length) errors.mac_addresses = ['This field is required.'];
  const bad = macs.filter((m) => !MAC.test(m));
  if (bad.length) errors.mac_addresses = [`One or more MAC addresses is invalid. ('${bad[0]}' is not a valid MAC address.)`];
  const taken = macs.map((mac) => [...store.machines.values()].find((m) => m.mac_addresses.includes(mac))).find(Boolean);
  if (taken && !bad.length) errors.mac_addresses = [`One or more MAC addresses is invalid. (MAC address ${macs[0]} already in use on ${taken.hostname}.)`];
  const hostname = one(form, 'hostname') ?? `node-${store.machines.size + 1}`;
  if ([...store.machines.values()].some((m) => m.hostname === hostname)) errors.hostname = [`Node with hostname "${hostname}" already exists.`];
  const domain = one(form, 'domain') ?? 'maas';
  if (!store.seed.domains.includes(domain)) errors.domain = [`Unable to find domain ${domain}`];
  const zone = one(form, 'zone') ?? 'default';
  if (!store.seed.zones.includes(zone)) errors.zone = ['Select a valid choice. That choice is not one of the available choices.'];
  const pool = one(form, 'pool') ?? 'default';
  if (!store.seed.pools.includes(pool)) errors.pool = ['Select a valid choice. That choice is not one of the available choices.'];
  if (Object.keys(errors).length) return fieldErrors(errors);

  const powerParameters: Record<string, string> = {};
  for (const [k, v] of form) if (k.startsWith('power_parameters_')) powerParameters[k.slice('power_parameters_'.length)] = v[0];
  const deployed = truthy(one(form, 'deployed'));
  // Machines an administrator creates are commissioned unless commission=false.
  const commission = !deployed && one(form, 'commission') !== undefined ? truthy(one(form, 'commission')) : !deployed;
  const m = store.create({
    hostname,
    architecture: architecture!.includes('/') ? architecture! : `${architecture}/generic`,
    mac_addresses: macs,
    domain,
    zone,
    pool,
    power_type: one(form, 'power_type') ?? '',
    power_parameters: powerParameters,
    description: one(form, 'description') ?? '',
    status: deployed ? NodeStatus.DEPLOYED : NodeStatus.NEW,
  });
  if (commission) store.startCommissioning(m);
  return json(200, renderMachine(m));
}
