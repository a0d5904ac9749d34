import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, QUICK_ACTIVITY, WAIT_ACTIVITY, connectionShape, nameProp, stateOutput } from './common';

const snapshotNameProp = z
  .string()
  .min(1, 'snapshotName is required')
  .regex(/^[^/]+$/, "a snapshot name cannot contain '/'")
  .describe('Snapshot name.');

export const createSnapshotDefinition = definePlugin({
  id: 'kvm.snapshots.Create',
  aliases: [`${KESTRA_PREFIX}.CreateSnapshot`],
  title: 'Snapshot a KVM domain',
  group: GROUP,
  description: [
    "Takes an internal snapshot (virDomainSnapshotCreateXML): the disks' state inside their qcow2 images and, for a running domain, its memory. Every disk must be qcow2.",
    '',
    '- A snapshot of that name already there is returned as it is (`created: false`): running the task again (a retry after a worker restart) does not snapshot twice.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    snapshotName: snapshotNameProp,
    description: z.string().optional().describe('Free text kept with the snapshot.'),
  }),
  outputs: z.object({
    name: z.string().describe('Domain name'),
    snapshotName: z.string().describe('Snapshot name'),
    created: z.boolean().describe('False when it existed already'),
    state: stateOutput,
  }),
  idempotent: true,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Snapshot before patching, revert when the patch fails',
      flow: `id: kvm-patch-with-snapshot
namespace: infra.kvm
tasks:
  - id: snapshot
    type: io.kestra.plugin.kvm.CreateSnapshot
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    snapshotName: "before-patch-{{ execution.id }}"
    description: before the monthly patch
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching web-01
errors:
  - id: revert
    type: io.kestra.plugin.kvm.RevertSnapshot
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    snapshotName: "before-patch-{{ execution.id }}"
`,
    },
  ],
});

export const revertSnapshotDefinition = definePlugin({
  id: 'kvm.snapshots.Revert',
  aliases: [`${KESTRA_PREFIX}.RevertSnapshot`],
  title: 'Revert a KVM domain to a snapshot',
  group: GROUP,
  description: [
    'Reverts the domain to a snapshot (virDomainRevertToSnapshot): disks and, when the snapshot holds memory, the running state come back.',
    '',
    '- `startAs`: `SNAPSHOT` (as the snapshot was), `RUNNING` or `PAUSED`. Reverting again to the same snapshot is harmless.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    snapshotName: snapshotNameProp,
    startAs: z.enum(['SNAPSHOT', 'RUNNING', 'PAUSED']).default('SNAPSHOT').describe('State after the revert: as in the snapshot, running or paused.'),
  }),
  outputs: z.object({ name: z.string().describe('Domain name'), snapshotName: z.string().describe('Snapshot name'), state: stateOutput }),
  idempotent: true,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Revert a VM to a known-good snapshot and run it',
      flow: `id: kvm-revert
namespace: infra.kvm
tasks:
  - id: revert
    type: io.kestra.plugin.kvm.RevertSnapshot
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    snapshotName: golden
    startAs: RUNNING
`,
    },
  ],
});

export const deleteSnapshotDefinition = definePlugin({
  id: 'kvm.snapshots.Delete',
  aliases: [`${KESTRA_PREFIX}.DeleteSnapshot`],
  title: 'Delete a snapshot of a KVM domain',
  group: GROUP,
  description:
    'Deletes a snapshot (virDomainSnapshotDelete); `children` deletes its descendants too. `failIfNotFound: false` makes a missing snapshot a success (`deleted: false`).',
  props: z.object({
    ...connectionShape,
    name: nameProp,
    snapshotName: snapshotNameProp,
    children: z.boolean().default(false).describe('Also delete the snapshots taken from this one.'),
    failIfNotFound: z.boolean().default(true).describe('Fail when the snapshot does not exist.'),
  }),
  outputs: z.object({ name: z.string().describe('Domain name'), snapshotName: z.string().describe('Snapshot name'), deleted: z.boolean().describe('False when it did not exist') }),
  idempotent: true,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Drop the snapshot once the change is confirmed',
      flow: `id: kvm-snapshot-cleanup
namespace: infra.kvm
tasks:
  - id: drop
    type: io.kestra.plugin.kvm.DeleteSnapshot
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    snapshotName: before-patch
    failIfNotFound: false
`,
    },
  ],
});

export const listSnapshotsDefinition = definePlugin({
  id: 'kvm.snapshots.List',
  aliases: [`${KESTRA_PREFIX}.ListSnapshots`],
  title: 'List the snapshots of a KVM domain',
  group: GROUP,
  description: 'Lists the snapshots of a domain, oldest first, with creation time, the domain state they hold, their description and which one is current.',
  props: z.object({ ...connectionShape, name: nameProp }),
  outputs: z.object({
    snapshots: z
      .array(
        z.object({
          name: z.string().describe('Snapshot name'),
          createdAt: z.string().optional().describe('Creation time (ISO-8601)'),
          state: z.string().optional().describe('Domain state held by the snapshot: running, shutoff, ...'),
          description: z.string().optional().describe('Description'),
          parent: z.string().optional().describe('Parent snapshot'),
          current: z.boolean().describe('True for the current snapshot'),
        }),
      )
      .describe('The snapshots'),
    count: z.number().int().describe('How many'),
  }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: 'List snapshots',
      flow: `id: kvm-snapshots
namespace: infra.kvm
tasks:
  - id: snapshots
    type: io.kestra.plugin.kvm.ListSnapshots
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
`,
    },
  ],
});
