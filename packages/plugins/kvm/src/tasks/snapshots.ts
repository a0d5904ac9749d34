import { defineRuntime, withHeartbeat } from '@baton/plugin-sdk';
import { createSnapshotDefinition, deleteSnapshotDefinition, listSnapshotsDefinition, revertSnapshotDefinition } from '../definitions/snapshots';
import { isLibvirtError, VirErr } from '../libvirt/errors';
import { readProps, withClient } from '../session';
import { child, parseXml, textOf } from '../xml/parse';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const createSnapshotRuntime = defineRuntime(createSnapshotDefinition, async (ctx) => {
  const props = readProps(createSnapshotDefinition.props, ctx.props, createSnapshotDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await client.lookupByName(props.name);
    try {
      await client.lookupSnapshot(dom, props.snapshotName);
      ctx.logger.info(`snapshot '${props.snapshotName}' of domain '${dom.name}' exists already; not taking it again`);
      return { name: dom.name, snapshotName: props.snapshotName, created: false, state: (await client.getState(dom)).name };
    } catch (error) {
      if (!isLibvirtError(error, VirErr.NO_DOMAIN_SNAPSHOT)) throw error;
    }
    const xml = `<domainsnapshot><name>${escape(props.snapshotName)}</name>${props.description ? `<description>${escape(props.description)}</description>` : ''}</domainsnapshot>`;
    // Saving a running domain's memory can take a while: keep heartbeating through the call.
    const snap = await withHeartbeat(ctx, client.createSnapshot(dom, xml));
    ctx.logger.info(`snapshot '${snap.name}' of domain '${dom.name}' taken`);
    return { name: dom.name, snapshotName: snap.name, created: true, state: (await client.getState(dom)).name };
  });
});

const REVERT_FLAGS = { SNAPSHOT: 0, RUNNING: 1, PAUSED: 2 } as const;

export const revertSnapshotRuntime = defineRuntime(revertSnapshotDefinition, async (ctx) => {
  const props = readProps(revertSnapshotDefinition.props, ctx.props, revertSnapshotDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await client.lookupByName(props.name);
    const snap = await client.lookupSnapshot(dom, props.snapshotName);
    await withHeartbeat(ctx, client.revertToSnapshot(snap, REVERT_FLAGS[props.startAs]));
    const state = (await client.getState(dom)).name;
    ctx.logger.info(`domain '${dom.name}' reverted to snapshot '${snap.name}'; it is ${state}`);
    return { name: dom.name, snapshotName: snap.name, state };
  });
});

export const deleteSnapshotRuntime = defineRuntime(deleteSnapshotDefinition, async (ctx) => {
  const props = readProps(deleteSnapshotDefinition.props, ctx.props, deleteSnapshotDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await client.lookupByName(props.name);
    let snap;
    try {
      snap = await client.lookupSnapshot(dom, props.snapshotName);
    } catch (error) {
      if (!isLibvirtError(error, VirErr.NO_DOMAIN_SNAPSHOT) || props.failIfNotFound) throw error;
      ctx.logger.warn(`snapshot '${props.snapshotName}' of domain '${dom.name}' does not exist; nothing to delete`);
      return { name: dom.name, snapshotName: props.snapshotName, deleted: false };
    }
    await withHeartbeat(ctx, client.deleteSnapshot(snap, props.children ? 1 : 0));
    ctx.logger.info(`snapshot '${snap.name}' of domain '${dom.name}' deleted${props.children ? ' with its children' : ''}`);
    return { name: dom.name, snapshotName: snap.name, deleted: true };
  });
});

export const listSnapshotsRuntime = defineRuntime(listSnapshotsDefinition, async (ctx) => {
  const props = readProps(listSnapshotsDefinition.props, ctx.props, listSnapshotsDefinition.id);
  return withClient(ctx, props, async (client) => {
    const dom = await client.lookupByName(props.name);
    const snapshots = [];
    for (const snap of await client.listSnapshots(dom)) {
      const root = parseXml(await client.snapshotXml(snap));
      const created = Number(textOf(child(root, 'creationTime')));
      snapshots.push({
        name: snap.name,
        createdAt: Number.isFinite(created) && created > 0 ? new Date(created * 1000).toISOString() : undefined,
        state: textOf(child(root, 'state')) || undefined,
        description: textOf(child(root, 'description')) || undefined,
        parent: textOf(child(child(root, 'parent'), 'name')) || undefined,
        current: await client.isCurrentSnapshot(snap),
      });
    }
    snapshots.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name));
    return { snapshots, count: snapshots.length };
  });
});
