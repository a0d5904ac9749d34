import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, customFieldsProp, idProp, listOptionsShape, listOutputs, objectOutput, slugOrId, tagsProp } from './common';

const deviceStatus = z.enum(['offline', 'active', 'planned', 'staged', 'failed', 'inventory', 'decommissioning']);

export const listDevicesDefinition = definePlugin({
  id: 'netbox.dcim.devices.List',
  aliases: [`${KESTRA_PREFIX}.ListDevices`, `${KESTRA_PREFIX}.device.List`],
  title: 'List NetBox devices',
  group: GROUP,
  description:
    "Lists devices (`GET /api/dcim/devices/`) filtered by site, role, status, manufacturer, tag, name, following NetBox's pages up to `limit`. Read-only and **idempotent**.",
  props: z.object({
    ...connectionShape,
    filters: z
      .object({
        site: z.string().optional().describe('Site slug'),
        role: z.string().optional().describe('Device role slug'),
        status: deviceStatus.optional().describe('Status'),
        manufacturer: z.string().optional().describe('Manufacturer slug'),
        deviceType: z.string().optional().describe('Device type slug'),
        tag: z.string().optional().describe('Tag slug'),
        name: z.string().optional().describe('Exact name'),
        q: z.string().optional().describe('Free-text search'),
      })
      .default({})
      .describe('Which devices'),
    ...listOptionsShape,
  }),
  outputs: listOutputs,
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Active servers of a site',
      flow: `id: netbox-devices
namespace: infra.inventory
tasks:
  - id: servers
    type: io.kestra.plugin.ee.netbox.ListDevices
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    filters:
      site: dc1
      role: server
      status: active
    fields: [id, name, primary_ip4]
    limit: 500
`,
    },
  ],
});

const deviceFields = {
  status: deviceStatus.optional().describe('Status'),
  platform: slugOrId('Platform').optional(),
  tenant: slugOrId('Tenant').optional(),
  serial: z.string().optional().describe('Serial number'),
  description: z.string().optional().describe('Description'),
  tags: tagsProp,
  customFields: customFieldsProp,
};

export const createDeviceDefinition = definePlugin({
  id: 'netbox.dcim.devices.Create',
  aliases: [`${KESTRA_PREFIX}.CreateDevice`, `${KESTRA_PREFIX}.device.Create`],
  title: 'Create a NetBox device with its primary interface',
  group: GROUP,
  description: [
    'Creates a device (`POST /api/dcim/devices/`) in a site, with a device type and a role, then creates or finds its primary interface (`eth0` by default) and outputs `primary_interface_id` for AssignIpAddress.',
    '',
    '**Idempotent by design**: a device with the same name in the same site is returned as it is (`created: false`), and an existing interface of that name is reused,',
    'so running a flow again after a later step failed converges without duplicates.',
    "`site`, `deviceRole` (or `role`) and `deviceType` are usually namespace plugin defaults. In a family-wide default (`type: io.kestra.plugin.ee.netbox`) use `deviceRole`: `role` would also reach AssignIpAddress, whose `role` is the IP address's.",
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      name: z.string().min(1).max(64).describe('Device name, e.g. prod-web-01'),
      site: slugOrId('site'),
      role: slugOrId('role').optional(),
      deviceRole: slugOrId("deviceRole (Kestra's name for role)").optional(),
      deviceType: slugOrId('deviceType'),
      ...deviceFields,
      primaryInterface: z
        .object({
          name: z.string().min(1).default('eth0').describe('Interface name'),
          type: z.string().min(1).default('1000base-t').describe('NetBox interface type, e.g. 1000base-t, 10gbase-x-sfpp, virtual'),
          mgmtOnly: z.boolean().default(false).describe('Management-only interface'),
        })
        .default({ name: 'eth0', type: '1000base-t', mgmtOnly: false })
        .describe('The primary interface to create or find'),
    })
    .refine((p) => p.role !== undefined || p.deviceRole !== undefined, {
      message: 'role is required (the device role slug, e.g. server), in the task or in plugin defaults',
      path: ['role'],
    }),
  outputs: z.object({
    id: z.number().int().describe('Device id'),
    name: z.string().describe('Device name'),
    created: z.boolean().describe('False when a device with this name already existed in the site'),
    primary_interface_id: z.number().int().describe('Id of the primary interface (for AssignIpAddress assignedObjectId)'),
    device: objectOutput.describe('The device as NetBox returns it'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } },
  examples: [
    {
      title: 'Register a server and its primary interface',
      flow: `id: netbox-create-device
namespace: infra.provisioning
tasks:
  - id: create_device
    type: io.kestra.plugin.ee.netbox.CreateDevice
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    name: prod-web-01
    site: dc1
    role: server
    deviceType: server-1u
    status: active
    tags: [production]
`,
    },
  ],
});

export const updateDeviceDefinition = definePlugin({
  id: 'netbox.dcim.devices.Update',
  aliases: [`${KESTRA_PREFIX}.UpdateDevice`, `${KESTRA_PREFIX}.device.Update`],
  title: 'Update a NetBox device',
  group: GROUP,
  description: [
    'Changes fields of a device found by `id` or by `name` (and `site`) with `PATCH /api/dcim/devices/{id}/`: status, role, device type, platform, tenant, serial, tags, custom fields, primary IPv4 address.',
    'Only the fields given are sent. **Idempotent**: the same update twice leaves the same device.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      id: idProp('Device id').optional(),
      name: z.string().min(1).optional().describe('Device name, when no id is given'),
      site: slugOrId('Site of the named device').optional(),
      newName: z.string().min(1).max(64).optional().describe('Rename the device'),
      role: slugOrId('Device role').optional(),
      deviceType: slugOrId('Device type').optional(),
      primaryIp4: idProp('IP address id to make the primary IPv4').optional(),
      ...deviceFields,
    })
    .refine((p) => p.id !== undefined || p.name !== undefined, { message: 'give the device id, or its name', path: ['id'] }),
  outputs: z.object({
    id: z.number().int().describe('Device id'),
    name: z.string().nullable().describe('Device name'),
    changed: z.array(z.string()).describe('Fields sent in the update'),
    device: objectOutput.describe('The device after the update'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT2S' } },
  examples: [
    {
      title: 'Mark a device active once it is deployed',
      flow: `id: netbox-update-device
namespace: infra.provisioning
tasks:
  - id: activate
    type: io.kestra.plugin.ee.netbox.UpdateDevice
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    name: prod-web-01
    site: dc1
    status: active
    customFields:
      maas_system_id: abc123
`,
    },
  ],
});
