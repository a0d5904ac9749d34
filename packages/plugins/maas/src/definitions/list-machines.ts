import { definePlugin, z } from '@baton/plugin-sdk';
import { STATUS_LABELS } from '../status';
import { GROUP, KESTRA_PREFIX, connectionShape } from './common';

export const listMachinesDefinition = definePlugin({
  id: 'maas.machines.List',
  aliases: [`${KESTRA_PREFIX}.ListMachines`],
  title: 'List MAAS machines',
  group: GROUP,
  description: [
    'Lists machines of a MAAS region (`GET /MAAS/api/2.0/machines/`), filtered by status, zone, resource pool, host name and tags.',
    '',
    '- `filters.status` takes MAAS status labels as the UI shows them (`Ready`, `Deployed`, `Failed commissioning`, ...).',
    '- `filters.tags` keeps machines that carry **every** listed tag (MAAS 2.0 has no tag filter on this call, so Baton filters the answer).',
    '- `includeDetails: false` keeps a summary of each machine; `fields` keeps only the named fields.',
    '- MAAS returns every match at once; `page` and `pageSize` cut the answer (outputs `total` counts every match).',
    '',
    'Read-only and **idempotent**.',
  ].join('\n'),
  props: z.object({
    ...connectionShape,
    filters: z
      .object({
        status: z.array(z.enum(STATUS_LABELS)).optional().describe('Status labels, any of which matches, e.g. [Ready]'),
        zone: z.string().min(1).optional().describe('Availability zone name'),
        resourcePool: z.string().min(1).optional().describe('Resource pool name'),
        tags: z.array(z.string().min(1)).optional().describe('Tags the machine must all carry'),
        hostname: z.array(z.string().min(1)).optional().describe('Host names, any of which matches'),
        domain: z.string().min(1).optional().describe('DNS domain'),
      })
      .default({})
      .describe('Which machines to list'),
    includeDetails: z
      .boolean()
      .default(true)
      .describe('Return the whole machine object (true) or a summary: system_id, hostname, fqdn, status_name, power_state, zone, pool, tag_names, ip_addresses.'),
    fields: z.array(z.string().min(1)).optional().describe('Keep only these fields of each machine, e.g. [system_id, hostname, status_name].'),
    page: z.number().int().min(1).default(1).describe('Page to return, from 1.'),
    pageSize: z.number().int().min(1).max(10_000).optional().describe('Machines per page; all of them when absent.'),
  }),
  outputs: z.object({
    machines: z.array(z.looseObject({})).describe('The machines on this page (whole, summarised, or reduced to `fields`)'),
    count: z.number().int().describe('Machines on this page'),
    total: z.number().int().describe('Machines that match the filters'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Ready machines in the production pool',
      flow: `id: maas-list-ready
namespace: infra.provisioning
tasks:
  - id: list_ready
    type: io.kestra.plugin.ee.canonical.maas.ListMachines
    url: "{{ secret('MAAS_URL') }}"
    apiKey: "{{ secret('MAAS_API_KEY') }}"
    filters:
      status: [Ready]
      resourcePool: production
      tags: [ssd]
    includeDetails: false
    fields: [system_id, hostname, status_name]
`,
    },
  ],
});
