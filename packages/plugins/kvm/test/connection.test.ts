// How the client reaches libvirtd and what each failure tells a person: the test driver served by
// the real daemon (test:///default), the read-only socket (a real permission error), qemu+tcp
// through a TCP listener, a daemon that is not there, and URIs not supported yet.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPluginTask as run } from '@baton/plugin-sdk/testing';
import { LibvirtClient } from '../src/libvirt/client';
import { fromRemoteError } from '../src/libvirt/errors';
import { createVmRuntime, deleteVmRuntime, getVmRuntime, listVmsRuntime, resumeVmRuntime, startVmRuntime, stopVmRuntime, suspendVmRuntime } from '../src/runtime';
import { ensureLibvirtd, tinyDomainXml } from './libvirtd';

let holder: LibvirtClient;
beforeAll(async () => {
  await ensureLibvirtd();
  // libvirtd keeps test:///default's state only while a connection to it is open; each task
  // opens and closes its own, so the test holds one open for the whole file.
  holder = await LibvirtClient.connect('test:///default');
}, 60_000);
afterAll(() => holder?.close());

describe("test:///default (libvirt's test driver, served by the daemon)", () => {
  const uri = 'test:///default';

  it('lists and reads the running domain the test driver starts with', async () => {
    const list = await run<any>(listVmsRuntime, { uri });
    expect(list.error).toBeUndefined();
    expect(list.outputs.vms).toContainEqual({ name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', state: 'VIR_DOMAIN_RUNNING', id: 1 });
    const vm = await run<any>(getVmRuntime, { uri, name: 'test' });
    expect(vm.outputs).toMatchObject({ name: 'test', state: 'VIR_DOMAIN_RUNNING', vcpus: 2, maxMemoryKiB: 8388608 });
  });

  it('runs a whole lifecycle: define, start, suspend, resume, stop, delete', async () => {
    const name = `unit-${Date.now().toString(36)}`;
    const xml = tinyDomainXml(name).replace("<domain type='qemu'>", "<domain type='test'>");
    const created = await run<any>(createVmRuntime, { uri, name, xmlDefinition: xml, startAfterCreate: true, waitForRunning: true });
    expect(created.error).toBeUndefined();
    expect(created.outputs).toMatchObject({ name, created: true, started: true, state: 'VIR_DOMAIN_RUNNING' });
    expect((await run<any>(suspendVmRuntime, { uri, name })).outputs.state).toBe('VIR_DOMAIN_PAUSED');
    expect((await run<any>(resumeVmRuntime, { uri, name })).outputs.state).toBe('VIR_DOMAIN_RUNNING');
    // The test driver shuts down at once on request.
    expect((await run<any>(stopVmRuntime, { uri, name, waitForStopped: true, timeToWait: 'PT5S' })).outputs).toMatchObject({ state: 'VIR_DOMAIN_SHUTOFF', stopped: true });
    expect((await run<any>(startVmRuntime, { uri, name })).outputs.started).toBe(true);
    expect((await run<any>(deleteVmRuntime, { uri, name })).outputs).toMatchObject({ deleted: true });
    expect((await run<any>(listVmsRuntime, { uri })).outputs.vms.map((v: any) => v.name)).not.toContain(name);
  });
});

describe('connection failures say what to do', () => {
  it('a daemon that is not there: UPSTREAM_UNAVAILABLE with how to start it', async () => {
    const r = await run<any>(listVmsRuntime, { uri: 'qemu:///system?socket=/tmp/baton-no-libvirtd.sock' });
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.message).toContain('libvirtd is not reachable for qemu:///system?socket=/tmp/baton-no-libvirtd.sock');
    expect(r.error?.message).toContain('libvirtd -d');
    expect(r.error?.retryable).toBe(true);
  });

  it('read-only access: PERMISSION_DENIED naming the fix', async () => {
    const uri = 'qemu:///system?socket=/var/run/libvirt/libvirt-sock-ro';
    expect((await run<any>(listVmsRuntime, { uri })).error).toBeUndefined(); // reading is allowed
    const r = await run<any>(createVmRuntime, { uri, name: 'ro-denied', xmlDefinition: tinyDomainXml('ro-denied') });
    expect(r.error?.code).toBe('PERMISSION_DENIED');
    expect(r.error?.message).toContain('read only access prevents virDomainDefineXML');
    expect(r.error?.message).toContain('libvirt group');
  });

  it('qemu+tcp reaches a daemon over TCP; a closed port says how to enable listen_tcp', async () => {
    // A TCP listener in front of the daemon's socket: what libvirtd --listen with auth_tcp = "none" offers.
    const proxy = net.createServer((client) => {
      const upstream = net.createConnection({ path: '/var/run/libvirt/libvirt-sock' });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as net.AddressInfo).port;
    try {
      const r = await run<any>(listVmsRuntime, { uri: `qemu+tcp://127.0.0.1:${port}/system` });
      expect(r.error).toBeUndefined();
      expect(Array.isArray(r.outputs.vms)).toBe(true);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
    const closed = await run<any>(listVmsRuntime, { uri: `qemu+tcp://127.0.0.1:${port}/system` });
    expect(closed.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(closed.error?.message).toContain('listen_tcp');
  });

  it('malformed URIs are refused with the way forward', async () => {
    const ssh = await run<any>(listVmsRuntime, { uri: 'qemu+libssh://root@hv1/system' });
    expect(ssh.error?.code).toBe('INVALID_PROPERTIES');
    expect(ssh.error?.message).toContain('write qemu+ssh://');
    const bad = await run<any>(listVmsRuntime, { uri: 'hv1.example.com' });
    expect(bad.error?.message).toContain('not a libvirt connection URI');
    const hostless = await run<any>(listVmsRuntime, { uri: 'qemu://hv1/system' });
    expect(hostless.error?.message).toContain('qemu+tcp://hv1/system');
  });

  it('a domain locked by another job (libvirt code 68) is a retryable CONFLICT that says to wait', () => {
    // libvirt raises this only after holding the lock for 30 s; the mapping is checked on its own.
    const error = fromRemoteError(
      { code: 68, domain: 10, level: 2, message: 'Timeout while waiting for a job: cannot acquire state change lock (held by monitor=remoteDispatchDomainSnapshotCreateXML)' },
      "starting domain 'web-01'",
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("starting domain 'web-01': Timeout while waiting for a job");
    expect(error.message).toContain('wait for it to finish');
  });
});
