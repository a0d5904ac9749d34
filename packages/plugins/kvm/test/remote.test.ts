// qemu+ssh against a real OpenSSH server started here on a loopback port (its own host key, one
// authorised key, root), reaching the real libvirtd through virt-ssh-helper on the "remote" side,
// as libvirt's own client does. The key comes from a property (a secret in a flow) and goes to a
// 0600 file for the ssh client; the host key is checked against `knownHosts`. Each failure — a key
// refused, a host key that does not match, nobody listening — says what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPluginTask as run } from '@baton/plugin-sdk/testing';
import { listVmsRuntime } from '../src/runtime';
import { vmEventTriggerRuntime } from '../src/vm-events';
import { ensureLibvirtd } from './libvirtd';
import { startSshd, type Sshd } from './sshd';

let sshd: Sshd;
beforeAll(async () => {
  await ensureLibvirtd();
  sshd = await startSshd();
}, 120_000);
afterAll(() => sshd?.stop());

const uri = () => `qemu+ssh://root@127.0.0.1:${sshd.port}/system`;

describe('qemu+ssh through a real sshd', () => {
  it('lists the domains of the daemon behind ssh, with the key and known_hosts from properties', async () => {
    const local = await run<any>(listVmsRuntime, { uri: 'qemu:///system' });
    const remote = await run<any>(listVmsRuntime, { uri: uri(), sshPrivateKey: sshd.clientKey, knownHosts: sshd.knownHosts });
    expect(remote.error).toBeUndefined();
    expect(remote.outputs.vms.map((v: any) => v.uuid).sort()).toEqual(local.outputs.vms.map((v: any) => v.uuid).sort());
  }, 60_000);

  it('no_verify=1 connects without checking the host key, and warns loudly', async () => {
    const result = await run<any>(listVmsRuntime, { uri: `${uri()}?no_verify=1`, sshPrivateKey: sshd.clientKey });
    expect(result.error).toBeUndefined();
    expect(JSON.stringify(result.logs)).toMatch(/host key of 127\.0\.0\.1 is NOT checked/);
  }, 60_000);

  it('a key the host does not accept: AUTHENTICATION, saying where the public key goes', async () => {
    const result = await run<any>(listVmsRuntime, { uri: uri(), sshPrivateKey: sshd.strangerKey, knownHosts: sshd.knownHosts });
    expect(result.error?.code).toBe('AUTHENTICATION');
    expect(result.error?.message).toContain('refused the key');
    expect(result.error?.message).toContain('authorized_keys');
  }, 60_000);

  it('a host key that differs from knownHosts: AUTHENTICATION, saying it may be an interception', async () => {
    const result = await run<any>(listVmsRuntime, { uri: uri(), sshPrivateKey: sshd.clientKey, knownHosts: sshd.wrongKnownHosts });
    expect(result.error?.code).toBe('AUTHENTICATION');
    expect(result.error?.message).toContain('host key');
    expect(result.error?.message).toContain('intercepting');
  }, 60_000);

  it('nobody listening on the port: UPSTREAM_UNAVAILABLE, saying to check host, port and sshd', async () => {
    const result = await run<any>(listVmsRuntime, { uri: `qemu+ssh://root@127.0.0.1:1/system`, sshPrivateKey: sshd.clientKey, knownHosts: sshd.knownHosts });
    expect(result.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(result.error?.message).toContain('could not reach');
    expect(result.error?.message).toContain('sshd runs there');
  }, 60_000);

  it('the VM event trigger listens to lifecycle events over ssh too', async () => {
    const result = await vmEventTriggerRuntime.poll({ uri: uri(), sshPrivateKey: sshd.clientKey, knownHosts: sshd.knownHosts, interval: 'PT1S' }, undefined, {
      now: new Date(),
      signal: new AbortController().signal,
    });
    expect(result.listened).toBe(true);
    expect(result.note).toMatch(/first poll/);
  }, 60_000);
});
