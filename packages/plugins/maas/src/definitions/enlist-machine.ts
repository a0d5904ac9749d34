import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, machineOutput } from './common';

export const enlistMachineDefinition = definePlugin({
  id: 'maas.machines.Enlist',
  aliases: [`${KESTRA_PREFIX}.EnlistMachine`],
  title: 'Enlist a machine in MAAS',
  group: GROUP,
  description: [
    'Adds a machine to MAAS (`POST /MAAS/api/2.0/machines/`) from its MAC address(es), with its power (BMC) parameters, and outputs its `systemId`.',
    '',
    'The machine is left **New** (`commission: false`, the default) so a CommissionMachine task commissions it with your options; `commission: true` lets MAAS start commissioning at once.',
    '',
    '**Idempotent**: when a machine with the same MAC address is already enlisted under the same host name, it is returned (`created: false`) instead of failing,',
    'so running the flow again after a later step failed converges. The same MAC under another host name is a conflict.',
    'Power parameters (`power_pass`, ...) are sent to MAAS only; pass them with `secret()`.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      macAddress: z
        .string()
        .regex(/^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/, 'must be a MAC address such as 52:54:00:12:34:56')
        .optional()
        .describe('MAC address of the boot interface.'),
      macAddresses: z
        .array(z.string().regex(/^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/))
        .optional()
        .describe('Several MAC addresses (the first is the boot interface).'),
      hostname: z.string().min(1).optional().describe('Host name; MAAS makes one up when absent.'),
      domain: z.string().min(1).optional().describe('DNS domain (must exist in MAAS).'),
      resourcePool: z.string().min(1).optional().describe('Resource pool (must exist in MAAS).'),
      zone: z.string().min(1).optional().describe('Availability zone (must exist in MAAS).'),
      architecture: z.string().min(1).default('amd64/generic').describe('Architecture, e.g. amd64/generic.'),
      description: z.string().optional().describe('Free text shown in MAAS.'),
      powerType: z.string().min(1).optional().describe('Power driver: ipmi, redfish, virsh, manual, ...'),
      powerParameters: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .optional()
        .describe('Driver parameters, e.g. power_address, power_user, power_pass (sent as power_parameters_<name>).'),
      commission: z.boolean().default(false).describe('Let MAAS commission the machine right after enlisting it.'),
    })
    .refine((p) => p.macAddress || p.macAddresses?.length, { message: 'give macAddress (or macAddresses)', path: ['macAddress'] }),
  outputs: z.object({
    systemId: z.string().describe('System id of the machine'),
    hostname: z.string().describe('Host name'),
    status: z.string().describe('Status label, New (or Commissioning)'),
    created: z.boolean().describe('False when the machine was already enlisted and was returned as it is'),
    machine: machineOutput,
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Enlist a server with an IPMI BMC',
      flow: `id: maas-enlist
namespace: infra.provisioning
tasks:
  - id: enlist
    type: io.kestra.plugin.ee.canonical.maas.EnlistMachine
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    macAddress: "52:54:00:12:34:56"
    hostname: prod-web-01
    domain: datacenter.local
    resourcePool: production
    zone: zone-a
    architecture: amd64/generic
    powerType: ipmi
    powerParameters:
      power_address: 192.168.1.100
      power_user: "{{ secret('IPMI_USER') }}"
      power_pass: "{{ secret('IPMI_PASSWORD') }}"
`,
    },
  ],
});
