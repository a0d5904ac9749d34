import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { cloneVmDefinition } from '../definitions/clone';
import type { LibvirtClient } from '../libvirt/client';
import { isLibvirtError, VirErr } from '../libvirt/errors';
import { DomainState, type StorageVolRef } from '../libvirt/protocol';
import { findDomain, readProps, vmSummary, withClient } from '../session';
import { child, children, parseXml, serializeXml, type XmlElement } from '../xml/parse';
import { startDomain } from './lifecycle';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** A qcow2 overlay volume backed by `backingPath`, as libvirt's storage XML describes it. */
function overlayXml(name: string, capacity: number, backingPath: string, backingFormat: string): string {
  return `<volume>
  <name>${escape(name)}</name>
  <capacity unit='bytes'>${capacity}</capacity>
  <target><format type='qcow2'/></target>
  <backingStore><path>${escape(backingPath)}</path><format type='${escape(backingFormat)}'/></backingStore>
</volume>`;
}

/** Creates (or, after a lost attempt, reuses) the overlay of one template disk; returns its path. */
async function overlayFor(client: LibvirtClient, disk: XmlElement, cloneName: string): Promise<string> {
  const source = child(disk, 'source');
  const templatePath = source?.attrs.file;
  const target = child(disk, 'target')?.attrs.dev ?? 'disk';
  if (!templatePath)
    throw new PluginError('CONFLICT', `template disk ${target} is not a file disk; CloneVm supports file-backed qcow2 disks in a storage pool`, { retryable: false });
  const format = child(disk, 'driver')?.attrs.type ?? 'raw';
  const templateVol = await client.volByPath(templatePath);
  const pool = await client.poolOfVol(templateVol);
  const { capacity } = await client.volInfo(templateVol);
  const volName = `${cloneName}-${target}.qcow2`;
  let vol: StorageVolRef;
  try {
    vol = await client.createVol(pool, overlayXml(volName, capacity, templatePath, format), volName);
  } catch (error) {
    // Left by an earlier attempt that died before defining the clone: reuse it.
    if (!isLibvirtError(error, VirErr.STORAGE_VOL_EXIST) && !/already exists|exists already/i.test((error as Error).message)) throw error;
    vol = await client.volByName(pool, volName);
  }
  return client.volPath(vol);
}

export const cloneVmRuntime = defineRuntime(cloneVmDefinition, async (ctx) => {
  const props = readProps(cloneVmDefinition.props, ctx.props, cloneVmDefinition.id);
  return withClient(ctx, props, async (client) => {
    const template = await client.lookupByName(props.templateName);
    if (await findDomain(client, props.name)) {
      throw new PluginError('CONFLICT', `domain '${props.name}' exists already on ${client.uri}; choose another name or delete it first (DeleteVm)`, { retryable: false });
    }
    const { state, name: stateName } = await client.getState(template);
    if (state !== DomainState.SHUTOFF) {
      throw new PluginError('CONFLICT', `template '${props.templateName}' is ${stateName}; shut it off first (its disks must not change under the clone's overlays)`, {
        retryable: false,
      });
    }
    const root = parseXml(await client.getXml(template, true));
    // The clone's identity: its name, a UUID libvirt makes, MAC addresses libvirt makes.
    const nameEl = child(root, 'name');
    if (nameEl) nameEl.text = props.name;
    root.children = root.children.filter((c) => c.name !== 'uuid');
    const devices = child(root, 'devices');
    for (const nic of children(devices, 'interface')) nic.children = nic.children.filter((c) => c.name !== 'mac' && c.name !== 'target');
    const volumes: string[] = [];
    for (const disk of children(devices, 'disk')) {
      if ((disk.attrs.device ?? 'disk') !== 'disk') continue; // CD-ROMs are shared read-only
      const path = await overlayFor(client, disk, props.name);
      volumes.push(path);
      const driver = child(disk, 'driver');
      if (driver) driver.attrs.type = 'qcow2';
      child(disk, 'source')!.attrs.file = path;
      disk.children = disk.children.filter((c) => c.name !== 'backingStore');
      ctx.logger.info(`overlay ${path} backed by the template's ${child(disk, 'target')?.attrs.dev ?? 'disk'}`);
    }
    const dom = await client.defineXml(serializeXml(root), props.name);
    ctx.logger.info(`domain '${dom.name}' cloned from '${props.templateName}'`);
    if (props.startAfterClone) await startDomain(ctx, client, dom, { wait: props.waitForRunning, timeToWait: props.timeToWait });
    return { ...(await vmSummary(client, dom)), volumes };
  });
});
