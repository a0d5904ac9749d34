import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { createSnapshotDefinition, deleteSnapshotDefinition, listSnapshotsDefinition, restoreSnapshotDefinition } from '../definitions/snapshots';
import { readProps, runVimTask, vmOutput, withClient } from '../session';
import type { VimClient } from '../vim/client';
import { moRefOf, type MoRef } from '../vim/soap';
import { childrenNamed, element, textAt, type XmlElement } from '../vim/xml';

export interface SnapshotNode {
  snapshotName: string;
  snapshotId: string;
  description: string;
  createTime: string;
  powerState: string;
  current: boolean;
  parentId?: string;
}

/** The VM's snapshot tree (its `snapshot` property), flattened depth-first in creation order. */
export function flattenSnapshots(info: XmlElement | undefined): SnapshotNode[] {
  const current = textAt(info, 'currentSnapshot');
  const out: SnapshotNode[] = [];
  const walk = (nodes: XmlElement[], parentId?: string) => {
    for (const n of nodes) {
      const id = textAt(n, 'snapshot') ?? '';
      out.push({
        snapshotName: textAt(n, 'name') ?? '',
        snapshotId: id,
        description: textAt(n, 'description') ?? '',
        createTime: textAt(n, 'createTime') ?? '',
        powerState: textAt(n, 'state') ?? '',
        current: id === current,
        ...(parentId ? { parentId } : {}),
      });
      walk(childrenNamed(n, 'childSnapshotList'), id);
    }
  };
  walk(childrenNamed(info, 'rootSnapshotList'));
  return out;
}

async function snapshotsOf(client: VimClient, vm: MoRef): Promise<SnapshotNode[]> {
  return flattenSnapshots((await client.objectProps(vm, ['snapshot'])).get('snapshot'));
}

/** The snapshot of that name on the VM, undefined when none; two of the same name are ambiguous. */
async function findSnapshot(client: VimClient, vm: MoRef, vmName: string, name: string): Promise<SnapshotNode | undefined> {
  const matches = (await snapshotsOf(client, vm)).filter((s) => s.snapshotName === name);
  if (matches.length > 1) {
    throw new PluginError('CONFLICT', `VM '${vmName}' has ${matches.length} snapshots named '${name}' (${matches.map((m) => m.snapshotId).join(', ')}); delete or rename one`, {
      retryable: false,
    });
  }
  return matches[0];
}

async function mustFindSnapshot(client: VimClient, vm: MoRef, vmName: string, name: string): Promise<SnapshotNode> {
  const found = await findSnapshot(client, vm, vmName, name);
  if (!found) {
    const names = (await snapshotsOf(client, vm)).map((s) => s.snapshotName);
    throw new PluginError('NOT_FOUND', `VM '${vmName}' has no snapshot named '${name}' (it has: ${names.join(', ') || 'none'}); ListVmSnapshots shows them`, { retryable: false });
  }
  return found;
}

const snapshotRef = (id: string): MoRef => ({ type: 'VirtualMachineSnapshot', value: id });

export const createSnapshotRuntime = defineRuntime(createSnapshotDefinition, async (ctx) => {
  const props = readProps(createSnapshotDefinition.props, ctx.props, createSnapshotDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref } = await client.mustFindVm(props.vmName);
    const args = element('name', props.snapshotName) + element('description', props.snapshotDescription) + element('memory', props.memory) + element('quiesce', props.quiesce);
    const state = await runVimTask(
      ctx,
      client,
      { op: `snapshot:${props.snapshotName}`, vm: props.vmName, label: `snapshot '${props.snapshotName}'`, waitTimeout: props.waitTimeout },
      () => client.startTask('CreateSnapshot_Task', ref, args),
    );
    const id = moRefOf(state.result)?.value ?? (await mustFindSnapshot(client, ref, props.vmName, props.snapshotName)).snapshotId;
    ctx.logger.info(`snapshot '${props.snapshotName}' of '${props.vmName}' is ${id}`);
    return { vmName: props.vmName, vmId: ref.value, snapshotName: props.snapshotName, snapshotId: id };
  });
});

export const listSnapshotsRuntime = defineRuntime(listSnapshotsDefinition, async (ctx) => {
  const props = readProps(listSnapshotsDefinition.props, ctx.props, listSnapshotsDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref } = await client.mustFindVm(props.vmName);
    const snapshots = await snapshotsOf(client, ref);
    const current = snapshots.find((s) => s.current)?.snapshotId;
    return { vmName: props.vmName, vmId: ref.value, snapshots, count: snapshots.length, ...(current ? { currentSnapshotId: current } : {}) };
  });
});

export const restoreSnapshotRuntime = defineRuntime(restoreSnapshotDefinition, async (ctx) => {
  const props = readProps(restoreSnapshotDefinition.props, ctx.props, restoreSnapshotDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref } = await client.mustFindVm(props.vmName);
    const snap = await mustFindSnapshot(client, ref, props.vmName, props.snapshotName);
    await runVimTask(ctx, client, { op: `revert:${snap.snapshotId}`, vm: props.vmName, label: `revert to '${props.snapshotName}'`, waitTimeout: props.waitTimeout }, () =>
      client.startTask('RevertToSnapshot_Task', snapshotRef(snap.snapshotId), element('suppressPowerOn', props.suppressPowerOn)),
    );
    return { ...vmOutput(await client.vmInfo(ref)), snapshotName: props.snapshotName, snapshotId: snap.snapshotId };
  });
});

export const deleteSnapshotRuntime = defineRuntime(deleteSnapshotDefinition, async (ctx) => {
  const props = readProps(deleteSnapshotDefinition.props, ctx.props, deleteSnapshotDefinition.id);
  return withClient(ctx, props, async (client) => {
    const { ref } = await client.mustFindVm(props.vmName);
    const snap = props.failIfNotFound ? await mustFindSnapshot(client, ref, props.vmName, props.snapshotName) : await findSnapshot(client, ref, props.vmName, props.snapshotName);
    if (!snap) {
      ctx.logger.info(`VM '${props.vmName}' has no snapshot named '${props.snapshotName}'; nothing to delete`);
      return { vmName: props.vmName, vmId: ref.value, snapshotName: props.snapshotName, snapshotId: '', deleted: false };
    }
    await runVimTask(
      ctx,
      client,
      { op: `removeSnapshot:${snap.snapshotId}`, vm: props.vmName, label: `removal of snapshot '${props.snapshotName}'`, waitTimeout: props.waitTimeout },
      () => client.startTask('RemoveSnapshot_Task', snapshotRef(snap.snapshotId), element('removeChildren', props.removeChildren) + element('consolidate', props.consolidate)),
    );
    return { vmName: props.vmName, vmId: ref.value, snapshotName: props.snapshotName, snapshotId: snap.snapshotId, deleted: true };
  });
});
