import { definePlugin, z } from '@baton/plugin-sdk';
import { checkAuth, connectionShape, kestraAlias, maxResultsProp, zoneOutput } from './common';

const GROUP = 'Cloudflare / Zones';
const READ_ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } };

export const zonesListDefinition = definePlugin({
  id: 'cloudflare.zones.List',
  aliases: [kestraAlias('cloudflare.zones.List')],
  title: 'List Cloudflare zones',
  group: GROUP,
  description: [
    'Lists the zones the credentials can see (`GET /zones`), optionally filtered by name, status or account.',
    '',
    'Needs: a token with **Zone: Read**. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      name: z.string().min(1).optional().describe('Only the zone with this domain name, e.g. example.com.'),
      status: z.enum(['initializing', 'pending', 'active', 'moved']).optional().describe('Only zones in this status.'),
      accountId: z.string().min(1).optional().describe('Only zones of this account.'),
      maxResults: maxResultsProp,
    })
    .superRefine(checkAuth),
  outputs: z.object({
    zones: z.array(zoneOutput).describe('Matching zones'),
    count: z.number().int().describe('Number of zones returned'),
  }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [
    {
      title: 'List the active zones of an account',
      flow: `id: cloudflare-list-zones
namespace: infra.edge
tasks:
  - id: zones
    type: io.kestra.plugin.cloudflare.zones.List
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
    status: active
`,
    },
  ],
});

export const zonesGetDefinition = definePlugin({
  id: 'cloudflare.zones.Get',
  aliases: [kestraAlias('cloudflare.zones.Get')],
  title: 'Get a Cloudflare zone',
  group: GROUP,
  description: [
    'Reads one zone by `zoneId` (`GET /zones/{id}`) or by domain `name` (`GET /zones?name=`). Fails with NOT_FOUND when it does not exist.',
    'Use it to turn a domain name into the `zoneId` the DNS and cache tasks need.',
    '',
    'Needs: a token with **Zone: Read**. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: z.string().min(1).optional().describe('Zone identifier. Give this or `name`.'),
      name: z.string().min(1).optional().describe('Domain name of the zone, e.g. example.com. Give this or `zoneId`.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      if (!props.zoneId === !props.name) ctx.addIssue({ code: 'custom', path: ['zoneId'], message: 'give exactly one of zoneId or name' });
    }),
  outputs: z.object({
    zone: zoneOutput,
    id: z.string().describe('Zone identifier (same as zone.id)'),
    name: z.string().describe('Domain name (same as zone.name)'),
  }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [
    {
      title: 'Look a zone up by name, then use its id',
      flow: `id: cloudflare-zone-by-name
namespace: infra.edge
pluginDefaults:
  - type: io.kestra.plugin.cloudflare
    values:
      apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
tasks:
  - id: zone
    type: io.kestra.plugin.cloudflare.zones.Get
    name: example.com
  - id: records
    type: io.kestra.plugin.cloudflare.dns.records.List
    zoneId: "{{ outputs.zone.id }}"
    recordType: A
`,
    },
  ],
});
