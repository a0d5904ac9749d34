import { definePlugin, z } from '@baton/plugin-sdk';
import { checkAuth, connectionShape, kestraAlias, recordFieldsShape, recordNameProp, recordOutput, recordTypeProp, zoneIdProp } from './common';

const newRecord = z
  .object({
    recordType: recordTypeProp,
    name: recordNameProp,
    ...recordFieldsShape,
  })
  .describe('A record to create');

const patchRecord = z
  .object({
    id: z.string().min(1).describe('Identifier of the record to change'),
    recordType: recordTypeProp.optional(),
    name: recordNameProp.optional(),
    ...recordFieldsShape,
  })
  .describe('Fields to change on an existing record');

const putRecord = z
  .object({
    id: z.string().min(1).describe('Identifier of the record to overwrite'),
    recordType: recordTypeProp,
    name: recordNameProp,
    ...recordFieldsShape,
  })
  .describe('A full replacement of an existing record');

export const recordsBatchDefinition = definePlugin({
  id: 'cloudflare.dns.records.Batch',
  aliases: [kestraAlias('cloudflare.dns.records.Batch')],
  title: 'Change many DNS records at once',
  group: 'Cloudflare / DNS',
  description: [
    'Applies deletes, patches, puts and posts to a zone in one atomic call (`POST /zones/{zoneId}/dns_records/batch`):',
    'either every change is applied or none is. Cloudflare runs them in that order: deletes, patches, puts, posts.',
    'Record names may be relative to the zone or fully qualified.',
    '',
    '**Not idempotent** when it contains posts (a second run creates the records again) or deletes (the ids are gone).',
    'Needs: a token with **Zone: DNS: Edit**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      deletes: z
        .array(z.object({ id: z.string().min(1).describe('Record identifier') }))
        .default([])
        .describe('Records to delete, by id.'),
      patches: z.array(patchRecord).default([]).describe('Records to change partially.'),
      puts: z.array(putRecord).default([]).describe('Records to overwrite completely.'),
      posts: z.array(newRecord).default([]).describe('Records to create.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      if (!props.deletes.length && !props.patches.length && !props.puts.length && !props.posts.length) {
        ctx.addIssue({ code: 'custom', path: ['posts'], message: 'give at least one of deletes, patches, puts or posts' });
      }
    }),
  outputs: z.object({
    deletes: z.array(recordOutput).describe('Deleted records'),
    patches: z.array(recordOutput).describe('Records after the patch'),
    puts: z.array(recordOutput).describe('Records after the overwrite'),
    posts: z.array(recordOutput).describe('Created records'),
  }),
  idempotent: false,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 2, interval: 'PT10S' } },
  examples: [
    {
      title: 'Swap a blue/green pair of records atomically',
      flow: `id: cloudflare-dns-batch
namespace: infra.edge
tasks:
  - id: swap
    type: io.kestra.plugin.cloudflare.dns.records.Batch
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    deletes:
      - id: 372e67954025e0ba6aaa6d586b9e0b59
    posts:
      - recordType: A
        name: app
        content: 203.0.113.20
        proxied: true
`,
    },
  ],
});
