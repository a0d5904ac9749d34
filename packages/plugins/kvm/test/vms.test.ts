// Every VM task against the real libvirtd with QEMU (qemu:///system): tiny 64 MiB domains without a
// guest OS, which is enough for libvirt's state machine, and a guest that never answers an ACPI
// shutdown, which is what the timeout and kill cases need.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPluginTask as run } from '@baton/plugin-sdk/testing';
import { createVmRuntime, deleteVmRuntime, getVmRuntime, listVmsRuntime, resumeVmRuntime, startVmRuntime, stopVmRuntime, suspendVmRuntime, updateVmRuntime } from '../src/runtime';
import { cleanup, ensureLibvirtd, tinyDomainXml, uniquePrefix, virsh } from './libvirtd';

const uri = 'qemu:///system';
const prefix = uniquePrefix();
const vm = (suffix: string) => `${prefix}${suffix}`;
const state = (name: string) => virsh('domstate', name).trim();

beforeAll(async () => {
  await ensureLibvirtd();
}, 60_000);
afterAll(() => cleanup(prefix), 120_000);

async function created(name: string, extra: Record<string, unknown> = {}) {
  const r = await run<any>(createVmRuntime, { uri, name, xmlDefinition: tinyDomainXml(name), ...extra });
  expect(r.error).toBeUndefined();
  return r.outputs;
}

describe('CreateVm, StartVm, GetVm, ListVms', () => {
  it('defines a domain, boots it and waits; running both again changes nothing', async () => {
    const name = vm('life');
    const first = await created(name);
    expect(first).toMatchObject({ name, state: 'VIR_DOMAIN_SHUTOFF', created: true, started: false });
    expect(first.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(state(name)).toBe('shut off');

    const again = await created(name);
    expect(again).toMatchObject({ uuid: first.uuid, created: false });

    const started = await run<any>(startVmRuntime, { uri, name, waitForRunning: true, timeToWait: 'PT30S' });
    expect(started.error).toBeUndefined();
    expect(started.outputs).toMatchObject({ name, uuid: first.uuid, state: 'VIR_DOMAIN_RUNNING', started: true });
    expect(state(name)).toBe('running');
    // The wait heartbeated what a resumed attempt needs.
    expect(started.lastHeartbeatDetails).toMatchObject({ op: 'start', name });

    const twice = await run<any>(startVmRuntime, { uri, name, waitForRunning: true });
    expect(twice.outputs).toMatchObject({ started: false, state: 'VIR_DOMAIN_RUNNING' });
    expect(twice.logs.map((l) => l.message).join('\n')).toContain('running already');
  });

  it('GetVm reads state, vCPUs, memory, disks, interfaces and the XML', async () => {
    const name = vm('get');
    await created(name, { startAfterCreate: true, waitForRunning: true });
    const r = await run<any>(getVmRuntime, { uri, name });
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ name, state: 'VIR_DOMAIN_RUNNING', vcpus: 1, maxMemoryKiB: 65536, disks: [] });
    expect(r.outputs.id).toBeGreaterThan(0);
    expect(r.outputs.interfaces).toEqual([expect.objectContaining({ type: 'user', model: 'virtio', mac: expect.stringMatching(/^52:54:00:/) })]);
    expect(r.outputs.xml).toContain(`<name>${name}</name>`);

    const missing = await run<any>(getVmRuntime, { uri, name: vm('nope') });
    expect(missing.error?.code).toBe('NOT_FOUND');
    expect(missing.error?.message).toContain('ListVms');
  });

  it('ListVms lists with states and filters by Kestra or short state names', async () => {
    const on = vm('list-on');
    const off = vm('list-off');
    await created(on, { startAfterCreate: true });
    await created(off);
    const all = await run<any>(listVmsRuntime, { uri });
    const mine = all.outputs.vms.filter((v: any) => v.name.startsWith(`${prefix}list`));
    expect(mine).toEqual([
      { name: off, uuid: expect.any(String), state: 'VIR_DOMAIN_SHUTOFF', id: -1 },
      { name: on, uuid: expect.any(String), state: 'VIR_DOMAIN_RUNNING', id: expect.any(Number) },
    ]);
    const running = await run<any>(listVmsRuntime, { uri, statusFilter: 'VIR_DOMAIN_RUNNING' });
    expect(running.outputs.vms.map((v: any) => v.name)).toContain(on);
    expect(running.outputs.vms.map((v: any) => v.name)).not.toContain(off);
    const stopped = await run<any>(listVmsRuntime, { uri, statusFilter: ['shutoff', 'crashed'] });
    expect(stopped.outputs.vms.map((v: any) => v.name)).toContain(off);
    expect(stopped.outputs.count).toBe(stopped.outputs.vms.length);
    const bad = await run<any>(listVmsRuntime, { uri, statusFilter: 'sleeping' });
    expect(bad.error?.code).toBe('INVALID_PROPERTIES');
    expect(bad.error?.message).toContain('VIR_DOMAIN_RUNNING');
  });
});

describe('domain XML is checked before it is sent', () => {
  it('reports a syntax error with its line and column', async () => {
    const name = vm('bad-syntax');
    const xml = tinyDomainXml(name).replace('<vcpu>1</vcpu>', '<vcpu>1</vcpux>');
    const r = await run<any>(createVmRuntime, { uri, name, xmlDefinition: xml });
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toMatch(/line 4, column 10: XML syntax: <\/vcpux> does not close <vcpu> \(opened at line 4, column 3\)/);
    expect(virsh('list', '--all', '--name')).not.toContain(name);
  });

  it("reports what libvirt's RelaxNG schema refuses, with the line", async () => {
    const name = vm('bad-schema');
    const xml = tinyDomainXml(name).replace('<features>', '<bogus/>\n  <features>');
    const r = await run<any>(createVmRuntime, { uri, name, xmlDefinition: xml });
    expect(r.error?.code).toBe('INVALID_PROPERTIES');
    expect(r.error?.message).toContain("libvirt's schema");
    expect(r.error?.message).toMatch(/line 8, column 1: <bogus>: .*extra content: bogus/);
  });

  it('reports missing essentials and a name that differs from the task', async () => {
    const r = await run<any>(createVmRuntime, { uri, name: vm('x'), xmlDefinition: "<domain type='qemu'>\n  <name>other</name>\n</domain>" });
    expect(r.error?.message).toContain('line 1, column 1: <domain> needs <memory>');
    expect(r.error?.message).toContain('<os>');
    const renamed = await run<any>(createVmRuntime, { uri, name: vm('x'), xmlDefinition: tinyDomainXml('other-name') });
    expect(renamed.error?.message).toMatch(/line 2, column 1: <name>other-name<\/name> differs from the task's name/);
  });

  it('a name taken by a domain with another UUID is a conflict that says what to do', async () => {
    const name = vm('taken');
    await created(name);
    const r = await run<any>(createVmRuntime, { uri, name, xmlDefinition: tinyDomainXml(name, { uuid: '11111111-2222-3333-4444-555555555555' }) });
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toContain('already exists');
    expect(r.error?.message).toContain('DeleteVm');
  });
});

describe('SuspendVm, ResumeVm, UpdateVm', () => {
  it('suspends and resumes, each idempotent; a paused domain is not started', async () => {
    const name = vm('pause');
    await created(name, { startAfterCreate: true, waitForRunning: true });
    const paused = await run<any>(suspendVmRuntime, { uri, name });
    expect(paused.outputs).toMatchObject({ state: 'VIR_DOMAIN_PAUSED', changed: true });
    expect(state(name)).toBe('paused');
    expect((await run<any>(suspendVmRuntime, { uri, name })).outputs).toMatchObject({ changed: false });
    const start = await run<any>(startVmRuntime, { uri, name });
    expect(start.error?.code).toBe('CONFLICT');
    expect(start.error?.message).toContain('ResumeVm');
    const resumed = await run<any>(resumeVmRuntime, { uri, name });
    expect(resumed.outputs).toMatchObject({ state: 'VIR_DOMAIN_RUNNING', changed: true });
    expect((await run<any>(resumeVmRuntime, { uri, name })).outputs).toMatchObject({ changed: false });
    await run(stopVmRuntime, { uri, name, force: true, waitForStopped: true });
    const offPause = await run<any>(suspendVmRuntime, { uri, name });
    expect(offPause.error?.code).toBe('CONFLICT');
    const offResume = await run<any>(resumeVmRuntime, { uri, name });
    expect(offResume.error?.message).toContain('StartVm');
  });

  it('updates the definition and restarts a running domain so it applies', async () => {
    const name = vm('upd');
    const { uuid } = await created(name, { startAfterCreate: true, waitForRunning: true });
    const idBefore = (await run<any>(getVmRuntime, { uri, name })).outputs.id;
    const r = await run<any>(updateVmRuntime, { uri, name, xmlDefinition: tinyDomainXml(name, { memoryMiB: 96 }), restart: true });
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ name, uuid, wasRestarted: true, state: 'VIR_DOMAIN_RUNNING' });
    const after = (await run<any>(getVmRuntime, { uri, name })).outputs;
    expect(after.maxMemoryKiB).toBe(96 * 1024);
    expect(after.id).not.toBe(idBefore);
    // Not running: updated for the next boot, not restarted.
    await run(stopVmRuntime, { uri, name, force: true, waitForStopped: true });
    const cold = await run<any>(updateVmRuntime, { uri, name, xmlDefinition: tinyDomainXml(name, { memoryMiB: 80 }), restart: true });
    expect(cold.outputs).toMatchObject({ wasRestarted: false, state: 'VIR_DOMAIN_SHUTOFF' });
    const missing = await run<any>(updateVmRuntime, { uri, name: vm('ghost'), xmlDefinition: tinyDomainXml(vm('ghost')) });
    expect(missing.error?.code).toBe('NOT_FOUND');
    expect(missing.error?.message).toContain('CreateVm');
  });
});

describe('StopVm and the waits', () => {
  it('a guest that ignores the ACPI shutdown times out after timeToWait, saying to use force', async () => {
    const name = vm('deaf');
    await created(name, { startAfterCreate: true, waitForRunning: true });
    const r = await run<any>(stopVmRuntime, { uri, name, waitForStopped: true, timeToWait: 'PT2S' });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toMatch(/did not become VIR_DOMAIN_SHUTOFF within [\d.]+ s \(timeToWait PT2S\); it is VIR_DOMAIN_RUNNING/);
    expect(r.error?.message).toContain('force: true');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1_900);
    expect(r.elapsedMs).toBeLessThan(15_000); // generous: CI machines are busy
    expect(r.heartbeats).toBeGreaterThan(2);
    expect(r.lastHeartbeatDetails).toMatchObject({ op: 'shutdown', name, state: 'VIR_DOMAIN_RUNNING' });

    const forced = await run<any>(stopVmRuntime, { uri, name, force: true, waitForStopped: true });
    expect(forced.outputs).toMatchObject({ state: 'VIR_DOMAIN_SHUTOFF', stopped: true });
    expect(state(name)).toBe('shut off');
    const again = await run<any>(stopVmRuntime, { uri, name, waitForStopped: true });
    expect(again.outputs).toMatchObject({ stopped: false });
  });

  it('a kill during the wait ends it at once with CANCELLED; the domain is left as it is', async () => {
    const name = vm('kill');
    await created(name, { startAfterCreate: true, waitForRunning: true });
    const r = await run<any>(stopVmRuntime, { uri, name, waitForStopped: true, timeToWait: 'PT60S' }, { abortAfterMs: 700 });
    expect(r.error?.code).toBe('CANCELLED');
    expect(r.error?.message).toContain('libvirt carries on');
    expect(r.elapsedMs).toBeLessThan(10_000); // not the 60 s of timeToWait
    expect(state(name)).toBe('running');
  });

  it('the task timeout bounds the wait before timeToWait does', async () => {
    const name = vm('deadline');
    await created(name, { startAfterCreate: true, waitForRunning: true });
    const r = await run<any>(stopVmRuntime, { uri, name, waitForStopped: true, timeToWait: 'PT60S' }, { deadline: Date.now() + 3_000 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toContain('the task timeout');
    expect(r.elapsedMs).toBeLessThan(10_000);
  });

  it('a new attempt after a worker restart resumes the wait without asking again', async () => {
    const name = vm('resume');
    await created(name);
    // The previous attempt "started" it and died; the domain is shut off (it crashed meanwhile).
    // Resuming must not boot it again: the wait sees SHUTOFF and fails fast.
    const r = await run<any>(
      startVmRuntime,
      { uri, name, waitForRunning: true },
      { resumeDetails: { op: 'start', name, startedAt: Date.now() - 1_000, state: 'started', elapsedMs: 0 } },
    );
    expect(r.error?.code).toBe('REMOTE_ERROR');
    expect(r.error?.message).toContain('became VIR_DOMAIN_SHUTOFF');
    expect(r.logs.map((l) => l.message).join('\n')).toContain('not starting it again');
    expect(state(name)).toBe('shut off');

    // A shutdown asked 2 minutes ago with timeToWait PT60S: the resumed wait does not start over.
    await run(startVmRuntime, { uri, name, waitForRunning: true });
    const late = await run<any>(
      stopVmRuntime,
      { uri, name, waitForStopped: true, timeToWait: 'PT60S' },
      { resumeDetails: { op: 'shutdown', name, startedAt: Date.now() - 120_000, state: 'requested', elapsedMs: 0 } },
    );
    expect(late.error?.code).toBe('TIMEOUT');
    expect(late.elapsedMs).toBeLessThan(8_000); // a wait started over would take 60 s
    expect(late.logs.map((l) => l.message).join('\n')).toContain('not asking again');
  });
});

describe('DeleteVm', () => {
  it('powers a running domain off and undefines it; a missing one fails or not as asked', async () => {
    const name = vm('del');
    await created(name, { startAfterCreate: true });
    const r = await run<any>(deleteVmRuntime, { uri, name });
    expect(r.outputs).toEqual({ name, deleted: true, deletedVolumes: [] });
    expect(virsh('list', '--all', '--name')).not.toContain(name);
    const missing = await run<any>(deleteVmRuntime, { uri, name });
    expect(missing.error?.code).toBe('NOT_FOUND');
    const tolerated = await run<any>(deleteVmRuntime, { uri, name, failIfNotFound: false });
    expect(tolerated.outputs).toEqual({ name, deleted: false, deletedVolumes: [] });
  });
});
