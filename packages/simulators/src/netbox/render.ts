import { parseInterfaceAddress } from './ip.js';
import type { Kind, NbRecord, NetBoxStore } from './store.js';

/** NetBox's JSON for each model, nested related objects included (OpenAPI 4.2.2 shapes). */
export const PATHS: Record<Kind, string> = {
  sites: '/api/dcim/sites/',
  manufacturers: '/api/dcim/manufacturers/',
  'device-types': '/api/dcim/device-types/',
  'device-roles': '/api/dcim/device-roles/',
  devices: '/api/dcim/devices/',
  interfaces: '/api/dcim/interfaces/',
  'ip-addresses': '/api/ipam/ip-addresses/',
  prefixes: '/api/ipam/prefixes/',
  platforms: '/api/dcim/platforms/',
  tenants: '/api/tenancy/tenants/',
};

const LABELS: Record<string, string> = {
  active: 'Active',
  offline: 'Offline',
  planned: 'Planned',
  staged: 'Staged',
  failed: 'Failed',
  inventory: 'Inventory',
  decommissioning: 'Decommissioning',
  reserved: 'Reserved',
  deprecated: 'Deprecated',
  dhcp: 'DHCP',
  slaac: 'SLAAC',
  container: 'Container',
  retired: 'Retired',
  loopback: 'Loopback',
  secondary: 'Secondary',
  anycast: 'Anycast',
  vip: 'VIP',
  vrrp: 'VRRP',
  '1000base-t': '1000BASE-T (1GE)',
  virtual: 'Virtual',
  '10gbase-t': '10GBASE-T (10GE)',
  other: 'Other',
};

export const choice = (value: string) => ({ value, label: LABELS[value] ?? value });

export class Renderer {
  constructor(
    private readonly store: NetBoxStore,
    private readonly base: string,
  ) {}

  url(kind: Kind, id: number): string {
    return `${this.base}${PATHS[kind]}${id}/`;
  }

  private named(kind: Kind, id: unknown) {
    const r = typeof id === 'number' ? this.store.get(kind, id) : undefined;
    if (!r) return null;
    return { id: r.id, url: this.url(kind, r.id), display: String(r.name), name: r.name, slug: r.slug, description: r.description };
  }

  briefDevice(id: unknown) {
    const r = typeof id === 'number' ? this.store.get('devices', id) : undefined;
    if (!r) return null;
    return { id: r.id, url: this.url('devices', r.id), display: String(r.name ?? `Unnamed device (${r.id})`), name: r.name ?? null, description: r.description };
  }

  briefDeviceType(id: unknown) {
    const r = typeof id === 'number' ? this.store.get('device-types', id) : undefined;
    if (!r) return null;
    return {
      id: r.id,
      url: this.url('device-types', r.id),
      display: String(r.model),
      manufacturer: this.named('manufacturers', r.manufacturer),
      model: r.model,
      slug: r.slug,
      description: r.description,
    };
  }

  briefIp(id: unknown) {
    const r = typeof id === 'number' ? this.store.get('ip-addresses', id) : undefined;
    if (!r) return null;
    return { id: r.id, url: this.url('ip-addresses', r.id), display: String(r.address), family: { value: 4, label: 'IPv4' }, address: r.address, description: r.description };
  }

  briefInterface(id: unknown) {
    const r = typeof id === 'number' ? this.store.get('interfaces', id) : undefined;
    if (!r) return null;
    return {
      id: r.id,
      url: this.url('interfaces', r.id),
      display: String(r.name),
      device: this.briefDevice(r.device),
      name: r.name,
      description: r.description,
      cable: null,
      _occupied: false,
    };
  }

  private common(kind: Kind, r: NbRecord) {
    return {
      id: r.id,
      url: this.url(kind, r.id),
      display_url: this.url(kind, r.id).replace('/api/', '/'),
      tags: r.tags.map((t, i) => ({ id: i + 1, url: `${this.base}/api/extras/tags/${i + 1}/`, display: t.name, name: t.name, slug: t.slug, color: '9e9e9e' })),
      custom_fields: r.custom_fields,
      description: r.description,
      created: r.created,
      last_updated: r.last_updated,
    };
  }

  render(kind: Kind, r: NbRecord): Record<string, unknown> {
    const c = this.common(kind, r);
    switch (kind) {
      case 'sites':
        return {
          ...c,
          display: r.name,
          name: r.name,
          slug: r.slug,
          status: choice(String(r.status ?? 'active')),
          region: null,
          group: null,
          tenant: null,
          facility: '',
          time_zone: null,
          physical_address: '',
          shipping_address: '',
          latitude: null,
          longitude: null,
          comments: '',
          asns: [],
          circuit_count: 0,
          device_count: this.store.all('devices').filter((d) => d.site === r.id).length,
          prefix_count: this.store.all('prefixes').filter((p) => p.site === r.id).length,
          rack_count: 0,
          virtualmachine_count: 0,
          vlan_count: 0,
        };
      case 'manufacturers':
      case 'platforms':
      case 'tenants':
        return { ...c, display: r.name, name: r.name, slug: r.slug };
      case 'device-roles':
        return {
          ...c,
          display: r.name,
          name: r.name,
          slug: r.slug,
          color: r.color ?? '9e9e9e',
          vm_role: Boolean(r.vm_role),
          config_template: null,
          device_count: this.store.all('devices').filter((d) => d.role === r.id).length,
          virtualmachine_count: 0,
        };
      case 'device-types':
        return {
          ...c,
          display: r.model,
          manufacturer: this.named('manufacturers', r.manufacturer),
          default_platform: null,
          model: r.model,
          slug: r.slug,
          part_number: '',
          u_height: r.u_height ?? 1,
          exclude_from_utilization: false,
          is_full_depth: true,
          subdevice_role: null,
          airflow: null,
          weight: null,
          weight_unit: null,
          front_image: null,
          rear_image: null,
          comments: '',
          device_count: this.store.all('devices').filter((d) => d.device_type === r.id).length,
          console_port_template_count: 0,
          console_server_port_template_count: 0,
          power_port_template_count: 0,
          power_outlet_template_count: 0,
          interface_template_count: 0,
          front_port_template_count: 0,
          rear_port_template_count: 0,
          device_bay_template_count: 0,
          module_bay_template_count: 0,
          inventory_item_template_count: 0,
        };
      case 'devices': {
        const interfaces = this.store.all('interfaces').filter((i) => i.device === r.id);
        return {
          ...c,
          display: r.name ?? `Unnamed device (${r.id})`,
          name: r.name ?? null,
          device_type: this.briefDeviceType(r.device_type),
          role: this.named('device-roles', r.role),
          tenant: this.named('tenants', r.tenant),
          platform: this.named('platforms', r.platform),
          serial: r.serial ?? '',
          asset_tag: null,
          site: this.named('sites', r.site),
          location: null,
          rack: null,
          position: null,
          face: null,
          latitude: null,
          longitude: null,
          parent_device: null,
          status: choice(String(r.status)),
          airflow: null,
          primary_ip: this.briefIp(r.primary_ip4),
          primary_ip4: this.briefIp(r.primary_ip4),
          primary_ip6: null,
          oob_ip: null,
          cluster: null,
          virtual_chassis: null,
          vc_position: null,
          vc_priority: null,
          comments: r.comments ?? '',
          config_template: null,
          config_context: {},
          local_context_data: null,
          interface_count: interfaces.length,
          console_port_count: 0,
          console_server_port_count: 0,
          power_port_count: 0,
          power_outlet_count: 0,
          front_port_count: 0,
          rear_port_count: 0,
          device_bay_count: 0,
          module_bay_count: 0,
          inventory_item_count: 0,
        };
      }
      case 'interfaces': {
        const count = this.store.all('ip-addresses').filter((ip) => ip.assigned_object_type === 'dcim.interface' && ip.assigned_object_id === r.id).length;
        return {
          ...c,
          display: r.name,
          device: this.briefDevice(r.device),
          vdcs: [],
          module: null,
          name: r.name,
          label: '',
          type: choice(String(r.type)),
          enabled: r.enabled !== false,
          parent: null,
          bridge: null,
          lag: null,
          mtu: null,
          mac_address: r.mac_address ?? null,
          primary_mac_address: null,
          mac_addresses: [],
          speed: null,
          duplex: null,
          wwn: null,
          mgmt_only: Boolean(r.mgmt_only),
          mode: null,
          rf_role: null,
          rf_channel: null,
          poe_mode: null,
          poe_type: null,
          rf_channel_frequency: null,
          rf_channel_width: null,
          tx_power: null,
          untagged_vlan: null,
          tagged_vlans: [],
          qinq_svlan: null,
          vlan_translation_policy: null,
          mark_connected: false,
          cable: null,
          cable_end: '',
          wireless_link: null,
          link_peers: [],
          link_peers_type: null,
          wireless_lans: [],
          vrf: null,
          l2vpn_termination: null,
          connected_endpoints: null,
          connected_endpoints_type: null,
          connected_endpoints_reachable: false,
          count_ipaddresses: count,
          count_fhrp_groups: 0,
          _occupied: false,
        };
      }
      case 'ip-addresses':
        return {
          ...c,
          display: r.address,
          family: { value: 4, label: 'IPv4' },
          address: r.address,
          vrf: null,
          tenant: this.named('tenants', r.tenant),
          status: choice(String(r.status)),
          role: r.role ? choice(String(r.role)) : null,
          assigned_object_type: r.assigned_object_type ?? null,
          assigned_object_id: r.assigned_object_id ?? null,
          assigned_object: r.assigned_object_type === 'dcim.interface' ? this.briefInterface(r.assigned_object_id) : null,
          nat_inside: null,
          nat_outside: [],
          dns_name: r.dns_name ?? '',
          comments: '',
        };
      case 'prefixes': {
        const p = parseInterfaceAddress(String(r.prefix));
        return {
          ...c,
          display: r.prefix,
          family: { value: 4, label: 'IPv4' },
          prefix: r.prefix,
          vrf: null,
          scope_type: r.site ? 'dcim.site' : null,
          scope_id: r.site ?? null,
          scope: r.site ? this.named('sites', r.site) : null,
          tenant: null,
          vlan: null,
          status: choice(String(r.status)),
          role: null,
          is_pool: false,
          mark_utilized: false,
          comments: '',
          children: 0,
          _depth: p ? 0 : 0,
        };
      }
    }
  }
}
