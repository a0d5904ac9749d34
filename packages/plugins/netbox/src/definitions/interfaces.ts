import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, idProp, objectOutput, tagsProp } from './common';

export const createInterfaceDefinition = definePlugin({
  id: 'netbox.dcim.interfaces.Create',
  aliases: [`${KESTRA_PREFIX}.CreateInterface`, `${KESTRA_PREFIX}.interface.Create`],
  title: 'Create an interface on a NetBox device',
  group: GROUP,
  description:
    'Creates an interface on a device (`POST /api/dcim/interfaces/`). **Idempotent**: an interface with the same name on the same device is returned (`created: false`).',
  props: z
    .object({
      ...connectionShape,
      deviceId: idProp('Device id').optional(),
      device: z.string().min(1).optional().describe('Device name, when no deviceId is given'),
      name: z.string().min(1).max(64).describe('Interface name, e.g. eth1 or bond0'),
      interfaceType: z.string().min(1).default('1000base-t').describe('NetBox interface type, e.g. 1000base-t, 10gbase-x-sfpp, lag, virtual (`type` names the task in a flow)'),
      enabled: z.boolean().default(true).describe('Enabled'),
      mgmtOnly: z.boolean().default(false).describe('Management only'),
      description: z.string().optional().describe('Description'),
      tags: tagsProp,
    })
    .refine((p) => p.deviceId !== undefined || p.device !== undefined, { message: 'give deviceId or device (name)', path: ['deviceId'] }),
  outputs: z.object({
    id: z.number().int().describe('Interface id'),
    created: z.boolean().describe('False when the interface existed already'),
    interface: objectOutput.describe('The interface as NetBox returns it'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } },
  examples: [
    {
      title: 'Add a 10G interface',
      flow: `id: netbox-create-interface
namespace: infra.provisioning
tasks:
  - id: eth1
    type: io.kestra.plugin.ee.netbox.CreateInterface
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    device: prod-web-01
    name: eth1
    interfaceType: 10gbase-x-sfpp
`,
    },
  ],
});
