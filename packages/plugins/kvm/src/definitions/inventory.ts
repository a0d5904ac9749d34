import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, QUICK_ACTIVITY, connectionShape, nameProp, stateOutput } from './common';

export const listVmsDefinition = definePlugin({
  id: 'kvm.vms.List',
  aliases: [`${KESTRA_PREFIX}.ListVms`],
  title: 'List KVM domains',
  group: GROUP,
  description: [
    'Lists every domain of the connection, running or only defined, with its state (virConnectListAllDomains), sorted by name.',
    '',
    "- `statusFilter` keeps the domains in that state. It takes Kestra's names (`VIR_DOMAIN_RUNNING`) or the short ones (`running`, `paused`, `shutoff`, `crashed`), one or a list.",
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    statusFilter: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .describe('Only domains in this state (or these states): VIR_DOMAIN_RUNNING or running, paused, shutoff, crashed, ...'),
  }),
  outputs: z.object({
    vms: z
      .array(
        z.object({
          name: z.string().describe('Domain name'),
          uuid: z.string().describe('Domain UUID'),
          state: stateOutput,
          id: z.number().int().describe('Hypervisor id of a running domain, -1 when it is not running'),
        }),
      )
      .describe('The domains, by name'),
    count: z.number().int().describe('How many domains were listed'),
  }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: 'List the running VMs of a host',
      flow: `id: kvm-list
namespace: infra.kvm
tasks:
  - id: running
    type: io.kestra.plugin.kvm.ListVms
    uri: "{{ secret('KVM_URI') }}"
    statusFilter: VIR_DOMAIN_RUNNING
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.running.count }} running: {{ outputs.running.vms | jq('.[].name') | join(', ') }}"
`,
    },
  ],
});

const disk = z.object({
  device: z.string().describe('disk, cdrom, floppy or lun'),
  type: z.string().describe('file, block, volume, network, ...'),
  source: z.string().optional().describe('Image path, block device or volume'),
  pool: z.string().optional().describe("Storage pool of a type='volume' disk"),
  target: z.string().optional().describe('Device name in the guest, e.g. vda'),
  bus: z.string().optional().describe('virtio, sata, ide, scsi, ...'),
  format: z.string().optional().describe('Image format, e.g. qcow2 or raw'),
});
const nic = z.object({
  type: z.string().describe('network, bridge, user, direct, ...'),
  mac: z.string().optional().describe('MAC address'),
  source: z.string().optional().describe('Network, bridge or host device'),
  model: z.string().optional().describe('virtio, e1000, ...'),
  target: z.string().optional().describe('Host-side device (vnetN) while running'),
});

export const getVmDefinition = definePlugin({
  id: 'kvm.vms.Get',
  aliases: [`${KESTRA_PREFIX}.GetVm`],
  title: 'Read a KVM domain',
  group: GROUP,
  description:
    'Reads one domain: state and its reason, vCPUs, memory, disks, network interfaces and the XML (the live one while it runs, without secrets such as VNC passwords). Fails with NOT_FOUND when the domain does not exist.',
  props: z.object({ ...connectionShape, name: nameProp }),
  outputs: z.object({
    name: z.string().describe('Domain name'),
    uuid: z.string().describe('Domain UUID'),
    id: z.number().int().describe('Hypervisor id while running, -1 otherwise'),
    state: stateOutput,
    stateReason: z.number().int().describe("libvirt's reason code for the state (virDomain<State>Reason)"),
    vcpus: z.number().int().describe('Virtual CPUs'),
    memoryKiB: z.number().int().describe('Current memory in KiB'),
    maxMemoryKiB: z.number().int().describe('Maximum memory in KiB'),
    disks: z.array(disk).describe('Disks and CD-ROMs'),
    interfaces: z.array(nic).describe('Network interfaces'),
    xml: z.string().describe('The domain XML'),
  }),
  idempotent: true,
  activity: QUICK_ACTIVITY,
  examples: [
    {
      title: "Read a VM and log its first interface's MAC",
      flow: `id: kvm-get
namespace: infra.kvm
tasks:
  - id: vm
    type: io.kestra.plugin.kvm.GetVm
    uri: "{{ secret('KVM_URI') }}"
    name: web-01
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.vm.name }}: {{ outputs.vm.state }}, {{ outputs.vm.vcpus }} vCPU, {{ outputs.vm.memoryKiB }} KiB"
`,
    },
  ],
});
