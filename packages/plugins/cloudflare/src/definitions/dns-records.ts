import { definePlugin, z } from '@baton/plugin-sdk';
import { checkAuth, connectionShape, kestraAlias, maxResultsProp, recordFieldsShape, recordNameProp, recordOutput, recordTypeProp, ttlProp, zoneIdProp } from './common';

const GROUP = 'Cloudflare / DNS';
const READ_ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } };
const WRITE_ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } };

/** A record is identified by its id, or by name and type (and content when several share them). */
const lookupShape = {
  recordId: z.string().min(1).optional().describe('Record identifier. Give this, or `name` and `recordType`.'),
  name: recordNameProp.optional(),
  recordType: recordTypeProp.optional(),
};

function checkLookup(props: { recordId?: string; name?: string; recordType?: string }, ctx: z.RefinementCtx): void {
  if (props.recordId) return;
  if (!props.name || !props.recordType) {
    ctx.addIssue({ code: 'custom', path: ['recordId'], message: 'give recordId, or name and recordType' });
  }
}

function checkContent(props: { content?: string; data?: unknown }, ctx: z.RefinementCtx): void {
  if (props.content === undefined && props.data === undefined) {
    ctx.addIssue({ code: 'custom', path: ['content'], message: 'content is required (or data, for SRV, CAA, LOC and similar records)' });
  }
}

export const recordsCreateDefinition = definePlugin({
  id: 'cloudflare.dns.records.Create',
  aliases: [kestraAlias('cloudflare.dns.records.Create')],
  title: 'Create a DNS record',
  group: GROUP,
  description: [
    'Creates a DNS record in a zone (`POST /zones/{zoneId}/dns_records`). `name` may be relative to the zone or fully qualified.',
    '',
    '**Not idempotent**: a second run fails with Cloudflare error 81058 (identical record) or adds another record of the same name.',
    'Use `cloudflare.dns.records.Upsert` to converge on one record instead.',
    '',
    'Needs: a token with **Zone: DNS: Edit** on the zone.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      recordType: recordTypeProp,
      name: recordNameProp,
      ...recordFieldsShape,
      ttl: ttlProp.default(1),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkContent(props, ctx);
    }),
  outputs: z.object({
    record: recordOutput,
    recordId: z.string().describe('Identifier of the new record'),
  }),
  idempotent: false,
  activity: WRITE_ACTIVITY,
  examples: [
    {
      title: 'Add a TXT record for domain verification',
      flow: `id: cloudflare-create-txt
namespace: infra.edge
tasks:
  - id: verify
    type: io.kestra.plugin.cloudflare.dns.records.Create
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    recordType: TXT
    name: _verify
    content: "verification=3f9a1c"
    ttl: 300
    comment: created by Baton
`,
    },
  ],
});

export const recordsGetDefinition = definePlugin({
  id: 'cloudflare.dns.records.Get',
  aliases: [kestraAlias('cloudflare.dns.records.Get')],
  title: 'Get a DNS record',
  group: GROUP,
  description: [
    'Reads one DNS record by `recordId`, or by `name` and `recordType` (the first match when there are several; `content` narrows it).',
    'Fails with NOT_FOUND when there is none.',
    '',
    'Needs: a token with **Zone: DNS: Read**. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      ...lookupShape,
      content: z.string().min(1).optional().describe('With name and recordType: pick the record with this content.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkLookup(props, ctx);
    }),
  outputs: z.object({
    record: recordOutput,
    recordId: z.string().describe('Record identifier'),
  }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [
    {
      title: 'Read the current target of app.example.com before changing it',
      flow: `id: cloudflare-get-record
namespace: infra.edge
tasks:
  - id: current
    type: io.kestra.plugin.cloudflare.dns.records.Get
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    name: app.example.com
    recordType: A
`,
    },
  ],
});

export const recordsUpdateDefinition = definePlugin({
  id: 'cloudflare.dns.records.Update',
  aliases: [kestraAlias('cloudflare.dns.records.Update')],
  title: 'Update a DNS record',
  group: GROUP,
  description: [
    'Changes the given fields of an existing DNS record (`PATCH /zones/{zoneId}/dns_records/{id}`); fields you leave out keep their value.',
    'The record is found by `recordId`, or by `name` and `recordType`. Fails with NOT_FOUND when it does not exist.',
    '',
    '**Idempotent**: running it again sets the same values. Needs: a token with **Zone: DNS: Edit**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      ...lookupShape,
      newName: recordNameProp.optional().describe('Rename the record (relative or fully qualified).'),
      ...recordFieldsShape,
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkLookup(props, ctx);
    }),
  outputs: z.object({
    record: recordOutput,
    recordId: z.string().describe('Record identifier'),
    previous: recordOutput.describe('The record before the update'),
  }),
  idempotent: true,
  activity: WRITE_ACTIVITY,
  examples: [
    {
      title: 'Turn on the Cloudflare proxy for a record',
      flow: `id: cloudflare-update-record
namespace: infra.edge
tasks:
  - id: proxy_on
    type: io.kestra.plugin.cloudflare.dns.records.Update
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    name: app
    recordType: A
    proxied: true
`,
    },
  ],
});

export const recordsDeleteDefinition = definePlugin({
  id: 'cloudflare.dns.records.Delete',
  aliases: [kestraAlias('cloudflare.dns.records.Delete')],
  title: 'Delete DNS records',
  group: GROUP,
  description: [
    'Deletes a DNS record by `recordId`, or every record matching `name` and `recordType` (and `content`, when given).',
    'With `ignoreMissing` (default) a record that does not exist is not an error, so the task is **idempotent** (delete-if-exists).',
    '',
    'Needs: a token with **Zone: DNS: Edit**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      ...lookupShape,
      content: z.string().min(1).optional().describe('With name and recordType: delete only the record with this content.'),
      ignoreMissing: z.boolean().default(true).describe('Succeed when no record matches (default). When false, a missing record fails with NOT_FOUND.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      checkLookup(props, ctx);
    }),
  outputs: z.object({
    deleted: z.number().int().describe('Number of records deleted'),
    recordIds: z.array(z.string()).describe('Identifiers of the deleted records'),
    records: z.array(recordOutput).describe('The deleted records, as they were'),
  }),
  idempotent: true,
  activity: WRITE_ACTIVITY,
  examples: [
    {
      title: 'Remove a temporary verification record',
      flow: `id: cloudflare-delete-record
namespace: infra.edge
tasks:
  - id: cleanup
    type: io.kestra.plugin.cloudflare.dns.records.Delete
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    name: _verify
    recordType: TXT
`,
    },
  ],
});

export const recordsListDefinition = definePlugin({
  id: 'cloudflare.dns.records.List',
  aliases: [kestraAlias('cloudflare.dns.records.List')],
  title: 'List DNS records',
  group: GROUP,
  description: [
    'Lists the DNS records of a zone (`GET /zones/{zoneId}/dns_records`), filtered by name, type, content, proxied or a free-text search.',
    '',
    'Needs: a token with **Zone: DNS: Read**. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      name: recordNameProp.optional().describe('Only records with this name (relative or fully qualified).'),
      recordType: recordTypeProp.optional().describe('Only records of this type.'),
      content: z.string().min(1).optional().describe('Only records with this content.'),
      proxied: z.boolean().optional().describe('Only proxied (true) or DNS-only (false) records.'),
      search: z.string().min(1).optional().describe('Free-text search over names, content and comments.'),
      maxResults: maxResultsProp,
    })
    .superRefine(checkAuth),
  outputs: z.object({
    records: z.array(recordOutput).describe('Matching records'),
    count: z.number().int().describe('Number of records returned'),
  }),
  idempotent: true,
  activity: READ_ACTIVITY,
  examples: [
    {
      title: 'List the CNAME records of a zone',
      flow: `id: cloudflare-list-records
namespace: infra.edge
tasks:
  - id: cnames
    type: io.kestra.plugin.cloudflare.dns.records.List
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    recordType: CNAME
`,
    },
  ],
});
