import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commissionMachineRuntime, deployMachineRuntime, enlistMachineRuntime, listMachinesRuntime, powerControlMachineRuntime, releaseMachineRuntime } from '../src/runtime';
import { connection, control, enlistProps, machines, requests, run, startSim, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function enlisted(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await run<any>(enlistMachineRuntime, enlistProps(sim, extra));
  expect(r.error).toBeUndefined();
  return r.outputs.systemId;
}

describe('maas.machines.List', () => {
  it("lists Ready machines with the fields asked for (the seed flow's list_ready)", async () => {
    await enlisted();
    const r = await run<any>(listMachinesRuntime, connection(sim, { filters: { status: ['Ready'] }, includeDetails: true, fields: ['system_id', 'hostname', 'status_name'] }));
    expect(r.error).toBeUndefined();
    expect(r.outputs.total).toBe(3);
    expect(r.outputs.machines.map((m: any) => m.hostname).sort()).toEqual(['rack1-node1', 'rack1-node2', 'rack1-node3']);
    expect(Object.keys(r.outputs.machines[0]).sort()).toEqual(['hostname', 'status_name', 'system_id']);
    // The filter went to MAAS as its short status name.
    expect((await requests(sim)).some((q) => q.method === 'GET' && q.path === '/MAAS/api/2.0/machines/')).toBe(true);
  });

  it('filters by zone, pool and tags, summarises without details, and pages', async () => {
    await enlisted();
    const byPool = await run<any>(listMachinesRuntime, connection(sim, { filters: { resourcePool: 'production', zone: 'zone-a' }, includeDetails: false }));
    expect(byPool.outputs.machines.map((m: any) => m.hostname)).toEqual(['prod-web-01']);
    expect(byPool.outputs.machines[0]).not.toHaveProperty('interface_set');
    expect(byPool.outputs.machines[0]).toHaveProperty('status_name', 'New');

    const paged = await run<any>(listMachinesRuntime, connection(sim, { pageSize: 2, page: 2 }));
    expect(paged.outputs).toMatchObject({ total: 4, count: 2 });

    const tagged = await run<any>(listMachinesRuntime, connection(sim, { filters: { tags: ['gpu'] } }));
    expect(tagged.outputs.total).toBe(0);
  });

  it('fails with AUTHENTICATION on a wrong API key, and never logs the key', async () => {
    const r = await run<any>(listMachinesRuntime, connection(sim, { apiKey: 'baton-consumer:baton-token:wrong-secret' }));
    expect(r.error?.code).toBe('AUTHENTICATION');
    expect(r.error?.message).toContain('Invalid signature');
    expect(JSON.stringify(r.logs)).not.toContain('wrong-secret');
  });
});

describe('maas.machines.Enlist', () => {
  it('enlists with MAC, host name, domain, pool, zone and power parameters; the machine stays New', async () => {
    const r = await run<any>(enlistMachineRuntime, enlistProps(sim));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ hostname: 'prod-web-01', status: 'New', created: true });
    const [m] = (await machines(sim)).filter((x) => x.hostname === 'prod-web-01');
    expect(m).toMatchObject({
      system_id: r.outputs.systemId,
      domain: 'datacenter.local',
      pool: 'production',
      zone: 'zone-a',
      power_type: 'ipmi',
      mac_addresses: ['52:54:00:12:34:56'],
    });
    expect(m.power_parameters).toEqual({ power_address: '192.168.1.100', power_user: 'admin', power_pass: 'ipmi-secret-pass' });
  });

  it('is idempotent: the same MAC and host name returns the machine; another host name is a conflict', async () => {
    const first = await enlisted();
    const again = await run<any>(enlistMachineRuntime, enlistProps(sim));
    expect(again.outputs).toMatchObject({ systemId: first, created: false });
    expect((await machines(sim)).filter((m) => m.hostname === 'prod-web-01')).toHaveLength(1);
    const clash = await run<any>(enlistMachineRuntime, enlistProps(sim, { hostname: 'other-name' }));
    expect(clash.error?.code).toBe('CONFLICT');
    expect(clash.error?.message).toContain('already enlisted as prod-web-01');
  });

  it('shows MAAS field errors per field', async () => {
    const r = await run<any>(enlistMachineRuntime, enlistProps(sim, { zone: 'no-such-zone', resourcePool: 'nope' }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toMatch(/zone: Select a valid choice/);
    expect(r.error?.message).toMatch(/pool: Select a valid choice/);
  });
});

describe('maas.machines.Commission', () => {
  it('commissions and waits until Ready, heartbeating status and elapsed time', async () => {
    const systemId = await enlisted();
    const r = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }));
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ systemId, status: 'Ready', commissioned: true });
    expect(r.lastHeartbeatDetails).toMatchObject({ op: 'commission', systemId, status: 'Commissioning' });
    expect(r.logs.some((l) => l.message.startsWith(`commissioning of prod-web-01 (${systemId}): Commissioning`))).toBe(true);
    expect(r.logs.some((l) => l.message.startsWith(`commissioning of prod-web-01 (${systemId}): Ready after`))).toBe(true);
  });

  it('returns at once without waitForCompletion', async () => {
    const systemId = await enlisted();
    const r = await run<any>(commissionMachineRuntime, connection(sim, { systemId }));
    expect(r.outputs).toMatchObject({ status: 'Commissioning', commissioned: true });
  });

  it("fails without retry on Failed commissioning, with MAAS's message", async () => {
    const systemId = await enlisted();
    await control(sim, 'POST', '/_sim/outcome', { commissioning: 'fail' });
    const r = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain('ended Failed commissioning: Failed commissioning: 00-maas-01-cpuinfo failed');
  });

  it('times out at the task deadline while commissioning goes on', async () => {
    const systemId = await enlisted();
    await control(sim, 'PUT', '/_sim/timings', { commissioningMs: 60_000 });
    const r = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }), { deadline: Date.now() + 1_500 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toContain('the task timeout');
    expect(r.error?.message).toContain('last status Commissioning');
  });

  it('stops with CANCELLED when killed during the wait', async () => {
    const systemId = await enlisted();
    await control(sim, 'PUT', '/_sim/timings', { commissioningMs: 60_000 });
    const r = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }), { abortAfterMs: 300 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.error?.message).toContain('MAAS carries on');
  });

  it('resumes a wait after a worker restart without commissioning again', async () => {
    const systemId = await enlisted();
    await control(sim, 'PUT', '/_sim/timings', { commissioningMs: 60_000 });
    const first = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }), { abortAfterMs: 200 });
    const details = first.lastHeartbeatDetails;
    expect(details).toMatchObject({ op: 'commission', systemId });
    await control(sim, 'POST', '/_sim/clock', { advanceMs: 60_000 });
    const before = (await requests(sim)).filter((q) => q.method === 'POST').length;
    const second = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }), { resumeDetails: details });
    expect(second.error).toBeUndefined();
    expect(second.outputs.status).toBe('Ready');
    expect((await requests(sim)).filter((q) => q.method === 'POST').length).toBe(before);
    expect(second.logs[0].message).toContain('resuming the wait');
  });

  it('leaves a Deployed machine alone, so a re-run of the flow converges', async () => {
    const systemId = await enlisted();
    await run(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }));
    await run(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true }));
    const r = await run<any>(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }));
    expect(r.outputs).toMatchObject({ status: 'Deployed', commissioned: false });
  });
});

describe('maas.machines.Deploy', () => {
  async function ready(): Promise<string> {
    const systemId = await enlisted();
    await run(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }));
    return systemId;
  }

  it('deploys with OS, release, kernel, cloud-init and tags, and waits until Deployed', async () => {
    const systemId = await ready();
    const r = await run<any>(
      deployMachineRuntime,
      connection(sim, {
        systemId,
        osystem: 'ubuntu',
        distroSeries: 'jammy',
        kernel: 'ga-22.04',
        userData: '#cloud-config\npackages: [nginx]\n',
        userTags: ['production'],
        waitForDeployment: true,
      }),
    );
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ systemId, status: 'Deployed', deployed: true, osystem: 'ubuntu', distroSeries: 'jammy', powerState: 'on' });
    expect(r.outputs.ipAddresses.length).toBe(1);
    const [m] = (await machines(sim)).filter((x) => x.system_id === systemId);
    expect(m).toMatchObject({ status_name: 'Deployed', tag_names: ['production'], hwe_kernel: 'ga-22.04' });
  });

  it('is idempotent: a machine Deployed with the same release is returned; another release is a conflict', async () => {
    const systemId = await ready();
    await run(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true }));
    const again = await run<any>(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true, userTags: ['production'] }));
    expect(again.outputs).toMatchObject({ status: 'Deployed', deployed: false });
    const other = await run<any>(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'noble', waitForDeployment: true }));
    expect(other.error?.code).toBe('CONFLICT');
    expect(other.error?.message).toContain('release it first');
  });

  it('fails on Failed deployment with the reason, and ReleaseMachine rolls it back to Ready', async () => {
    const systemId = await ready();
    await control(sim, 'POST', '/_sim/outcome', { deployment: 'fail', times: 1 });
    const r = await run<any>(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true }));
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain('ended Failed deployment: Installation failed');
    const released = await run<any>(releaseMachineRuntime, connection(sim, { systemId, erase: true }));
    expect(released.error).toBeUndefined();
    expect(released.outputs).toMatchObject({ status: 'Ready', released: true });
    const again = await run<any>(releaseMachineRuntime, connection(sim, { systemId }));
    expect(again.outputs).toMatchObject({ status: 'Ready', released: false });
  });

  it('answers 409 from MAAS as a CONFLICT naming the status (deploying a New machine)', async () => {
    const systemId = await enlisted();
    const r = await run<any>(deployMachineRuntime, connection(sim, { systemId, waitForDeployment: true }));
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toContain('is New; only Ready or Allocated machines can be deployed');
  });

  it('resumes the deployment wait after a worker restart without deploying again', async () => {
    const systemId = await ready();
    await control(sim, 'PUT', '/_sim/timings', { deployingMs: 60_000 });
    const first = await run<any>(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true }), { abortAfterMs: 200 });
    expect(first.error?.code).toBe('CANCELLED');
    await control(sim, 'POST', '/_sim/clock', { advanceMs: 60_000 });
    const deploysBefore = (await requests(sim)).filter((q) => q.method === 'POST').length;
    const second = await run<any>(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true }), {
      resumeDetails: first.lastHeartbeatDetails,
    });
    expect(second.outputs).toMatchObject({ status: 'Deployed', deployed: true });
    expect((await requests(sim)).filter((q) => q.method === 'POST').length).toBe(deploysBefore);
  });

  it('NOT_FOUND for an unknown system id', async () => {
    const r = await run<any>(deployMachineRuntime, connection(sim, { systemId: 'nope42', waitForDeployment: true }));
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toContain("machine 'nope42' not found");
  });
});

describe('maas.machines.Release', () => {
  it('waits through Disk erasing, resumes after a restart without releasing twice, and is a no-op on a Ready machine', async () => {
    const systemId = await enlisted();
    await run(commissionMachineRuntime, connection(sim, { systemId, waitForCompletion: true }));
    await run(deployMachineRuntime, connection(sim, { systemId, distroSeries: 'jammy', waitForDeployment: true }));
    await control(sim, 'PUT', '/_sim/timings', { releasingMs: 60_000 });
    const first = await run<any>(releaseMachineRuntime, connection(sim, { systemId, erase: true }), { abortAfterMs: 200 });
    expect(first.error?.code).toBe('CANCELLED');
    expect(first.lastHeartbeatDetails).toMatchObject({ op: 'release', systemId, status: 'Disk erasing' });
    await control(sim, 'POST', '/_sim/clock', { advanceMs: 60_000 });
    const posts = (await requests(sim)).filter((q) => q.method === 'POST').length;
    const second = await run<any>(releaseMachineRuntime, connection(sim, { systemId, erase: true }), { resumeDetails: first.lastHeartbeatDetails });
    expect(second.outputs).toMatchObject({ status: 'Ready', released: true });
    expect((await requests(sim)).filter((q) => q.method === 'POST').length).toBe(posts);
    const ready = (await machines(sim)).find((m) => m.status_name === 'Ready' && m.hostname === 'rack1-node1');
    const noop = await run<any>(releaseMachineRuntime, connection(sim, { systemId: ready.system_id }));
    expect(noop.outputs).toMatchObject({ status: 'Ready', released: false });
  });
});

describe('maas.machines.PowerControl', () => {
  it('powers on, off and cycles, waiting for the state; QUERY asks the BMC', async () => {
    const systemId = (await machines(sim))[0].system_id;
    const on = await run<any>(powerControlMachineRuntime, connection(sim, { systemId, action: 'ON' }));
    expect(on.outputs).toEqual({ systemId, action: 'ON', powerState: 'on' });
    const off = await run<any>(powerControlMachineRuntime, connection(sim, { systemId, action: 'OFF', stopMode: 'soft' }));
    expect(off.outputs.powerState).toBe('off');
    const cycle = await run<any>(powerControlMachineRuntime, connection(sim, { systemId, action: 'CYCLE' }));
    expect(cycle.outputs.powerState).toBe('on');
    const query = await run<any>(powerControlMachineRuntime, connection(sim, { systemId, action: 'QUERY' }));
    expect(query.outputs.powerState).toBe('on');
  });

  it('times out when the BMC does not reach the state in time', async () => {
    const systemId = (await machines(sim))[0].system_id;
    await control(sim, 'PUT', '/_sim/timings', { powerMs: 60_000 });
    const r = await run<any>(powerControlMachineRuntime, connection(sim, { systemId, action: 'ON' }), { deadline: Date.now() + 1_300 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toContain('did not power on');
  });
});
