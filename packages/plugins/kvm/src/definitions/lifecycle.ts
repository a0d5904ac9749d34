import { definePlugin, z } from '@baton/plugin-sdk';
import { EXAMPLE_XML, GROUP, KESTRA_PREFIX, QUICK_ACTIVITY, WAIT_ACTIVITY, connectionShape, nameProp, timeToWaitProp, vmOutputShape, xmlDefinitionProp } from './common';

export const createVmDefinition = definePlugin({
  id: 'kvm.vms.Create',
  aliases: [`${KESTRA_PREFIX}.CreateVm`],
  title: 'Define (create or update) a KVM domain',
  group: GROUP,
  description: [
    'Defines a libvirt domain from `xmlDefinition` (virDomainDefineXML): a new domain is created, an existing one with the same name and UUID gets the new persistent definition (applied at its next boot).',
    '',
    "- The XML is checked before it is sent (syntax with line and column, the essentials, and libvirt's RelaxNG schema where `xmllint` is installed on the worker); its `<name>` must equal `name`.",
    '- `startAfterCreate` boots it when it is not running already; with `waitForRunning` the task waits for VIR_DOMAIN_RUNNING (`timeToWait`).',
    '- A domain of that name with another UUID is a conflict (delete it first or drop `<uuid>`).',
    '- **Idempotent**: running it again leaves the same definition and does not boot a running domain twice.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    xmlDefinition: xmlDefinitionProp,
    startAfterCreate: z.boolean().default(false).describe('Boot the domain after defining it when it is not running (Kestra default false).'),
    waitForRunning: z.boolean().default(false).describe('With startAfterCreate, wait until the domain is VIR_DOMAIN_RUNNING.'),
    timeToWait: timeToWaitProp,
  }),
  outputs: z.object({
    ...vmOutputShape,
    created: z.boolean().describe('True when the domain did not exist before this task'),
    started: z.boolean().describe('True when this task booted it'),
  }),
  idempotent: true,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Define a VM from XML and boot it',
      flow: `id: kvm-create
namespace: infra.kvm
inputs:
  - id: name
    type: STRING
    defaults: web-01
tasks:
  - id: create_vm
    type: io.kestra.plugin.kvm.CreateVm
    uri: "{{ secret('KVM_URI') }}"
    name: "{{ inputs.name }}"
    startAfterCreate: true
    waitForRunning: true
    xmlDefinition: |
      ${EXAMPLE_XML}
    workerGroup:
      key: hypervisor-a
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.create_vm.name }} ({{ outputs.create_vm.uuid }}) is {{ outputs.create_vm.state }}"
`,
    },
  ],
});

export const startVmDefinition = definePlugin({
  id: 'kvm.vms.Start',
  aliases: [`${KESTRA_PREFIX}.StartVm`],
  title: 'Start a KVM domain',
  group: GROUP,
  description: [
    'Boots a defined domain (virDomainCreate) unless it is running already.',
    '',
    '- `waitForRunning` waits until VIR_DOMAIN_RUNNING for at most `timeToWait`, polling with a growing interval (0.1 s to 2 s) and heartbeating its progress. It fails at once when the domain turns PAUSED, CRASHED or SHUTOFF instead.',
    '- A paused domain is not started: use ResumeVm.',
    '- A worker restart during the wait resumes waiting without booting again; a kill stops the wait.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    waitForRunning: z.boolean().default(false).describe('Wait until the domain is VIR_DOMAIN_RUNNING (Kestra default false).'),
    timeToWait: timeToWaitProp,
  }),
  outputs: z.object({ ...vmOutputShape, started: z.boolean().describe('False when it was running already') }),
  idempotent: true,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Start a VM and wait until it runs',
      flow: `id: kvm-start
namespace: infra.kvm
tasks:
  - id: start_vm
    type: io.kestra.plugin.kvm.StartVm
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    waitForRunning: true
    timeToWait: PT2M
`,
    },
  ],
});

export const stopVmDefinition = definePlugin({
  id: 'kvm.vms.Stop',
  aliases: [`${KESTRA_PREFIX}.StopVm`],
  title: 'Stop a KVM domain',
  group: GROUP,
  description: [
    'Shuts a domain down: gracefully by default (virDomainShutdown: ACPI power button or guest agent, the guest decides), or at once with `force` (virDomainDestroy: like pulling the plug).',
    '',
    '- `waitForStopped` waits until VIR_DOMAIN_SHUTOFF for at most `timeToWait`, heartbeating; it fails early when the domain turns PAUSED or CRASHED. A guest that ignores the shutdown request times out: use `force`.',
    '- A domain already shut off is left alone. A worker restart during the wait resumes it without asking again; a kill stops the wait (the guest may still shut down).',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    force: z.boolean().default(false).describe('Destroy (hard power off) instead of a graceful shutdown.'),
    waitForStopped: z.boolean().default(false).describe('Wait until the domain is VIR_DOMAIN_SHUTOFF.'),
    timeToWait: timeToWaitProp,
  }),
  outputs: z.object({ ...vmOutputShape, stopped: z.boolean().describe('False when it was shut off already') }),
  idempotent: true,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Shut a VM down gracefully and wait',
      flow: `id: kvm-stop
namespace: infra.kvm
tasks:
  - id: stop_vm
    type: io.kestra.plugin.kvm.StopVm
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    waitForStopped: true
    timeToWait: PT3M
`,
    },
  ],
});

export const updateVmDefinition = definePlugin({
  id: 'kvm.vms.Update',
  aliases: [`${KESTRA_PREFIX}.UpdateVm`],
  title: 'Update the definition of a KVM domain',
  group: GROUP,
  description: [
    "Replaces the persistent definition of an existing domain with `xmlDefinition` (checked like CreateVm's). A running domain keeps its live configuration until it restarts; `restart` restarts it now (destroy, then start) when it is running or paused.",
    '',
    "- The domain must exist (CreateVm creates one); the XML's `<name>` must equal `name`.",
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    xmlDefinition: xmlDefinitionProp,
    restart: z.boolean().default(false).describe('Restart a running or paused domain so the new definition applies now (Kestra default false).'),
  }),
  outputs: z.object({ ...vmOutputShape, wasRestarted: z.boolean().describe('True when this task restarted the domain') }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: 'Give a VM more memory and restart it',
      flow: `id: kvm-update
namespace: infra.kvm
inputs:
  - id: name
    type: STRING
    defaults: web-01
tasks:
  - id: update_vm
    type: io.kestra.plugin.kvm.UpdateVm
    uri: "{{ secret('KVM_URI') }}"
    name: "{{ inputs.name }}"
    restart: true
    xmlDefinition: |
      ${EXAMPLE_XML.replace('512', '1024')}
`,
    },
  ],
});

export const deleteVmDefinition = definePlugin({
  id: 'kvm.vms.Delete',
  aliases: [`${KESTRA_PREFIX}.DeleteVm`],
  title: 'Delete a KVM domain',
  group: GROUP,
  description: [
    'Forces the domain off when it runs, then undefines it with its snapshot metadata, managed-save image and NVRAM.',
    '',
    '- `deleteStorage` also deletes its disk volumes (disks that belong to a libvirt storage pool; CD-ROMs are kept). A disk outside any pool is kept and named in the log.',
    '- `failIfNotFound: false` makes a missing domain a success (`deleted: false`).',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    name: nameProp,
    deleteStorage: z.boolean().default(false).describe('Also delete the disk volumes of the domain.'),
    failIfNotFound: z.boolean().default(true).describe('Fail when the domain does not exist (Kestra default true).'),
  }),
  outputs: z.object({
    name: z.string().describe('Domain name'),
    deleted: z.boolean().describe('False when the domain did not exist'),
    deletedVolumes: z.array(z.string()).describe('Paths of the volumes deleted with deleteStorage'),
  }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: 'Delete a VM and its disks',
      flow: `id: kvm-delete
namespace: infra.kvm
tasks:
  - id: delete_vm
    type: io.kestra.plugin.kvm.DeleteVm
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
    deleteStorage: true
    failIfNotFound: false
`,
    },
  ],
});

export const suspendVmDefinition = definePlugin({
  id: 'kvm.vms.Suspend',
  aliases: [`${KESTRA_PREFIX}.SuspendVm`],
  title: 'Suspend (pause) a KVM domain',
  group: GROUP,
  description:
    'Pauses a running domain (virDomainSuspend): its vCPUs stop, its memory stays allocated. A paused domain is left as it is; a shut-off one is an error (there is nothing to pause). ResumeVm continues it.',
  props: z.object({ ...connectionShape, name: nameProp }),
  outputs: z.object({ ...vmOutputShape, changed: z.boolean().describe('False when it was paused already') }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: 'Pause a VM during maintenance',
      flow: `id: kvm-suspend
namespace: infra.kvm
tasks:
  - id: pause
    type: io.kestra.plugin.kvm.SuspendVm
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
`,
    },
  ],
});

export const resumeVmDefinition = definePlugin({
  id: 'kvm.vms.Resume',
  aliases: [`${KESTRA_PREFIX}.ResumeVm`],
  title: 'Resume a paused KVM domain',
  group: GROUP,
  description: 'Resumes a paused domain (virDomainResume). A running domain is left as it is; a shut-off one is an error (use StartVm).',
  props: z.object({ ...connectionShape, name: nameProp }),
  outputs: z.object({ ...vmOutputShape, changed: z.boolean().describe('False when it was running already') }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: 'Resume a paused VM',
      flow: `id: kvm-resume
namespace: infra.kvm
tasks:
  - id: resume
    type: io.kestra.plugin.kvm.ResumeVm
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
`,
    },
  ],
});
