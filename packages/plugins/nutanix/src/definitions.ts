import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_AHV, KESTRA_SNAPSHOT, connectionShape, example, flatVmShape, taskOutputs, vmExtIdProp, vmOutput, waitShape, withCredentials } from './common';

// The Nutanix AHV task definitions, with Kestra's names as aliases. Outputs are flat (`extId`,
// `snapshotExtId`, `taskExtId`); the nested objects (`vm`, `snapshot`) are there too so that the
// paths Kestra's docs and blueprint read (`outputs.x.vm.extId`, `outputs.x.snapshot.extId`) work.

const ACTIVITY = { timeout: 'PT1H', heartbeatTimeout: 'PT10S', retry: { maxAttempt: 3, interval: 'PT5S' } } as const;
const READ_ACTIVITY = { timeout: 'PT5M', heartbeatTimeout: 'PT10S', retry: { maxAttempt: 3, interval: 'PT2S' } } as const;

const vmSpec = z
  .looseObject({
    name: z.string().min(1).describe('VM name'),
    description: z.string().optional().describe('Description'),
    cluster: z.object({ extId: z.string().min(1).describe('Cluster extId') }).describe('Cluster to create the VM on'),
    numSockets: z.number().int().min(1).optional().describe('vCPU sockets (default 1)'),
    numCoresPerSocket: z.number().int().min(1).optional().describe('Cores per socket (default 1)'),
    numThreadsPerCore: z.number().int().min(1).optional().describe('Threads per core (default 1)'),
    memorySizeBytes: z.number().int().min(1).optional().describe('Memory in bytes (default 2 GiB)'),
    disks: z.array(z.unknown()).optional().describe('v4 Disk objects, e.g. `{backingInfo: {diskSizeBytes, dataSource: {reference: {imageExtId}}}}`'),
    nics: z.array(z.unknown()).optional().describe('v4 Nic objects, e.g. `{networkInfo: {subnet: {extId}}}`'),
  })
  .describe('The VM as Prism Central v4 takes it (`vmm.v4.ahv.config.Vm`); sent as given.');

export const createVmDefinition = definePlugin({
  id: 'nutanix.ahv.CreateVm',
  aliases: [`${KESTRA_AHV}.CreateVm`],
  title: 'Create an AHV VM',
  group: GROUP,
  description:
    'Creates a VM through Prism Central v4 (`POST /api/vmm/v4.3/ahv/config/vms`), waits for the Prism task, and optionally powers it on. A retry of the same attempt re-sends the same `NTNX-Request-Id`, so a lost answer never creates two VMs; a kill asks Prism to cancel the task.',
  props: withCredentials(z.object({ ...connectionShape, vm: vmSpec, powerOn: z.boolean().default(false).describe('Power the VM on once created.'), ...waitShape })),
  outputs: z.object({
    ...taskOutputs,
    extId: z.string().optional().describe('extId of the new VM (with wait)'),
    name: z.string().describe('Name of the VM'),
    powerState: z.string().optional().describe('Power state after the task'),
    vm: vmOutput.optional(),
  }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Create a VM from an image and power it on',
      flow: example(
        'nutanix-create-vm',
        `${KESTRA_AHV}.CreateVm`,
        `vm:
  name: app-01
  cluster:
    extId: 00061f7f-44f7-19dc-3be1-7cc25586ee44
  numSockets: 2
  memorySizeBytes: 4294967296
  disks:
    - backingInfo:
        diskSizeBytes: 21474836480
        dataSource:
          reference:
            imageExtId: 70cfd137-a8d9-4169-a5ac-cf9ad6ddb03a
powerOn: true`,
      ),
    },
  ],
});

export const startVmDefinition = definePlugin({
  id: 'nutanix.ahv.StartVm',
  aliases: [`${KESTRA_AHV}.StartVm`],
  title: 'Power an AHV VM on',
  group: GROUP,
  description: 'Powers a VM on (`$actions/power-on` with the ETag read just before) and waits for the task. A VM already ON is left alone (no task): the task is idempotent.',
  props: withCredentials(z.object({ ...connectionShape, vmExtId: vmExtIdProp, ...waitShape })),
  outputs: z.object({ ...taskOutputs, ...flatVmShape, changed: z.boolean().describe('False when the VM was already ON') }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [{ title: 'Start a VM', flow: example('nutanix-start-vm', `${KESTRA_AHV}.StartVm`, 'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01') }],
});

export const stopVmDefinition = definePlugin({
  id: 'nutanix.ahv.StopVm',
  aliases: [`${KESTRA_AHV}.StopVm`],
  title: 'Power an AHV VM off (graceful or hard)',
  group: GROUP,
  description: [
    'Stops a VM. `gracefully: false` (default) is a hard power off (`$actions/power-off`).',
    '`gracefully: true` asks the guest: through Nutanix Guest Tools with `guest: true` (`$actions/guest-shutdown`; the task fails when NGT is not installed or not reachable), or by an ACPI signal with `guest: false` (`$actions/shutdown`).',
    'A VM already OFF is left alone.',
  ].join('\n'),
  props: withCredentials(
    z.object({
      ...connectionShape,
      vmExtId: vmExtIdProp,
      gracefully: z.boolean().default(false).describe('Shut the guest OS down instead of cutting the power.'),
      guest: z.boolean().default(true).describe('With gracefully: through Nutanix Guest Tools (true) or ACPI (false).'),
      ...waitShape,
    }),
  ),
  outputs: z.object({
    ...taskOutputs,
    ...flatVmShape,
    changed: z.boolean().describe('False when the VM was already OFF'),
    method: z.string().describe('power-off, shutdown or guest-shutdown'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Shut a VM down through the guest tools',
      flow: example('nutanix-stop-vm', `${KESTRA_AHV}.StopVm`, 'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01\ngracefully: true'),
    },
  ],
});

export const deleteVmDefinition = definePlugin({
  id: 'nutanix.ahv.DeleteVm',
  aliases: [`${KESTRA_AHV}.DeleteVm`],
  title: 'Delete an AHV VM',
  group: GROUP,
  description: 'Deletes a VM (`DELETE .../vms/{extId}` with If-Match). With `failIfNotFound: false` a VM that is already gone is a success (`deleted: false`).',
  props: withCredentials(
    z.object({ ...connectionShape, vmExtId: vmExtIdProp, failIfNotFound: z.boolean().default(true).describe('Fail when the VM does not exist.'), ...waitShape }),
  ),
  outputs: z.object({ ...taskOutputs, vmExtId: z.string().describe('The VM'), deleted: z.boolean().describe('True when this task deleted it') }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [{ title: 'Delete a VM', flow: example('nutanix-delete-vm', `${KESTRA_AHV}.DeleteVm`, 'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01') }],
});

const listShape = {
  filter: z.string().optional().describe("OData `$filter`, e.g. `powerState eq 'ON'` or `startswith(name,'web')`."),
  orderBy: z.string().optional().describe('OData `$orderby`, e.g. `name desc`.'),
  limit: z.number().int().min(1).max(100).default(50).describe('Page size (`$limit`, at most 100).'),
  fetchAll: z.boolean().default(true).describe('Read every page (default) or only the first.'),
};

export const listVmsDefinition = definePlugin({
  id: 'nutanix.ahv.ListVms',
  aliases: [`${KESTRA_AHV}.ListVms`],
  title: 'List AHV VMs',
  group: GROUP,
  description: 'Lists VMs (`GET .../vms` with `$filter`, `$orderby`, paging). Outputs `vms` (each with `extId`, `name`, `powerState`, ...) and `total`.',
  props: withCredentials(z.object({ ...connectionShape, ...listShape })),
  outputs: z.object({
    vms: z.array(vmOutput).describe('The VMs'),
    total: z.number().int().describe('How many Prism reports for the filter'),
    count: z.number().int().describe('How many are in `vms`'),
  }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [{ title: 'List the running VMs', flow: example('nutanix-list-vms', `${KESTRA_AHV}.ListVms`, `filter: "powerState eq 'ON'"`) }],
});

export const getVmDefinition = definePlugin({
  id: 'nutanix.ahv.GetVm',
  aliases: [`${KESTRA_AHV}.GetVm`],
  title: 'Read one AHV VM',
  group: GROUP,
  description: 'Reads a VM by extId (`GET .../vms/{extId}`): flat `extId`, `name`, `powerState`, `etag`, and the whole `vm`.',
  props: withCredentials(z.object({ ...connectionShape, vmExtId: vmExtIdProp })),
  outputs: z.object({ ...flatVmShape, etag: z.string().optional().describe('The ETag Prism sent'), vm: vmOutput }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [{ title: 'Read a VM', flow: example('nutanix-get-vm', `${KESTRA_AHV}.GetVm`, 'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01') }],
});

export const cloneVmDefinition = definePlugin({
  id: 'nutanix.ahv.CloneVm',
  aliases: [`${KESTRA_AHV}.CloneVm`],
  title: 'Clone an AHV VM',
  group: GROUP,
  description:
    "Clones a VM (`$actions/clone`) with `cloneOverrides` (v4 CloneOverrideParams: `name`, `numSockets`, `numCoresPerSocket`, `memorySizeBytes`, `nics`). Outputs the clone's `extId`.",
  props: withCredentials(
    z.object({
      ...connectionShape,
      vmExtId: vmExtIdProp.describe('extId of the VM to clone'),
      cloneOverrides: z
        .looseObject({ name: z.string().min(1).optional().describe('Name of the clone') })
        .default({})
        .describe('What differs in the clone (CloneOverrideParams).'),
      ...waitShape,
    }),
  ),
  outputs: z.object({ ...taskOutputs, extId: z.string().optional().describe('extId of the clone'), sourceVmExtId: z.string().describe('The VM cloned'), vm: vmOutput.optional() }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    { title: 'Clone a VM', flow: example('nutanix-clone-vm', `${KESTRA_AHV}.CloneVm`, 'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01\ncloneOverrides:\n  name: web-01-staging') },
  ],
});

export const convertVmToTemplateDefinition = definePlugin({
  id: 'nutanix.ahv.ConvertVmToTemplate',
  aliases: [`${KESTRA_AHV}.ConvertVmToTemplate`],
  title: 'Make a template from an AHV VM',
  group: GROUP,
  description:
    'Creates a template from a VM (`POST /api/vmm/v4.3/content/templates`, version source = the VM). Prism keeps the source VM; delete it with DeleteVm for a true conversion. Outputs `templateExtId` and `templateVersionExtId` (what CloneTemplate takes).',
  props: withCredentials(
    z.object({
      ...connectionShape,
      vmExtId: vmExtIdProp,
      templateName: z.string().min(1).describe('Name of the template'),
      templateDescription: z.string().optional().describe('Description'),
      versionName: z.string().default('v1').describe('Name of the first version'),
      ...waitShape,
    }),
  ),
  outputs: z.object({
    ...taskOutputs,
    templateExtId: z.string().optional().describe('extId of the template'),
    templateVersionExtId: z.string().optional().describe('extId of its version'),
    templateName: z.string().describe('Name'),
  }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Make a golden image template',
      flow: example(
        'nutanix-vm-to-template',
        `${KESTRA_AHV}.ConvertVmToTemplate`,
        'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01\ntemplateName: golden-ubuntu-2204\nversionName: "2026-12"',
      ),
    },
  ],
});

export const cloneTemplateDefinition = definePlugin({
  id: 'nutanix.ahv.CloneTemplate',
  aliases: [`${KESTRA_AHV}.CloneTemplate`],
  title: 'Deploy a VM from a template',
  group: GROUP,
  description:
    "Deploys VMs from a template (`$actions/deploy`). Give `templateExtId` or `templateName`; `templateVersionExtId` picks a version (the active one otherwise); `vmConfigOverride` sets the new VM's `name`, `numSockets`, `memorySizeBytes`...",
  props: withCredentials(
    z.object({
      ...connectionShape,
      templateExtId: z.string().optional().describe('extId of the template'),
      templateName: z.string().optional().describe('Name of the template (when templateExtId is not given)'),
      templateVersionExtId: z.string().optional().describe('Version to deploy'),
      clusterExtId: z.string().optional().describe("Cluster for the VM (the template's otherwise)"),
      vmConfigOverride: z
        .looseObject({ name: z.string().min(1).optional() })
        .default({})
        .describe('What differs in the new VM'),
      ...waitShape,
    }),
  ).refine((v) => !!v.templateExtId || !!v.templateName, { path: ['templateExtId'], message: 'give templateExtId or templateName' }),
  outputs: z.object({ ...taskOutputs, extId: z.string().optional().describe('extId of the new VM'), templateExtId: z.string().describe('The template deployed') }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Deploy a VM from a template',
      flow: example('nutanix-clone-template', `${KESTRA_AHV}.CloneTemplate`, 'templateName: golden-ubuntu-2204\nvmConfigOverride:\n  name: app-02'),
    },
  ],
});

const snapshotOutput = z
  .looseObject({
    extId: z.string(),
    name: z.string(),
    recoveryPointType: z.string().optional(),
    expirationTime: z.string().optional(),
    vmRecoveryPointExtId: z.string().optional(),
  })
  .describe('The recovery point (nested copy of the flat outputs)');

export const createVmSnapshotDefinition = definePlugin({
  id: 'nutanix.ahv.snapshot.CreateVmSnapshot',
  aliases: [`${KESTRA_SNAPSHOT}.CreateVmSnapshot`],
  title: 'Snapshot an AHV VM (recovery point)',
  group: GROUP,
  description: [
    'Creates a recovery point of one VM (`POST /api/dataprotection/v4.4/config/recovery-points`) and waits for it.',
    '`consistency`: CRASH_CONSISTENT (default) or APPLICATION_CONSISTENT (the guest tools quiesce I/O; the task fails when NGT is not running). `expirationTime` (ISO-8601 date-time) makes Prism remove it then.',
    'Outputs `snapshotExtId` (what RestoreVmSnapshot and DeleteVmSnapshot take) flat, and `snapshot.extId` for flows that read the nested path.',
  ].join('\n'),
  props: withCredentials(
    z.object({
      ...connectionShape,
      vmExtId: vmExtIdProp,
      snapshotName: z.string().min(1).describe('Name of the recovery point'),
      consistency: z.enum(['CRASH_CONSISTENT', 'APPLICATION_CONSISTENT']).default('CRASH_CONSISTENT').describe('Crash- or application-consistent.'),
      expirationTime: z.iso.datetime({ offset: true }).optional().describe('When Prism removes it, e.g. 2026-12-31T00:00:00Z (none: kept until deleted).'),
      apiVersion: z.string().optional().describe("Kestra's property; Baton always uses Data Protection v4.4 and ignores it."),
      ...waitShape,
    }),
  ),
  outputs: z.object({
    ...taskOutputs,
    snapshotExtId: z.string().optional().describe('extId of the recovery point'),
    vmRecoveryPointExtId: z.string().optional().describe('extId of the VM recovery point inside it'),
    vmExtId: z.string().describe('The VM'),
    snapshot: snapshotOutput.optional(),
  }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Application-consistent snapshot that expires at the end of the year',
      flow: example(
        'nutanix-snapshot',
        `${KESTRA_SNAPSHOT}.CreateVmSnapshot`,
        'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01\nsnapshotName: "pre-patch-{{ execution.id }}"\nconsistency: APPLICATION_CONSISTENT\nexpirationTime: "2026-12-31T00:00:00Z"',
      ),
    },
  ],
});

export const listVmSnapshotsDefinition = definePlugin({
  id: 'nutanix.ahv.snapshot.ListVmSnapshots',
  aliases: [`${KESTRA_SNAPSHOT}.ListVmSnapshots`],
  title: 'List AHV VM recovery points',
  group: GROUP,
  description: 'Lists recovery points (`GET .../recovery-points`), of one VM with `vmExtId`, or by an OData `filter`. Expired ones are gone.',
  props: withCredentials(z.object({ ...connectionShape, vmExtId: z.string().optional().describe("Only this VM's recovery points"), ...listShape })),
  outputs: z.object({
    snapshots: z.array(snapshotOutput).describe('The recovery points'),
    total: z.number().int().describe('Total for the filter'),
    count: z.number().int().describe('How many are listed'),
  }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [{ title: "List a VM's snapshots", flow: example('nutanix-list-snapshots', `${KESTRA_SNAPSHOT}.ListVmSnapshots`, 'vmExtId: 4a7e2b1c-2f0d-4d4e-9f3a-5b6c7d8e9f01') }],
});

export const restoreVmSnapshotDefinition = definePlugin({
  id: 'nutanix.ahv.snapshot.RestoreVmSnapshot',
  aliases: [`${KESTRA_SNAPSHOT}.RestoreVmSnapshot`],
  title: 'Revert an AHV VM to a snapshot',
  group: GROUP,
  description:
    "Reverts the VM in place to a recovery point (`$actions/revert` with the VM recovery point inside `snapshotExtId`); the VM is OFF afterwards, so `powerOn: true` starts it again. `restoreSpec` (Kestra's) is accepted and passed as `overrideSpec`.",
  props: withCredentials(
    z.object({
      ...connectionShape,
      snapshotExtId: z.string().min(1).describe("extId of the recovery point (CreateVmSnapshot's `snapshotExtId`)"),
      vmExtId: z.string().optional().describe("The VM to revert (the recovery point's VM by default)"),
      restoreSpec: z.record(z.string(), z.unknown()).optional().describe('Passed to Prism as RevertParams.overrideSpec'),
      powerOn: z.boolean().default(false).describe('Power the VM on after the revert'),
      ...waitShape,
    }),
  ),
  outputs: z.object({
    ...taskOutputs,
    vmExtId: z.string().describe('The VM reverted'),
    snapshotExtId: z.string().describe('The recovery point'),
    powerState: z.string().optional().describe('Power state after the task'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    { title: 'Roll a VM back', flow: example('nutanix-restore', `${KESTRA_SNAPSHOT}.RestoreVmSnapshot`, 'snapshotExtId: 9d3c6a9e-1b7f-4c39-8f6e-2a1b3c4d5e6f\npowerOn: true') },
  ],
});

export const deleteVmSnapshotDefinition = definePlugin({
  id: 'nutanix.ahv.snapshot.DeleteVmSnapshot',
  aliases: [`${KESTRA_SNAPSHOT}.DeleteVmSnapshot`],
  title: 'Delete an AHV VM snapshot',
  group: GROUP,
  description:
    'Deletes a recovery point (`DELETE .../recovery-points/{extId}` with If-Match). One already gone (deleted or expired) is a success with `deleted: false` unless `failIfNotFound`.',
  props: withCredentials(
    z.object({
      ...connectionShape,
      snapshotExtId: z.string().min(1).describe('extId of the recovery point'),
      failIfNotFound: z.boolean().default(false).describe('Fail when it does not exist'),
      ...waitShape,
    }),
  ),
  outputs: z.object({ ...taskOutputs, snapshotExtId: z.string().describe('The recovery point'), deleted: z.boolean().describe('True when this task deleted it') }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    { title: 'Delete a snapshot', flow: example('nutanix-delete-snapshot', `${KESTRA_SNAPSHOT}.DeleteVmSnapshot`, 'snapshotExtId: 9d3c6a9e-1b7f-4c39-8f6e-2a1b3c4d5e6f') },
  ],
});
