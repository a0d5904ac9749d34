import { definePlugin, z } from '@baton/plugin-sdk';
import { checkAuth, connectionShape, kestraAlias, recordFieldsShape, recordNameProp, recordOutput, recordTypeProp, zoneIdProp } from './common';

export const recordsUpsertDefinition = definePlugin({
  id: 'cloudflare.dns.records.Upsert',
  aliases: [kestraAlias('cloudflare.dns.records.Upsert')],
  title: 'Create or update a DNS record',
  group: 'Cloudflare / DNS',
  description: [
    'Makes sure one DNS record of `recordType` named `name` exists with the given `content` (and `ttl`, `proxied`, `comment`, ... when given).',
    'It looks the record up by name and type, then creates it, updates the fields that differ (PATCH), or leaves it alone:',
    'the output `action` is `created`, `updated` or `unchanged`, and `previous` holds the record as it was (for a rollback step).',
    '',
    '`name` may be relative to the zone (`app`, `@`) or fully qualified (`app.example.com`).',
    'When several records share the name and type (round-robin), the one with the same content is kept; otherwise the task fails',
    'with CONFLICT rather than guess which one to change.',
    '',
    '**Idempotent**: a second run with the same properties reports `unchanged`. Needs: a token with **Zone: DNS: Edit** (and Zone: Read).',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      recordType: recordTypeProp,
      name: recordNameProp,
      ...recordFieldsShape,
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      if (props.content === undefined && props.data === undefined) {
        ctx.addIssue({ code: 'custom', path: ['content'], message: 'content is required (or data, for SRV, CAA, LOC and similar records)' });
      }
    }),
  outputs: z.object({
    action: z.enum(['created', 'updated', 'unchanged']).describe('What the task did'),
    record: recordOutput,
    recordId: z.string().describe('Identifier of the record (Kestra output name)'),
    previous: recordOutput.optional().describe('The record before the task ran, when it existed'),
    changed: z.array(z.string()).describe('Fields that were changed (empty unless action is updated)'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } },
  examples: [
    {
      title: 'Point app.example.com at a new address, then purge its cache',
      flow: `id: cloudflare-move-dns
namespace: infra.edge
pluginDefaults:
  - type: io.kestra.plugin.cloudflare
    values:
      apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
inputs:
  - id: newTarget
    type: STRING
    defaults: 203.0.113.10
tasks:
  - id: upsert_dns
    type: io.kestra.plugin.cloudflare.dns.records.Upsert
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    recordType: A
    name: app.example.com
    content: "{{ inputs.newTarget }}"
    ttl: 300
    proxied: true
    comment: managed by Baton
  - id: purge_cache
    type: io.kestra.plugin.cloudflare.cache.Purge
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    files:
      - https://app.example.com/
`,
    },
  ],
});
