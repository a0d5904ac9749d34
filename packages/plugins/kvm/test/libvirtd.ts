// The real libvirtd the KVM tests run against, started here when it is not running (as .ci/run
// and docs/kvm.md describe). Without the Debian packages the tests fail with the install command:
// they never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { LibvirtClient } from '../src/libvirt/client';

export const INSTALL_HINT =
  'Install the hypervisor stack: apt-get install --no-install-recommends libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils libxml2-utils ' +
  '(then the tests start virtlogd and libvirtd themselves, as root).';

async function reachable(): Promise<boolean> {
  try {
    const client = await LibvirtClient.connect('qemu:///system', { connectTimeoutMs: 2_000 });
    await client.close();
    return true;
  } catch {
    return false;
  }
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Makes sure a system libvirtd with the QEMU driver answers on /var/run/libvirt/libvirt-sock. */
export async function ensureLibvirtd(): Promise<void> {
  if (await reachable()) return;
  const missing = ['libvirtd', 'virtlogd', 'virsh', 'qemu-system-x86_64', 'qemu-img'].filter((c) => !has(c) && !fs.existsSync(`/usr/sbin/${c}`));
  if (missing.length) throw new Error(`libvirtd is not running and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing. ${INSTALL_HINT}`);
  if (os.userInfo().uid !== 0)
    throw new Error('libvirtd is not running, and starting the system daemon needs root: run the tests as root or start libvirtd yourself (systemctl start libvirtd).');
  // libvirtd refuses to start without the user QEMU runs as; the directories are not created by the packages without systemd.
  if (spawnSync('id', ['libvirt-qemu']).status !== 0) execFileSync('useradd', ['-r', '-s', '/usr/sbin/nologin', 'libvirt-qemu']);
  // Where /dev/kvm exists QEMU's user must be in the kvm group: otherwise libvirtd finds KVM "no
  // longer available" on every call and probes QEMU again (about 40 s per define).
  if (spawnSync('getent', ['group', 'kvm']).status === 0 && !execFileSync('id', ['-nG', 'libvirt-qemu'], { encoding: 'utf8' }).split(/\s+/).includes('kvm')) {
    execFileSync('usermod', ['-a', '-G', 'kvm', 'libvirt-qemu']);
  }
  fs.mkdirSync('/var/log/libvirt', { recursive: true });
  fs.mkdirSync('/var/run/libvirt', { recursive: true });
  if (spawnSync('pgrep', ['-x', 'virtlogd']).status !== 0) execFileSync('virtlogd', ['-d']);
  if (spawnSync('pgrep', ['-x', 'libvirtd']).status !== 0) execFileSync('libvirtd', ['-d']);
  for (let i = 0; i < 50; i++) {
    if (await reachable()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`libvirtd was started but does not answer on /var/run/libvirt/libvirt-sock; see /var/log/libvirt/libvirtd.log. ${INSTALL_HINT}`);
}

export const virsh = (...args: string[]) => execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });

/** A 64 MiB domain without disks (TCG, machine pc): defines and boots in about a second. */
export function tinyDomainXml(name: string, opts: { memoryMiB?: number; disk?: string; uuid?: string } = {}): string {
  return `<domain type='qemu'>
  <name>${name}</name>${opts.uuid ? `\n  <uuid>${opts.uuid}</uuid>` : ''}
  <memory unit='MiB'>${opts.memoryMiB ?? 64}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <features><acpi/></features>
  <devices>${
    opts.disk
      ? `
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${opts.disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>`
      : ''
  }
    <interface type='user'>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
`;
}

export const POOL = 'baton-test';
export const POOL_DIR = '/var/lib/libvirt/baton-test';

/** A directory storage pool for disks, snapshots and clones (created once, kept). */
export function ensurePool(): void {
  const names = (...flags: string[]) =>
    virsh('pool-list', ...flags, '--name')
      .split('\n')
      .map((s) => s.trim());
  if (!names('--all').includes(POOL)) {
    virsh('pool-define-as', POOL, 'dir', '--target', POOL_DIR);
    virsh('pool-build', POOL);
  }
  if (!names().includes(POOL)) virsh('pool-start', POOL);
}

/** An empty qcow2 volume in the test pool; returns its path. */
export function makeDisk(name: string, size = '16M'): string {
  virsh('vol-create-as', POOL, name, size, '--format', 'qcow2');
  return virsh('vol-path', '--pool', POOL, name).trim();
}

/** Removes every domain and volume whose name starts with `prefix`. */
export function cleanup(prefix: string): void {
  for (const name of virsh('list', '--all', '--name')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(prefix))) {
    spawnSync('virsh', ['-c', 'qemu:///system', 'destroy', name]);
    spawnSync('virsh', ['-c', 'qemu:///system', 'undefine', name, '--snapshots-metadata']);
  }
  const vols = spawnSync('virsh', ['-c', 'qemu:///system', 'vol-list', POOL], { encoding: 'utf8' }).stdout ?? '';
  for (const line of vols.split('\n')) {
    const vol = line.trim().split(/\s+/)[0];
    if (vol?.startsWith(prefix)) spawnSync('virsh', ['-c', 'qemu:///system', 'vol-delete', '--pool', POOL, vol]);
  }
}

export const uniquePrefix = () => `baton-t${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}-`;
