// Snapshots and clones need disks: small empty qcow2 volumes in a directory storage pool of the
// real libvirtd. Internal snapshots of a shut-off and of a running domain (with its memory),
// reverted both ways; a clone on a copy-on-write overlay, deleted with its storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { runPluginTask as run } from '@baton/plugin-sdk/testing';
import {
  cloneVmRuntime,
  createSnapshotRuntime,
  createVmRuntime,
  deleteSnapshotRuntime,
  deleteVmRuntime,
  getVmRuntime,
  listSnapshotsRuntime,
  revertSnapshotRuntime,
  startVmRuntime,
  stopVmRuntime,
} from '../src/runtime';
import { cleanup, ensureLibvirtd, ensurePool, makeDisk, tinyDomainXml, uniquePrefix, virsh } from './libvirtd';

const uri = 'qemu:///system';
const prefix = uniquePrefix();
const state = (name: string) => virsh('domstate', name).trim();

beforeAll(async () => {
  await ensureLibvirtd();
  ensurePool();
}, 60_000);
afterAll(() => cleanup(prefix), 120_000);

async function diskDomain(name: string) {
  const disk = makeDisk(`${name}.qcow2`);
  const r = await run<any>(createVmRuntime, { uri, name, xmlDefinition: tinyDomainXml(name, { disk }) });
  expect(r.error).toBeUndefined();
  return disk;
}

describe('snapshots', () => {
  it('create → list → revert → delete, on a shut-off and a running domain', async () => {
    const name = `${prefix}snap`;
    await diskDomain(name);
    const off = await run<any>(createSnapshotRuntime, { uri, name, snapshotName: 'cold', description: 'before anything' });
    expect(off.error).toBeUndefined();
    expect(off.outputs).toEqual({ name, snapshotName: 'cold', created: true, state: 'VIR_DOMAIN_SHUTOFF' });
    // Again (a retry): not taken twice.
    expect((await run<any>(createSnapshotRuntime, { uri, name, snapshotName: 'cold' })).outputs).toMatchObject({ created: false });

    await run(startVmRuntime, { uri, name, waitForRunning: true });
    const hot = await run<any>(createSnapshotRuntime, { uri, name, snapshotName: 'hot' });
    expect(hot.outputs).toMatchObject({ created: true, state: 'VIR_DOMAIN_RUNNING' });

    const listed = await run<any>(listSnapshotsRuntime, { uri, name });
    expect(listed.outputs.count).toBe(2);
    expect(listed.outputs.snapshots).toEqual([
      expect.objectContaining({ name: 'cold', state: 'shutoff', description: 'before anything', current: false }),
      expect.objectContaining({ name: 'hot', state: 'running', parent: 'cold', current: true }),
    ]);
    expect(listed.outputs.snapshots[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    // Power off, then back to the running snapshot (memory included): the domain runs again.
    await run(stopVmRuntime, { uri, name, force: true, waitForStopped: true });
    const toHot = await run<any>(revertSnapshotRuntime, { uri, name, snapshotName: 'hot' });
    expect(toHot.error).toBeUndefined();
    expect(toHot.outputs).toEqual({ name, snapshotName: 'hot', state: 'VIR_DOMAIN_RUNNING' });
    expect(state(name)).toBe('running');
    // Back to the cold one: shut off; asking for PAUSED starts it paused.
    expect((await run<any>(revertSnapshotRuntime, { uri, name, snapshotName: 'cold' })).outputs.state).toBe('VIR_DOMAIN_SHUTOFF');
    expect((await run<any>(revertSnapshotRuntime, { uri, name, snapshotName: 'cold', startAs: 'PAUSED' })).outputs.state).toBe('VIR_DOMAIN_PAUSED');

    const del = await run<any>(deleteSnapshotRuntime, { uri, name, snapshotName: 'hot' });
    expect(del.outputs).toEqual({ name, snapshotName: 'hot', deleted: true });
    const gone = await run<any>(deleteSnapshotRuntime, { uri, name, snapshotName: 'hot' });
    expect(gone.error?.code).toBe('NOT_FOUND');
    expect(gone.error?.message).toContain('ListSnapshots');
    expect((await run<any>(deleteSnapshotRuntime, { uri, name, snapshotName: 'hot', failIfNotFound: false })).outputs).toMatchObject({ deleted: false });
    expect((await run<any>(listSnapshotsRuntime, { uri, name })).outputs.snapshots.map((s: any) => s.name)).toEqual(['cold']);
    const missing = await run<any>(revertSnapshotRuntime, { uri, name, snapshotName: 'nope' });
    expect(missing.error?.code).toBe('NOT_FOUND');
  });

  it('a diskless domain cannot be snapshotted internally, and the error says so', async () => {
    const name = `${prefix}nodisk`;
    await run(createVmRuntime, { uri, name, xmlDefinition: tinyDomainXml(name), startAfterCreate: true });
    const r = await run<any>(createSnapshotRuntime, { uri, name, snapshotName: 's1' });
    expect(r.error).toBeDefined();
    expect(r.error?.message).toContain(`creating a snapshot of domain '${name}'`);
  });
});

describe('DeleteVm with deleteStorage', () => {
  it("deletes a type='volume' disk (pool and volume name) as well as file disks", async () => {
    const name = `${prefix}voldisk`;
    const path = makeDisk(`${name}.qcow2`);
    const xml = tinyDomainXml(name, { disk: path })
      .replace("<disk type='file' device='disk'>", "<disk type='volume' device='disk'>")
      .replace(`<source file='${path}'/>`, `<source pool='baton-test' volume='${name}.qcow2'/>`);
    expect((await run<any>(createVmRuntime, { uri, name, xmlDefinition: xml })).error).toBeUndefined();
    expect((await run<any>(getVmRuntime, { uri, name })).outputs.disks[0]).toMatchObject({ type: 'volume', pool: 'baton-test', source: `${name}.qcow2` });
    const r = await run<any>(deleteVmRuntime, { uri, name, deleteStorage: true });
    expect(r.outputs).toEqual({ name, deleted: true, deletedVolumes: [path] });
    expect(virsh('vol-list', 'baton-test')).not.toContain(`${name}.qcow2`);
  });
});

describe('CloneVm', () => {
  it('clones a shut-off template onto a qcow2 overlay with a new UUID and MAC, boots it, and DeleteVm removes its storage', async () => {
    const template = `${prefix}tpl`;
    const templateDisk = await diskDomain(template);
    const name = `${prefix}clone`;
    const r = await run<any>(cloneVmRuntime, { uri, templateName: template, name, startAfterClone: true, waitForRunning: true });
    expect(r.error).toBeUndefined();
    expect(r.outputs).toMatchObject({ name, state: 'VIR_DOMAIN_RUNNING' });
    expect(r.outputs.volumes).toHaveLength(1);
    const overlay = r.outputs.volumes[0];
    expect(overlay).toMatch(new RegExp(`${name}-vda\\.qcow2$`));
    // A real copy-on-write overlay backed by the template disk.
    const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', overlay], { encoding: 'utf8' }));
    expect(info).toMatchObject({ format: 'qcow2', 'backing-filename': templateDisk });

    const [t, c] = [(await run<any>(getVmRuntime, { uri, name: template })).outputs, (await run<any>(getVmRuntime, { uri, name })).outputs];
    expect(c.uuid).not.toBe(t.uuid);
    expect(c.interfaces[0].mac).not.toBe(t.interfaces[0].mac);
    expect(c.disks[0]).toMatchObject({ source: overlay, target: 'vda', format: 'qcow2' });

    const again = await run<any>(cloneVmRuntime, { uri, templateName: template, name });
    expect(again.error?.code).toBe('CONFLICT');

    // The template must be shut off. (While the clone runs QEMU holds the template disk's lock, so the clone stops first.)
    await run(stopVmRuntime, { uri, name, force: true, waitForStopped: true });
    expect((await run<any>(startVmRuntime, { uri, name: template, waitForRunning: true })).error).toBeUndefined();
    const busy = await run<any>(cloneVmRuntime, { uri, templateName: template, name: `${prefix}clone2` });
    expect(busy.error?.code).toBe('CONFLICT');
    expect(busy.error?.message).toContain('shut it off first');
    await run(stopVmRuntime, { uri, name: template, force: true });

    const deleted = await run<any>(deleteVmRuntime, { uri, name, deleteStorage: true });
    expect(deleted.outputs).toEqual({ name, deleted: true, deletedVolumes: [overlay] });
    expect(virsh('vol-list', 'baton-test')).not.toContain(`${name}-vda.qcow2`);
    expect(virsh('vol-list', 'baton-test')).toContain(`${template}.qcow2`);
  });
});
