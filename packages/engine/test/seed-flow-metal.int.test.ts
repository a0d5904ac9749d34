// The source article's second flow, unchanged, through the REST API against the MAAS and NetBox
// simulators: list Ready machines, enlist, commission, deploy, then register the device and its
// address in NetBox, as one execution. Then the drift scenario: NetBox down after provisioning.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { api, historyText, taskRun } from '@baton/testing';

const client = api();
// The project's own copy (examples/seed-flows), checked byte-identical to the article's by plugin-examples.test.ts.
const seedFlow = fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/seed-flows/provision-metal-and-register-in-netbox.yaml'), 'utf8');
const FLOW = ['infra.provisioning', 'provision-metal-and-register-in-netbox'] as const;

async function sim(base: string, method: string, route: string, body?: unknown) {
  const res = await fetch(`${base}${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json().catch(() => undefined);
}
const maas = (method: string, route: string, body?: unknown) => sim(inject('maasUrl'), method, route, body);
const netbox = (method: string, route: string, body?: unknown) => sim(inject('netboxUrl'), method, route, body);

async function inventory() {
  const nb = await netbox('GET', '/_sim/state');
  const machines = (await maas('GET', '/_sim/state')).machines.filter((m: any) => m.hostname === 'prod-web-01');
  return {
    machines,
    devices: nb.devices.filter((d: any) => d.name === 'prod-web-01'),
    interfaces: nb.interfaces,
    ips: nb['ip-addresses'].filter((ip: any) => ip.address === '10.100.1.45/24'),
  };
}

async function resetSimulators() {
  await maas('POST', '/_sim/reset');
  await netbox('POST', '/_sim/reset');
}

// The flow gives CreateDevice only a name: its site, role and device type are namespace defaults.
const METAL_DEFAULTS = `- type: io.kestra.plugin.ee.netbox.CreateDevice
  values:
    site: dc1
    deviceRole: server
    deviceType: server-1u
`;
beforeAll(async () => {
  const saved = await client.call('PUT', '/api/v1/main/namespaces/infra.provisioning/plugin-defaults', METAL_DEFAULTS, 'application/x-yaml');
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
});
beforeEach(resetSimulators);
afterAll(resetSimulators);

function summary(done: any) {
  return JSON.stringify(done.taskRunList.map((t: any) => [t.taskId, t.state.current, t.error]));
}

describe('seed flow: provision metal and register in NetBox', () => {
  it('deploys unchanged and runs to SUCCESS: the machine is Deployed in MAAS, the device and its IP are in NetBox', async () => {
    const deployed = await client.deploy(seedFlow);
    expect(deployed.status, JSON.stringify(deployed.body)).toBeLessThan(300);
    const started = await client.run(...FLOW);
    expect(started.status).toBe(200);
    const done = await client.waitFor(started.body.id, undefined, 90_000);
    expect(done.state.current, summary(done)).toBe('SUCCESS');

    expect(taskRun(done, 'list_ready').outputs.machines).toEqual(expect.arrayContaining([{ system_id: expect.any(String), hostname: 'rack1-node1', status_name: 'Ready' }]));
    const systemId = taskRun(done, 'enlist').outputs.systemId;
    expect(taskRun(done, 'commission').outputs).toMatchObject({ systemId, status: 'Ready', commissioned: true });
    expect(taskRun(done, 'deploy').outputs).toMatchObject({ systemId, status: 'Deployed', deployed: true, osystem: 'ubuntu', distroSeries: 'jammy' });
    const device = taskRun(done, 'create_device').outputs;
    expect(device).toMatchObject({ name: 'prod-web-01', created: true, primary_interface_id: expect.any(Number) });
    expect(taskRun(done, 'assign_ip').outputs).toMatchObject({ address: '10.100.1.45/24', created: true });

    const inv = await inventory();
    expect(inv.machines).toHaveLength(1);
    expect(inv.machines[0]).toMatchObject({
      system_id: systemId,
      status_name: 'Deployed',
      tag_names: ['production'],
      pool: 'production',
      zone: 'zone-a',
      domain: 'datacenter.local',
    });
    expect(inv.devices).toEqual([expect.objectContaining({ id: device.id, site: 1, role: 1, device_type: 1 })]);
    expect(inv.ips).toEqual([
      expect.objectContaining({
        assigned_object_type: 'dcim.interface',
        assigned_object_id: device.primary_interface_id,
        dns_name: 'prod-web-01.mgmt.example.com',
        status: 'active',
      }),
    ]);

    // The MAAS key, the IPMI password and the NetBox token came from secrets: nowhere in history, logs or the API.
    const history = await historyText(started.body.id);
    const logs = JSON.stringify((await client.logs(started.body.id)).body);
    for (const secret of ['baton-token-secret', 'ipmi-test-password', '0123456789abcdef0123456789abcdef01234567']) {
      expect(history).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(JSON.stringify(done)).not.toContain(secret);
    }
  });

  it('drift: NetBox failing makes the execution fail at create_device with the reason; after it recovers, a restart and a new run converge without duplicates', async () => {
    await client.deploy(seedFlow);
    const fault = await netbox('POST', '/_sim/faults', { route: '* /api/.*', kind: 'status', status: 503 });
    const started = await client.run(...FLOW);
    const failed = await client.waitFor(started.body.id, undefined, 90_000);
    expect(failed.state.current, summary(failed)).toBe('FAILED');
    expect(taskRun(failed, 'deploy').state.current).toBe('SUCCESS');
    const createDevice = taskRun(failed, 'create_device');
    expect(createDevice.state.current).toBe('FAILED');
    expect(createDevice.attempts.length).toBeGreaterThan(1); // a 5xx is retried before the task gives up
    expect(failed.error).toContain('create_device');
    // The URL came from a secret, so it is masked too.
    expect(failed.error).toContain('NetBox at ****** failed on GET /api/dcim/devices/ (503');
    expect(failed.taskRunList.some((t: any) => t.taskId === 'assign_ip')).toBe(false);
    // Provisioning happened; the inventory did not: the execution says so instead of succeeding.
    expect((await inventory()).machines[0].status_name).toBe('Deployed');
    expect((await inventory()).devices).toHaveLength(0);

    await netbox('DELETE', `/_sim/faults/${fault.id}`);
    const restarted = await client.call('POST', `/api/v1/main/executions/${started.body.id}/restart`);
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
    const recovered = await client.waitFor(started.body.id, ['SUCCESS', 'WARNING', 'KILLED', 'CANCELLED'], 90_000);
    expect(recovered.state.current, summary(recovered)).toBe('SUCCESS');
    let inv = await inventory();
    expect([inv.machines.length, inv.devices.length, inv.ips.length]).toEqual([1, 1, 1]);

    // A whole new execution finds everything in place: no second machine, device, interface or address.
    const again = await client.waitFor((await client.run(...FLOW)).body.id, undefined, 90_000);
    expect(again.state.current, summary(again)).toBe('SUCCESS');
    expect(taskRun(again, 'enlist').outputs.created).toBe(false);
    expect(taskRun(again, 'commission').outputs.commissioned).toBe(false);
    expect(taskRun(again, 'deploy').outputs.deployed).toBe(false);
    expect(taskRun(again, 'create_device').outputs.created).toBe(false);
    expect(taskRun(again, 'assign_ip').outputs.created).toBe(false);
    inv = await inventory();
    expect([inv.machines.length, inv.devices.length, inv.interfaces.length, inv.ips.length]).toEqual([1, 1, 1, 1]);
  });

  it("fails at deploy with MAAS's reason when the deployment fails, before touching NetBox", async () => {
    await client.deploy(seedFlow);
    await maas('POST', '/_sim/outcome', { deployment: 'fail' });
    const done = await client.waitFor((await client.run(...FLOW)).body.id, undefined, 90_000);
    expect(done.state.current, summary(done)).toBe('FAILED');
    expect(taskRun(done, 'deploy').state.current).toBe('FAILED');
    expect(done.error).toContain('ended Failed deployment: Installation failed');
    expect((await inventory()).devices).toHaveLength(0);
  });
});
