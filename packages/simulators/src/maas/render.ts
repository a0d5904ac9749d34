import { STATUS_NAMES, type Machine } from './store.js';

export const API = '/MAAS/api/2.0';

function iface(m: Machine, mac: string, index: number) {
  const id = m.interface_ids[index];
  return {
    children: [], tags: [], params: '', type: 'physical', links: [], effective_mtu: 1500, product: null, vlan: null,
    mac_address: mac, parents: [], id, discovered: null, vendor: null, system_id: m.system_id, enabled: true, firmware_version: null,
    name: `eth${index}`, link_connected: true, interface_speed: 1000, link_speed: 1000, resource_uri: `${API}/nodes/${m.system_id}/interfaces/${id}/`,
  };
}

const deployedLike = new Set([6, 9, 10, 11]);

/** A machine as GET /machines/{id}/ returns it: the field set of MAAS 3.7.3's API examples. */
export function renderMachine(m: Machine): Record<string, unknown> {
  const interfaces = m.mac_addresses.map((mac, i) => iface(m, mac, i));
  return {
    address_ttl: null, architecture: m.architecture, bcaches: [], bios_boot_method: 'pxe', blockdevice_set: [], boot_disk: null,
    boot_interface: interfaces[0] ?? null, cache_sets: [], commissioning_status: 2, commissioning_status_name: 'Passed', cpu_count: m.cpu_count,
    cpu_speed: 2400, cpu_test_status: -1, cpu_test_status_name: 'Unknown', current_commissioning_result_id: null,
    current_installation_result_id: null, current_testing_result_id: null,
    default_gateways: { ipv4: { gateway_ip: null, link_id: null }, ipv6: { gateway_ip: null, link_id: null } },
    description: m.description, disable_ipv4: false, distro_series: m.distro_series,
    domain: { authoritative: true, ttl: null, id: 0, resource_record_count: 0, name: m.domain, is_default: m.domain === 'maas', resource_uri: `${API}/domains/0/` },
    fqdn: `${m.hostname}.${m.domain}`,
    hardware_info: { system_vendor: 'Simulated', system_product: 'Baton MAAS simulator', system_version: '1', system_serial: m.system_id, cpu_model: 'Simulated CPU', mainboard_vendor: 'Unknown', mainboard_product: 'Unknown', mainboard_serial: 'Unknown', mainboard_version: 'Unknown', mainboard_firmware_vendor: 'Unknown', mainboard_firmware_date: 'Unknown', mainboard_firmware_version: 'Unknown', chassis_vendor: 'Unknown', chassis_type: 'Unknown', chassis_serial: 'Unknown', chassis_version: 'Unknown' },
    hostname: m.hostname, hwe_kernel: m.hwe_kernel, interface_set: interfaces, interface_test_status: -1, interface_test_status_name: 'Unknown',
    ip_addresses: deployedLike.has(m.status) ? [m.ip] : [], locked: false, memory: m.memory, memory_test_status: -1, memory_test_status_name: 'Unknown',
    min_hwe_kernel: '', netboot: m.status !== 6, node_type: 0, node_type_name: 'Machine', osystem: m.osystem, other_test_status: -1,
    other_test_status_name: 'Unknown', owner: m.owner, owner_data: {}, physicalblockdevice_set: [], pod: null,
    pool: { name: m.pool, description: m.pool === 'default' ? 'Default pool' : '', id: 0, resource_uri: `${API}/resourcepool/0/` },
    power_state: m.power_state, power_type: m.power_type, raids: [], resource_uri: `${API}/machines/${m.system_id}/`, special_filesystems: [],
    status: m.status, status_action: '', status_message: m.status_message, status_name: STATUS_NAMES[m.status], storage: 256000,
    storage_test_status: -1, storage_test_status_name: 'Unknown', swap_size: null, system_id: m.system_id, tag_names: [...m.tag_names],
    testing_status: -1, testing_status_name: 'Unknown', virtualblockdevice_set: [], volume_groups: [],
    zone: { name: m.zone, description: '', id: 1, resource_uri: `${API}/zones/${m.zone}/` },
  };
}
