import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, KESTRA_PREFIX, connectionShape, listOptionsShape, listOutputs } from './common';

export const listSitesDefinition = definePlugin({
  id: 'netbox.dcim.sites.List',
  aliases: [`${KESTRA_PREFIX}.ListSites`, `${KESTRA_PREFIX}.site.List`],
  title: 'List NetBox sites',
  group: GROUP,
  description: "Lists sites (`GET /api/dcim/sites/`) with filters, following NetBox's pages up to `limit`. Read-only and **idempotent**.",
  props: z.object({
    ...connectionShape,
    filters: z
      .object({
        name: z.string().optional().describe('Exact name'),
        slug: z.string().optional().describe('Slug'),
        status: z.enum(['planned', 'staging', 'active', 'decommissioning', 'retired']).optional().describe('Status'),
        tag: z.string().optional().describe('Tag slug'),
        q: z.string().optional().describe('Free-text search'),
      })
      .default({})
      .describe('Which sites'),
    ...listOptionsShape,
  }),
  outputs: listOutputs,
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S' } },
  examples: [
    {
      title: 'Active sites',
      flow: `id: netbox-sites
namespace: infra.inventory
tasks:
  - id: sites
    type: io.kestra.plugin.ee.netbox.ListSites
    url: "{{ secret('NETBOX_URL') }}"
    token: "{{ secret('NETBOX_API_TOKEN') }}"
    filters:
      status: active
    fields: [id, name, slug]
`,
    },
  ],
});
