import { z } from '@baton/plugin-sdk';
import { connectionShape, vmNameProp, vmOutputShape, vmwareTask, waitTimeoutProp } from './common';

const waitNote = '- Waits for the vSphere task, heartbeating; a worker restart during the wait resumes polling the same task; a kill stops the wait (vSphere carries on).';
const snapshotNameProp = z.string().min(1, 'snapshotName is required').describe('Snapshot name (unique on the VM; two of the same name are refused as ambiguous).');

export const snapshotItem = z.object({
  snapshotName: z.string(),
  snapshotId: z.string().describe('Moref of the snapshot, e.g. snapshot-57'),
  description: z.string(),
  createTime: z.string(),
  powerState: z.string().describe('Power state captured'),
  current: z.boolean(),
  parentId: z.string().optional(),
});

export const createSnapshotDefinition = vmwareTask({
  name: 'snapshots.Create',
  kestra: 'CreateVmSnapshot',
  title: 'Snapshot a VMware VM',
  description: [
    'Takes a snapshot (CreateSnapshot_Task). Outputs are flat: `snapshotName`, `snapshotId`, `vmName`, `vmId`, ready for a later Restore or Delete.',
    '',
    '- `memory` captures RAM (powered-on VMs), `quiesce` asks VMware Tools to flush the guest file systems.',
    waitNote,
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp,
    snapshotName: snapshotNameProp,
    snapshotDescription: z.string().default('').describe('Description.'),
    memory: z.boolean().default(false).describe('Include the memory state (Kestra default false).'),
    quiesce: z.boolean().default(false).describe('Quiesce the guest file system (needs VMware Tools; Kestra default false).'),
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ vmName: z.string(), vmId: z.string(), snapshotName: z.string(), snapshotId: z.string() }),
  idempotent: false,
  wait: true,
  example: {
    title: 'Snapshot before patching',
    body: '    vmName: web-01\n    snapshotName: "pre-patch-{{ execution.id }}"\n    snapshotDescription: Before the monthly patch run\n',
  },
});

export const listSnapshotsDefinition = vmwareTask({
  name: 'snapshots.List',
  kestra: 'ListVmSnapshots',
  title: 'List a VMware VM’s snapshots',
  description: 'Lists the snapshot tree of a VM, flattened in creation order, with the current one marked.',
  props: z.object({ ...connectionShape, vmName: vmNameProp }),
  outputs: z.object({ vmName: z.string(), vmId: z.string(), snapshots: z.array(snapshotItem), count: z.number(), currentSnapshotId: z.string().optional() }),
  idempotent: true,
  wait: false,
  example: { title: 'List snapshots', body: '    vmName: web-01\n' },
});

export const restoreSnapshotDefinition = vmwareTask({
  name: 'snapshots.Restore',
  kestra: 'RestoreVmFromSnapshot',
  title: 'Revert a VMware VM to a snapshot',
  description: [
    'Reverts the VM to `snapshotName` (RevertToSnapshot_Task). With `suppressPowerOn` (default true) the VM stays off even when the snapshot captured it on.',
    '',
    waitNote,
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp,
    snapshotName: snapshotNameProp,
    suppressPowerOn: z.boolean().default(true).describe('Keep the VM powered off after the revert (Kestra default true).'),
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ ...vmOutputShape, snapshotName: z.string(), snapshotId: z.string() }),
  idempotent: true,
  wait: true,
  example: { title: 'Roll back after a failed patch', body: '    vmName: web-01\n    snapshotName: pre-patch\n    suppressPowerOn: false\n' },
});

export const deleteSnapshotDefinition = vmwareTask({
  name: 'snapshots.Delete',
  kestra: 'DeleteVmSnapshot',
  title: 'Delete a VMware VM snapshot',
  description: [
    'Removes `snapshotName` (RemoveSnapshot_Task), consolidating its disks into the VM. Children are kept unless `removeChildren`.',
    '',
    '- A missing snapshot fails unless `failIfNotFound: false` (then `deleted: false`).',
    waitNote,
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp,
    snapshotName: snapshotNameProp,
    removeChildren: z.boolean().default(false).describe('Remove the snapshots below it too.'),
    consolidate: z.boolean().default(true).describe('Consolidate the disks after removal.'),
    failIfNotFound: z.boolean().default(true).describe('Fail when the VM has no snapshot of that name.'),
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ vmName: z.string(), vmId: z.string(), snapshotName: z.string(), snapshotId: z.string(), deleted: z.boolean() }),
  idempotent: true,
  wait: true,
  example: { title: 'Clean up a snapshot after a good patch', body: '    vmName: web-01\n    snapshotName: pre-patch\n' },
});
