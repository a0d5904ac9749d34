import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, customFieldsProp, idProp, objectOutput, tagsProp } from './common';

export const assignIpAddressDefinition = definePlugin({
  id: 'netbox.ipam.AssignIpAddress',
  aliases: [`${KESTRA_PREFIX}.AssignIpAddress`, `${KESTRA_PREFIX}.ipam.AssignIpAddress`],
  title: 'Assign an IP address in NetBox',
  group: GROUP,
  description: [
    'Creates an IP address and assigns it to an interface: a given `address` (`POST /api/ipam/ip-addresses/`), or the next free address of a prefix',
    '(`prefixId`, or `prefix` as CIDR; `POST /api/ipam/prefixes/{id}/available-ips/`).',
    '',
    '**Idempotent by design**: an address that already exists and is assigned to the same object is returned as it is (`created: false`); an existing unassigned one is assigned;',
    'one assigned elsewhere is a conflict. With a prefix, an address of that prefix already assigned to the object is returned instead of taking another one.',
    "So a flow run again after a failure converges without duplicate addresses. `setPrimary` also makes it the device's primary IPv4.",
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      address: z
        .string()
        .regex(/^[\d.]+\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/, 'must be an address with its mask, e.g. 10.100.1.45/24')
        .optional()
        .describe('Address with mask, e.g. 10.100.1.45/24'),
      prefixId: idProp('Prefix id to take the next free address from').optional(),
      prefix: z.string().optional().describe('Prefix (CIDR) to take the next free address from, e.g. 10.100.1.0/24'),
      status: z.enum(['active', 'reserved', 'deprecated', 'dhcp', 'slaac']).default('active').describe('Status'),
      assignedObjectType: z.enum(['dcim.interface', 'virtualization.vminterface']).optional().describe('Type of the object to assign to'),
      assignedObjectId: idProp('Id of the object to assign to').optional(),
      dnsName: z.string().optional().describe('DNS name'),
      role: z.enum(['loopback', 'secondary', 'anycast', 'vip', 'vrrp', 'hsrp', 'glbp', 'carp']).optional().describe('Role'),
      description: z.string().optional().describe('Description'),
      tags: tagsProp,
      customFields: customFieldsProp,
      setPrimary: z.boolean().default(false).describe("Make it the primary IPv4 of the interface's device"),
    })
    .refine((p) => [p.address, p.prefixId, p.prefix].filter((v) => v !== undefined).length === 1, { message: 'give exactly one of address, prefixId or prefix', path: ['address'] })
    .refine((p) => (p.assignedObjectType === undefined) === (p.assignedObjectId === undefined), {
      message: 'give assignedObjectType and assignedObjectId together',
      path: ['assignedObjectId'],
    }),
  outputs: z.object({
    id: z.number().int().describe('IP address id'),
    address: z.string().describe('The address with its mask'),
    created: z.boolean().describe('False when the address existed and was already assigned to the object'),
    ip: objectOutput.describe('The IP address as NetBox returns it'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } },
  examples: [
    {
      title: 'Next free address of a prefix on the primary interface',
      flow: `id: netbox-next-ip
namespace: infra.provisioning
tasks:
  - id: create_device
    type: io.kestra.plugin.ee.netbox.CreateDevice
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    name: prod-web-02
    site: dc1
    role: server
    deviceType: server-1u
  - id: assign_ip
    type: io.kestra.plugin.ee.netbox.ipam.AssignIpAddress
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    prefix: 10.100.1.0/24
    assignedObjectType: dcim.interface
    assignedObjectId: "{{ outputs.create_device.primary_interface_id }}"
    dnsName: prod-web-02.mgmt.example.com
    setPrimary: true
`,
    },
  ],
});
