import { z } from '@baton/plugin-sdk';
import { connectionShape, vmNameProp, vmOutputShape, vmwareTask, waitTimeoutProp } from './common';

const waitNote =
  '- Waits for the vSphere task (polling, heartbeating); a worker restart during the wait resumes polling the same task instead of asking again; a kill stops the wait (vSphere carries on).';

const placementShape = {
  datastoreName: z.string().optional().describe('Datastore for the VM files (default: the first datastore).'),
  resourcePoolName: z.string().optional().describe('Resource pool (default: the first compute resource’s root pool).'),
  hostname: z.string().optional().describe('ESXi host to place the VM on (default: vSphere picks).'),
};

export const createVmDefinition = vmwareTask({
  name: 'vms.Create',
  kestra: 'CreateVm',
  title: 'Create a VMware VM',
  description: [
    'Creates an empty virtual machine (CreateVM_Task) in the first datacenter’s VM folder, on `datastoreName` / `resourcePoolName` / `hostname` or the first of each.',
    '',
    '- A VM of that name already there is left alone (`created: false`), so running it again is harmless.',
    '- `powerOn` starts it after creation.',
    waitNote,
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp,
    guestId: z.string().default('otherGuest64').describe('Guest OS identifier (e.g. ubuntu64Guest, otherGuest64).'),
    numCpu: z.coerce.number().int().min(1).default(1).describe('Virtual CPUs.'),
    memoryMB: z.coerce.number().int().min(4).default(512).describe('Memory in MiB.'),
    annotation: z.string().optional().describe('Notes shown in vSphere.'),
    powerOn: z.boolean().default(false).describe('Power the VM on once created.'),
    ...placementShape,
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ ...vmOutputShape, created: z.boolean().describe('False when a VM of that name existed already') }),
  idempotent: true,
  wait: true,
  example: { title: 'Create a small VM and power it on', body: '    vmName: web-01\n    guestId: ubuntu64Guest\n    numCpu: 2\n    memoryMB: 2048\n    powerOn: true\n' },
});

export const deleteVmDefinition = vmwareTask({
  name: 'vms.Delete',
  kestra: 'DeleteVm',
  title: 'Delete a VMware VM',
  description: [
    'Powers the VM off when it runs, then destroys it with its disks (Destroy_Task).',
    '',
    '- A missing VM fails unless `failIfNotFound: false` (then `deleted: false`).',
    waitNote,
  ].join('\n'),
  props: z.object({ ...connectionShape, vmName: vmNameProp, failIfNotFound: z.boolean().default(true).describe('Fail when no VM has that name.'), waitTimeout: waitTimeoutProp }),
  outputs: z.object({ vmName: z.string(), vmId: z.string().describe('Moref of the deleted VM (empty when none)'), deleted: z.boolean() }),
  idempotent: true,
  wait: true,
  example: { title: 'Delete a VM', body: '    vmName: web-01\n    failIfNotFound: false\n' },
});

function powerTask(name: string, kestra: string, title: string, what: string, doneKey: string, doneText: string) {
  return vmwareTask({
    name: `vms.${name}`,
    kestra,
    title,
    description: [what, '', waitNote].join('\n'),
    props: z.object({ ...connectionShape, vmName: vmNameProp, waitTimeout: waitTimeoutProp }),
    outputs: z.object({ ...vmOutputShape, [doneKey]: z.boolean().describe(doneText) }),
    idempotent: true,
    wait: true,
    example: { title, body: '    vmName: web-01\n' },
  });
}

export const startVmDefinition = powerTask(
  'Start',
  'StartVm',
  'Power on a VMware VM',
  'Powers the VM on (PowerOnVM_Task); a VM already on is left alone. A suspended VM resumes.',
  'started',
  'False when it was on already',
);
export const stopVmDefinition = powerTask(
  'Stop',
  'StopVm',
  'Power off a VMware VM',
  'Powers the VM off at once (PowerOffVM_Task, like pulling the plug); a VM already off is left alone.',
  'stopped',
  'False when it was off already',
);
export const resetVmDefinition = powerTask(
  'Reset',
  'ResetVm',
  'Reset a VMware VM',
  'Hard-resets a powered-on VM (ResetVM_Task). A VM that is not on is refused (CONFLICT).',
  'reset',
  'Always true',
);
export const suspendVmDefinition = powerTask(
  'Suspend',
  'SuspendVm',
  'Suspend a VMware VM',
  'Suspends a powered-on VM (SuspendVM_Task); a suspended VM is left alone, a powered-off one refused.',
  'suspended',
  'False when it was suspended already',
);

export const rebootVmDefinition = vmwareTask({
  name: 'vms.Reboot',
  kestra: 'RebootVm',
  title: 'Reboot a VMware VM’s guest',
  description: [
    'Asks the guest OS to restart through VMware Tools (RebootGuest) and returns once the request is accepted. The VM must be on.',
    '',
    '- Without Tools running in the guest it fails with advice, unless `force: true`: then the VM is reset (ResetVM_Task, a hard restart) and `hardReset` is true.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp,
    force: z.boolean().default(false).describe('Reset the VM when VMware Tools do not run in the guest (a hard restart).'),
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ ...vmOutputShape, rebooted: z.boolean(), hardReset: z.boolean().describe('True when the VM was reset instead (force, no Tools)') }),
  idempotent: false,
  wait: false,
  example: { title: 'Reboot a guest', body: '    vmName: web-01\n' },
});

export const updateVmDefinition = vmwareTask({
  name: 'vms.Update',
  kestra: 'UpdateVm',
  title: 'Reconfigure a VMware VM',
  description: ['Changes CPU count, memory, notes or the name (ReconfigVM_Task). Only the properties given change.', '', waitNote].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp,
    numCpu: z.coerce.number().int().min(1).optional().describe('New number of virtual CPUs.'),
    memoryMB: z.coerce.number().int().min(4).optional().describe('New memory in MiB.'),
    annotation: z.string().optional().describe('New notes.'),
    newName: z.string().min(1).optional().describe('Rename the VM.'),
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ ...vmOutputShape, numCpu: z.number().optional(), memoryMB: z.number().optional() }),
  idempotent: true,
  wait: true,
  example: { title: 'Give a VM more memory', body: '    vmName: web-01\n    memoryMB: 4096\n' },
});

export const vmListItem = z.object({
  vmName: z.string(),
  vmId: z.string(),
  uuid: z.string(),
  powerState: z.string(),
  template: z.boolean(),
  guestId: z.string().optional(),
  numCpu: z.number().optional(),
  memoryMB: z.number().optional(),
});

export const listVmsDefinition = vmwareTask({
  name: 'vms.List',
  kestra: 'ListVms',
  title: 'List VMware VMs',
  description: 'Lists the virtual machines (and templates) of the inventory through one property-collector call, optionally filtered by a name regex and power state.',
  props: z.object({
    ...connectionShape,
    nameRegex: z
      .string()
      .optional()
      .refine(
        (v) => {
          if (v === undefined) return true;
          try {
            new RegExp(v);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'nameRegex is not a valid regular expression' },
      )
      .describe('Keep only VMs whose name matches (JavaScript regex, unanchored).'),
    powerState: z.enum(['poweredOn', 'poweredOff', 'suspended']).optional().describe('Keep only VMs in this power state.'),
    includeTemplates: z.boolean().default(true).describe('Include templates.'),
  }),
  outputs: z.object({ vms: z.array(vmListItem), count: z.number() }),
  idempotent: true,
  wait: false,
  example: { title: 'List the powered-on web VMs', body: '    nameRegex: "^web-"\n    powerState: poweredOn\n' },
});

export const cloneVmDefinition = vmwareTask({
  name: 'vms.Clone',
  kestra: 'CloneVm',
  title: 'Clone a VMware VM',
  description: [
    'Clones `vmName` (a VM or a template) into a new VM `cloneName` in the same folder (CloneVM_Task; vCenter only: a standalone ESXi host refuses clones).',
    '',
    '- A VM named `cloneName` already there is left alone (`cloned: false`).',
    waitNote,
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    vmName: vmNameProp.describe('Source VM or template.'),
    cloneName: z.string().min(1, 'cloneName is required: the name of the new VM').describe('Name of the new VM.'),
    powerOn: z.boolean().default(false).describe('Power the clone on.'),
    ...placementShape,
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ ...vmOutputShape, cloned: z.boolean(), sourceVmId: z.string() }),
  idempotent: true,
  wait: true,
  example: { title: 'Clone a VM', body: '    vmName: web-01\n    cloneName: web-02\n    powerOn: true\n' },
});

export const cloneTemplateDefinition = vmwareTask({
  name: 'vms.CloneTemplate',
  kestra: 'CloneTemplate',
  title: 'Clone a VMware template',
  description: ['Copies the template `templateName` into a new template `targetTemplateName` (CloneVM_Task with template: true; vCenter only).', '', waitNote].join('\n'),
  props: z.object({
    ...connectionShape,
    templateName: z.string().min(1, 'templateName is required').describe('Source template.'),
    targetTemplateName: z.string().min(1, 'targetTemplateName is required').describe('Name of the new template.'),
    ...placementShape,
    waitTimeout: waitTimeoutProp,
  }),
  outputs: z.object({ ...vmOutputShape, cloned: z.boolean(), sourceVmId: z.string() }),
  idempotent: true,
  wait: true,
  example: { title: 'Copy a golden template', body: '    templateName: ubuntu-24.04-golden\n    targetTemplateName: ubuntu-24.04-golden-2026-12\n' },
});

export const convertToTemplateDefinition = vmwareTask({
  name: 'vms.ConvertToTemplate',
  kestra: 'ConvertToTemplate',
  title: 'Convert a VMware VM to a template',
  description: 'Marks a powered-off VM as a template (MarkAsTemplate). A template already is left alone; a VM that is on is refused with advice (StopVm first). vCenter only.',
  props: z.object({ ...connectionShape, vmName: vmNameProp }),
  outputs: z.object({ ...vmOutputShape, converted: z.boolean() }),
  idempotent: true,
  wait: false,
  example: { title: 'Turn a prepared VM into a template', body: '    vmName: ubuntu-golden\n' },
});
