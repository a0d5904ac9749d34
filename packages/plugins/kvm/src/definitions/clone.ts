import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, WAIT_ACTIVITY, connectionShape, nameProp, timeToWaitProp, vmOutputShape } from './common';

export const cloneVmDefinition = definePlugin({
  id: 'kvm.vms.Clone',
  aliases: [`${KESTRA_PREFIX}.CloneVm`],
  title: 'Clone a KVM domain from a template',
  group: GROUP,
  description: [
    'Creates a domain from a shut-off template domain. Each of its qcow2 disks gets a copy-on-write overlay volume in the same storage pool, backed by the template disk (instant, and small until the clone writes);',
    'the clone gets its own name and a new UUID, and libvirt gives its network interfaces new MAC addresses.',
    '',
    '- The template must be shut off (its disks must not change under the overlays) and its disks must be volumes of a libvirt storage pool (`virsh pool-list`).',
    '- Overlays are named `<name>-<target>.qcow2` (e.g. `web-02-vda.qcow2`). An overlay left by an earlier attempt is reused; a domain of that name already there is a conflict.',
    '- `startAfterClone` boots the clone; `waitForRunning` waits for it (`timeToWait`).',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    templateName: nameProp.describe('Name of the template domain (shut off).'),
    name: nameProp.describe('Name of the new domain.'),
    startAfterClone: z.boolean().default(false).describe('Boot the clone.'),
    waitForRunning: z.boolean().default(false).describe('With startAfterClone, wait until it runs.'),
    timeToWait: timeToWaitProp,
  }),
  outputs: z.object({
    ...vmOutputShape,
    volumes: z.array(z.string()).describe('Paths of the overlay volumes created for the clone'),
  }),
  idempotent: false,
  activity: WAIT_ACTIVITY,
  examples: [
    {
      title: 'Clone three web servers from a template',
      flow: `id: kvm-clone-fleet
namespace: infra.kvm
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["web-02", "web-03", "web-04"]
    tasks:
      - id: clone
        type: io.kestra.plugin.kvm.CloneVm
        uri: "{{ secret('KVM_URI') }}"
        templateName: ubuntu-template
        name: "{{ taskrun.value }}"
        startAfterClone: true
`,
    },
  ],
});
