import { definePlugin, KV_TYPES, z } from '@baton/plugin-sdk';
import { example } from './example';

// Kestra's KV tasks (io.kestra.plugin.core.kv.*): a namespace-scoped key-value store for small
// state between executions (the last processed id, a token's expiry, a switch). `namespace`
// defaults to the flow's.

const namespace = z.string().optional().describe("Namespace of the key (default: the flow's)");
const key = z.string().min(1).describe('The key, e.g. last_run_date');

export const kvSet = definePlugin({
  id: 'core.kv.Set',
  aliases: ['io.kestra.plugin.core.kv.Set'],
  kind: 'runnable',
  group: 'Core / KV store',
  title: 'Set a KV pair',
  description:
    'Stores `value` under `key` in the namespace\'s KV store. Without `kvType` the type follows the value (text, number, boolean, map/list as JSON); with it, text is converted (`"42"` as NUMBER is 42). `ttl` makes the pair expire; `overwrite: false` fails when the key exists.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({
    key,
    value: z.unknown().describe('The value (text, number, boolean, map or list)'),
    namespace,
    overwrite: z.boolean().optional().describe('Replace an existing value (default true)'),
    ttl: z.string().optional().describe('ISO-8601 time to live, e.g. P7D'),
    kvType: z.enum(KV_TYPES).optional().describe('Type to store the value as'),
    kvDescription: z.string().optional().describe('A description shown in the UI'),
  }),
  outputs: z.object({}),
  examples: [
    example(
      'Remember the last run',
      `
tasks:
  - id: remember
    type: io.kestra.plugin.core.kv.Set
    key: last_run
    value: "{{ execution.startDate }}"
    kvType: DATETIME
`,
    ),
  ],
});

export const kvGet = definePlugin({
  id: 'core.kv.Get',
  aliases: ['io.kestra.plugin.core.kv.Get'],
  kind: 'runnable',
  group: 'Core / KV store',
  title: 'Get a KV value',
  description:
    'Reads `key`; `outputs.<id>.value` is null when it is absent, unless `errorOnMissing: true` makes that a failure. The `kv()` function reads a value inside any expression.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({ key, namespace, errorOnMissing: z.boolean().optional().describe('Fail when the key is absent (default false)') }),
  outputs: z.object({ value: z.unknown().describe('The value, or null') }),
  examples: [
    example(
      'Read a value',
      `
tasks:
  - id: read
    type: io.kestra.plugin.core.kv.Get
    key: last_run
`,
    ),
  ],
});

export const kvGetKeys = definePlugin({
  id: 'core.kv.GetKeys',
  aliases: ['io.kestra.plugin.core.kv.GetKeys'],
  kind: 'runnable',
  group: 'Core / KV store',
  title: 'List KV keys',
  description: 'Lists the live keys of the namespace, optionally those starting with `prefix`.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({ prefix: z.string().optional().describe('Only keys starting with this'), namespace }),
  outputs: z.object({ keys: z.array(z.string()).describe('The keys, sorted') }),
  examples: [
    example(
      'Keys of a kind',
      `
tasks:
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: host_
`,
    ),
  ],
});

export const kvDelete = definePlugin({
  id: 'core.kv.Delete',
  aliases: ['io.kestra.plugin.core.kv.Delete'],
  kind: 'runnable',
  group: 'Core / KV store',
  title: 'Delete a KV pair',
  description: '`outputs.<id>.deleted` says whether the key existed; `errorOnMissing: true` fails when it did not.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({ key, namespace, errorOnMissing: z.boolean().optional().describe('Fail when the key is absent (default false)') }),
  outputs: z.object({ deleted: z.boolean().describe('Whether the key existed') }),
  examples: [
    example(
      'Forget a value',
      `
tasks:
  - id: forget
    type: io.kestra.plugin.core.kv.Delete
    key: last_run
`,
    ),
  ],
});

export const purgeKv = definePlugin({
  id: 'core.kv.PurgeKV',
  aliases: ['io.kestra.plugin.core.kv.PurgeKV'],
  kind: 'runnable',
  group: 'Core / KV store',
  title: 'Purge KV pairs',
  description:
    'Deletes keys of `namespaces` (with their children unless `includeChildNamespaces: false`; all namespaces of the tenant when absent), only expired ones unless `expiredOnly: false`, optionally only keys matching the glob `keyPattern`. `outputs.<id>.size` is the number deleted.',
  idempotent: true,
  activity: { timeout: 'PT5M', retry: { maxAttempt: 3 } },
  props: z.object({
    namespaces: z.array(z.string()).optional().describe('Namespaces to purge (default: every namespace)'),
    includeChildNamespaces: z.boolean().optional().describe('Also their child namespaces (default true)'),
    keyPattern: z.string().optional().describe('Glob on keys, e.g. AI_*'),
    expiredOnly: z.boolean().optional().describe('Only expired keys (default true)'),
  }),
  outputs: z.object({ size: z.number().describe('Keys deleted') }),
  examples: [
    example(
      'Nightly clean-up',
      `
tasks:
  - id: purge
    type: io.kestra.plugin.core.kv.PurgeKV
    namespaces: [company]
`,
    ),
  ],
});

export const kvDefinitions = [kvSet, kvGet, kvGetKeys, kvDelete, purgeKv];
