import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assignIpAddressRuntime, createDeviceRuntime, createInterfaceRuntime, listDevicesRuntime, listSitesRuntime, updateDeviceRuntime } from '../src/runtime';
import { authorization, baseUrl } from '../src/client';
import { startNetBoxSimulator } from '@baton/simulators';
import { V2_TOKEN, connection, control, deviceProps, run, startSim, state, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('NetBox client pieces', () => {
  it('sends v1 tokens as Token and v2 tokens as Bearer', () => {
    expect(authorization('0123456789abcdef0123456789abcdef01234567')).toBe('Token 0123456789abcdef0123456789abcdef01234567');
    expect(authorization('nbt_abc.def')).toBe('Bearer nbt_abc.def');
    expect(authorization('Token abc')).toBe('Token abc');
    expect(baseUrl('https://netbox.example.com/api/')).toBe('https://netbox.example.com');
  });
});

describe('netbox.dcim.sites.List and devices.List', () => {
  it('lists sites with filters and fields, with a v2 token', async () => {
    const r = await run<any>(listSitesRuntime, connection(sim, { token: V2_TOKEN, filters: { status: 'active' }, fields: ['id', 'slug'] }));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({
      results: [
        { id: 1, slug: 'dc1' },
        { id: 2, slug: 'dc2' },
      ],
      size: 2,
      total: 2,
    });
  });

  it('follows NetBox pages (capped at MAX_PAGE_SIZE) up to limit', async () => {
    const small = await startNetBoxSimulator({ port: 0, maxPageSize: 50 });
    try {
      for (let i = 0; i < 130; i++) await run(createDeviceRuntime, deviceProps(small, { name: `node-${String(i).padStart(3, '0')}` }));
      const all = await run<any>(listDevicesRuntime, connection(small, { filters: { site: 'dc1', role: 'server' }, limit: 2000, fields: ['name'] }));
      expect(all.outputs.total).toBe(130);
      expect(all.outputs.results.map((d: any) => d.name)).toEqual(Array.from({ length: 130 }, (_, i) => `node-${String(i).padStart(3, '0')}`));
      const some = await run<any>(listDevicesRuntime, connection(small, { filters: { name: 'node-007' } }));
      expect(some.outputs.results.map((d: any) => d.name)).toEqual(['node-007']);
      const limited = await run<any>(listDevicesRuntime, connection(small, { limit: 60 }));
      expect(limited.outputs).toMatchObject({ size: 60, total: 130 });
      const pages = (await control(small, 'GET', '/_sim/requests')).filter((q: any) => q.method === 'GET' && q.path === '/api/dcim/devices/');
      expect(pages.length).toBeGreaterThan(130 + 3); // one lookup per create, then 3 pages for the full list
    } finally {
      await small.close();
    }
  });

  it('shows a bad filter value per field (400)', async () => {
    const r = await run<any>(listDevicesRuntime, connection(sim, { filters: { site: 'nowhere' } }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain('site: Select a valid choice. nowhere is not one of the available choices.');
  });

  it('AUTHENTICATION on a bad token, never echoed', async () => {
    const r = await run<any>(listSitesRuntime, connection(sim, { token: 'ffffffffffffffffffffffffffffffffffffffff' }));
    expect(r.error?.code).toBe('AUTHENTICATION');
    expect(r.error?.message).not.toContain('ffffffffffffffff');
  });
});

describe('netbox.dcim.devices.Create', () => {
  it('creates the device and its primary interface, and outputs primary_interface_id', async () => {
    const r = await run<any>(createDeviceRuntime, deviceProps(sim, { tags: ['production'], customFields: { maas_system_id: 'abc123' }, platform: 'ubuntu-jammy' }));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ name: 'prod-web-01', created: true });
    expect(r.outputs.device).toMatchObject({
      site: { slug: 'dc1' },
      role: { slug: 'server' },
      device_type: { slug: 'server-1u' },
      status: { value: 'active' },
      platform: { slug: 'ubuntu-jammy' },
    });
    const s = await state(sim);
    expect(s.interfaces).toEqual([expect.objectContaining({ id: r.outputs.primary_interface_id, device: r.outputs.id, name: 'eth0', type: '1000base-t' })]);
  });

  it('is idempotent: the same name in the same site returns the device and its interface', async () => {
    const first = await run<any>(createDeviceRuntime, deviceProps(sim));
    const again = await run<any>(createDeviceRuntime, deviceProps(sim));
    expect(again.outputs).toMatchObject({ id: first.outputs.id, created: false, primary_interface_id: first.outputs.primary_interface_id });
    const s = await state(sim);
    expect(s.devices).toHaveLength(1);
    expect(s.interfaces).toHaveLength(1);
    // Another site is another device.
    const other = await run<any>(createDeviceRuntime, deviceProps(sim, { site: 'dc2' }));
    expect(other.outputs.created).toBe(true);
  });

  it('shows NetBox field errors per field', async () => {
    const r = await run<any>(createDeviceRuntime, deviceProps(sim, { role: 'no-such-role', deviceType: 'nope' }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toMatch(/role: Related object not found/);
    expect(r.error?.message).toMatch(/device_type: Related object not found/);
  });

  it('a 5xx is retryable and names the call', async () => {
    await control(sim, 'POST', '/_sim/faults', { route: '* /api/dcim/devices/', kind: 'status', status: 503 });
    const r = await run<any>(createDeviceRuntime, deviceProps(sim));
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.message).toContain('failed on GET /api/dcim/devices/ (503');
  });
});

describe('netbox.dcim.devices.Update and interfaces.Create', () => {
  it('updates only the fields given, found by name and site', async () => {
    const created = await run<any>(createDeviceRuntime, deviceProps(sim, { status: 'planned' }));
    const r = await run<any>(updateDeviceRuntime, connection(sim, { name: 'prod-web-01', site: 'dc1', status: 'active', serial: 'SN-1' }));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ id: created.outputs.id, changed: ['status', 'serial'] });
    expect(r.outputs.device).toMatchObject({ status: { value: 'active' }, serial: 'SN-1' });
    const missing = await run<any>(updateDeviceRuntime, connection(sim, { name: 'ghost', status: 'active' }));
    expect(missing.error?.code).toBe('NOT_FOUND');
  });

  it('creates an interface once', async () => {
    await run(createDeviceRuntime, deviceProps(sim));
    const first = await run<any>(createInterfaceRuntime, connection(sim, { device: 'prod-web-01', name: 'eth1', interfaceType: '10gbase-t' }));
    const again = await run<any>(createInterfaceRuntime, connection(sim, { device: 'prod-web-01', name: 'eth1', interfaceType: '10gbase-t' }));
    expect(first.outputs.created).toBe(true);
    expect(again.outputs).toMatchObject({ id: first.outputs.id, created: false });
  });
});

describe('netbox.ipam.AssignIpAddress', () => {
  async function iface(): Promise<number> {
    return (await run<any>(createDeviceRuntime, deviceProps(sim))).outputs.primary_interface_id;
  }

  it("assigns an address to an interface with status and DNS name, once (the seed flow's assign_ip)", async () => {
    const id = await iface();
    const props = connection(sim, {
      address: '10.100.1.45/24',
      status: 'active',
      assignedObjectType: 'dcim.interface',
      assignedObjectId: String(id),
      dnsName: 'prod-web-01.mgmt.example.com',
    });
    const r = await run<any>(assignIpAddressRuntime, props);
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ address: '10.100.1.45/24', created: true });
    expect(r.outputs.ip).toMatchObject({ assigned_object_type: 'dcim.interface', assigned_object_id: id, dns_name: 'prod-web-01.mgmt.example.com', status: { value: 'active' } });
    const again = await run<any>(assignIpAddressRuntime, props);
    expect(again.outputs).toMatchObject({ id: r.outputs.id, created: false });
    expect((await state(sim))['ip-addresses']).toHaveLength(1);
  });

  it('refuses an address assigned to another object', async () => {
    const id = await iface();
    await run(assignIpAddressRuntime, connection(sim, { address: '10.100.1.45/24', assignedObjectType: 'dcim.interface', assignedObjectId: id }));
    const other = (await run<any>(createDeviceRuntime, deviceProps(sim, { name: 'prod-web-02' }))).outputs.primary_interface_id;
    const r = await run<any>(assignIpAddressRuntime, connection(sim, { address: '10.100.1.45/24', assignedObjectType: 'dcim.interface', assignedObjectId: other }));
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toContain(`already assigned to dcim.interface ${id}`);
  });

  it('takes the next free address of a prefix, once per interface, and can make it primary', async () => {
    const id = await iface();
    const props = connection(sim, { prefix: '10.100.1.0/24', assignedObjectType: 'dcim.interface', assignedObjectId: id, setPrimary: true });
    const r = await run<any>(assignIpAddressRuntime, props);
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ address: '10.100.1.1/24', created: true });
    const again = await run<any>(assignIpAddressRuntime, props);
    expect(again.outputs).toMatchObject({ address: '10.100.1.1/24', created: false });
    const s = await state(sim);
    expect(s.devices[0].primary_ip4).toBe(r.outputs.id);
    const byId = await run<any>(assignIpAddressRuntime, connection(sim, { prefixId: 1, status: 'reserved' }));
    expect(byId.outputs.address).toBe('10.100.1.2/24');
  });

  it('validates its properties: one of address, prefixId or prefix', async () => {
    const r = await run<any>(assignIpAddressRuntime, connection(sim, { address: '10.0.0.1/24', prefix: '10.0.0.0/24' }));
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toContain('give exactly one of address, prefixId or prefix');
  });
});
