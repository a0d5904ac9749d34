import { definePlugin, z } from '@baton/plugin-sdk';
import { accountIdProp, checkAuth, connectionShape, kestraAlias, maxResultsProp } from './common';

const GROUP = 'Cloudflare / Workers KV';
const ACTIVITY = { timeout: 'PT5M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } };

/** Cloudflare's bulk write takes at most 10,000 pairs per call; larger lists are split. */
export const MAX_PAIRS_PER_WRITE = 10_000;

const namespaceShape = {
  accountId: accountIdProp,
  namespaceId: z.string().min(1, 'namespaceId is required').describe('Workers KV namespace identifier.'),
};

const keyName = z.string().min(1).max(512).describe('Key name (up to 512 bytes)');

const kvValue = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .describe('Value to store: a string as it is; numbers, booleans, lists and objects as JSON');

const pair = z
  .object({
    key: keyName,
    value: kvValue,
    expiration: z.number().int().positive().optional().describe('Absolute expiry, in seconds since the epoch.'),
    expirationTtl: z.number().int().min(60).optional().describe('Expiry in seconds from now (at least 60).'),
    metadata: z.record(z.string(), z.unknown()).optional().describe('Arbitrary JSON metadata (up to 1024 bytes) stored with the key.'),
    base64: z.boolean().optional().describe('The value is base64 and Cloudflare stores the decoded bytes.'),
  })
  .describe('A key and its value');

export const kvGetDefinition = definePlugin({
  id: 'cloudflare.kv.Get',
  aliases: [kestraAlias('cloudflare.kv.Get'), 'io.kestra.plugin.cloudflare.compute.kv.Get'],
  title: 'Read values from Workers KV',
  group: GROUP,
  description: [
    'Reads one `key` (output `value`) or several `keys` (output `values`, a map) from a Workers KV namespace.',
    'Values are returned as text, parsed JSON (`as: json`) or base64 (`as: base64`, for binary values).',
    'A missing key fails with NOT_FOUND unless `ignoreMissing` is true (then it is listed in `missing`).',
    '',
    'Needs: a token with **Account: Workers KV Storage: Read**. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...namespaceShape,
      key: keyName.optional().describe('Key to read. Give this or `keys`.'),
      keys: z.array(keyName).optional().describe('Keys to read. Give this or `key`.'),
      as: z.enum(['text', 'json', 'base64']).default('text').describe('How to return values: text (default), json (parsed) or base64.'),
      ignoreMissing: z.boolean().default(false).describe('Do not fail on missing keys; report them in `missing`.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      if (!props.key === !props.keys?.length) ctx.addIssue({ code: 'custom', path: ['key'], message: 'give exactly one of key or keys' });
    }),
  outputs: z.object({
    value: z.unknown().optional().describe('Value of `key` (absent when it is missing and ignoreMissing is true)'),
    found: z.boolean().describe('Whether every requested key was found'),
    values: z.record(z.string(), z.unknown()).describe('Every value read, by key'),
    missing: z.array(z.string()).describe('Keys that do not exist'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Read a feature flag',
      flow: `id: cloudflare-kv-get
namespace: infra.edge
tasks:
  - id: flag
    type: io.kestra.plugin.cloudflare.kv.Get
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
    namespaceId: 0f2ac74b498b48028cb68387c421e279
    key: flags/checkout
    as: json
`,
    },
  ],
});

export const kvWriteDefinition = definePlugin({
  id: 'cloudflare.kv.Write',
  aliases: [kestraAlias('cloudflare.kv.Write'), 'io.kestra.plugin.cloudflare.compute.kv.Write'],
  title: 'Write values to Workers KV',
  group: GROUP,
  description: [
    'Writes key/value pairs to a Workers KV namespace with the bulk API (`PUT .../bulk`), each with an optional expiry and metadata.',
    `Give \`pairs\` (or Kestra's \`keyValues\`), or a single \`key\` and \`value\`. Lists longer than ${MAX_PAIRS_PER_WRITE} pairs are sent in several calls.`,
    'Objects and lists are stored as JSON text.',
    '',
    '**Idempotent**: writing the same pairs again leaves the same values. Needs: a token with **Account: Workers KV Storage: Edit**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...namespaceShape,
      pairs: z.array(pair).optional().describe('Pairs to write.'),
      keyValues: z.array(pair).optional().describe("Kestra's name for `pairs`."),
      key: keyName.optional().describe('Single key to write (with `value`).'),
      value: kvValue.optional(),
      expirationTtl: z.number().int().min(60).optional().describe('Default expiry in seconds from now for pairs that set none (at least 60).'),
      expiration: z.number().int().positive().optional().describe('Default absolute expiry (seconds since the epoch) for pairs that set none.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      const ways = [props.pairs?.length, props.keyValues?.length, props.key !== undefined].filter(Boolean).length;
      if (ways !== 1) ctx.addIssue({ code: 'custom', path: ['pairs'], message: 'give exactly one of pairs, keyValues, or key with value' });
      if (props.key !== undefined && props.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is required with key' });
    }),
  outputs: z.object({
    written: z.number().int().describe('Number of pairs written'),
    keys: z.array(z.string()).describe('Keys written'),
    successfulKeyCount: z.number().int().describe("Same as written (Kestra's output name)"),
    unsuccessfulKeys: z.array(z.string()).describe('Keys Cloudflare reported as not written'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Publish the new origin and a maintenance banner that expires in an hour',
      flow: `id: cloudflare-kv-write
namespace: infra.edge
tasks:
  - id: write
    type: io.kestra.plugin.cloudflare.kv.Write
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
    namespaceId: 0f2ac74b498b48028cb68387c421e279
    pairs:
      - key: routing/app
        value:
          origin: 203.0.113.10
          weight: 100
      - key: banner
        value: Maintenance tonight at 22:00 UTC
        expirationTtl: 3600
`,
    },
  ],
});

export const kvDeleteDefinition = definePlugin({
  id: 'cloudflare.kv.Delete',
  aliases: [kestraAlias('cloudflare.kv.Delete'), 'io.kestra.plugin.cloudflare.compute.kv.Delete'],
  title: 'Delete keys from Workers KV',
  group: GROUP,
  description: [
    'Deletes one `key` or several `keys` from a Workers KV namespace. Deleting a key that does not exist succeeds,',
    'so the task is **idempotent**. Needs: a token with **Account: Workers KV Storage: Edit**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...namespaceShape,
      key: keyName.optional().describe('Key to delete. Give this or `keys`.'),
      keys: z.array(keyName).optional().describe('Keys to delete. Give this or `key`.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      if (!props.key === !props.keys?.length) ctx.addIssue({ code: 'custom', path: ['key'], message: 'give exactly one of key or keys' });
    }),
  outputs: z.object({
    deleted: z.number().int().describe('Number of keys deleted (or already absent)'),
    keys: z.array(z.string()).describe('Keys deleted'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Remove the maintenance banner',
      flow: `id: cloudflare-kv-delete
namespace: infra.edge
tasks:
  - id: unbanner
    type: io.kestra.plugin.cloudflare.kv.Delete
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
    namespaceId: 0f2ac74b498b48028cb68387c421e279
    key: banner
`,
    },
  ],
});

export const kvListKeysDefinition = definePlugin({
  id: 'cloudflare.kv.ListKeys',
  aliases: [kestraAlias('cloudflare.kv.ListKeys'), 'io.kestra.plugin.cloudflare.compute.kv.ListKeys'],
  title: 'List keys in Workers KV',
  group: GROUP,
  description: [
    'Lists the keys of a Workers KV namespace (`GET .../keys`, cursor pagination), optionally under a `prefix`.',
    '',
    'Needs: a token with **Account: Workers KV Storage: Read**. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...namespaceShape,
      prefix: z.string().min(1).optional().describe('Only keys that start with this prefix.'),
      maxResults: maxResultsProp,
    })
    .superRefine(checkAuth),
  outputs: z.object({
    keys: z
      .array(
        z.object({
          name: z.string().describe('Key name'),
          expiration: z.number().optional().describe('Expiry, seconds since the epoch'),
          metadata: z.unknown().optional().describe('Metadata stored with the key'),
        }),
      )
      .describe('Keys found'),
    names: z.array(z.string()).describe('Key names only'),
    count: z.number().int().describe('Number of keys returned'),
    truncated: z.boolean().describe('True when maxResults stopped the listing before the end'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'List the routing keys',
      flow: `id: cloudflare-kv-list
namespace: infra.edge
tasks:
  - id: routes
    type: io.kestra.plugin.cloudflare.kv.ListKeys
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
    namespaceId: 0f2ac74b498b48028cb68387c421e279
    prefix: routing/
`,
    },
  ],
});
