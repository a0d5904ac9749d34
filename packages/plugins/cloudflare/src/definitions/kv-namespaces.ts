import { definePlugin, z } from '@baton/plugin-sdk';
import { accountIdProp, checkAuth, connectionShape, kestraAlias, maxResultsProp } from './common';

const GROUP = 'Cloudflare / Workers KV';
const ACTIVITY = { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 } };

export const namespaceOutput = z
  .object({
    id: z.string().describe('Namespace identifier'),
    title: z.string().describe('Namespace title'),
    supportsUrlEncoding: z.boolean().optional().describe('Whether keys may be URL-encoded'),
  })
  .describe('A Workers KV namespace');

export const kvNamespacesCreateDefinition = definePlugin({
  id: 'cloudflare.kv.namespaces.Create',
  aliases: [kestraAlias('cloudflare.kv.namespaces.Create'), 'io.kestra.plugin.cloudflare.compute.namespaces.Create'],
  title: 'Create a Workers KV namespace',
  group: GROUP,
  description: [
    'Creates a Workers KV namespace with a `title` (`POST /accounts/{accountId}/storage/kv/namespaces`).',
    '',
    '**Not idempotent** by default: titles are unique per account and Cloudflare refuses a second one.',
    'With `ifExists: skip` an existing namespace with the same title is returned instead (`created: false`).',
    '',
    'Needs: a token with **Account: Workers KV Storage: Edit**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      accountId: accountIdProp,
      title: z.string().min(1, 'title is required').max(512).describe('Namespace title, unique in the account.'),
      ifExists: z.enum(['fail', 'skip']).default('fail').describe('When a namespace with this title exists: fail (default) or skip and return it.'),
    })
    .superRefine(checkAuth),
  outputs: z.object({
    namespace: namespaceOutput,
    namespaceId: z.string().describe('Namespace identifier'),
    created: z.boolean().describe('False when ifExists: skip found an existing namespace'),
  }),
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Create a namespace for a new environment and seed a key',
      flow: `id: cloudflare-kv-namespace
namespace: infra.edge
pluginDefaults:
  - type: io.kestra.plugin.cloudflare
    values:
      apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
      accountId: 0123456789abcdef0123456789abcdef
tasks:
  - id: ns
    type: io.kestra.plugin.cloudflare.kv.namespaces.Create
    title: staging-routing
    ifExists: skip
  - id: seed
    type: io.kestra.plugin.cloudflare.kv.Write
    namespaceId: "{{ outputs.ns.namespaceId }}"
    key: routing/app
    value: 203.0.113.10
`,
    },
  ],
});

export const kvNamespacesListDefinition = definePlugin({
  id: 'cloudflare.kv.namespaces.List',
  aliases: [kestraAlias('cloudflare.kv.namespaces.List'), 'io.kestra.plugin.cloudflare.compute.namespaces.List'],
  title: 'List Workers KV namespaces',
  group: GROUP,
  description: ['Lists the Workers KV namespaces of an account.', '', 'Needs: a token with **Account: Workers KV Storage: Read**. Read-only and **idempotent**.'].join('\n'),
  props: z
    .object({
      ...connectionShape,
      accountId: accountIdProp,
      maxResults: maxResultsProp,
    })
    .superRefine(checkAuth),
  outputs: z.object({
    namespaces: z.array(namespaceOutput).describe('Namespaces of the account'),
    count: z.number().int().describe('Number of namespaces returned'),
  }),
  idempotent: true,
  activity: ACTIVITY,
  examples: [
    {
      title: 'List namespaces',
      flow: `id: cloudflare-kv-namespaces
namespace: infra.edge
tasks:
  - id: namespaces
    type: io.kestra.plugin.cloudflare.kv.namespaces.List
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    accountId: 0123456789abcdef0123456789abcdef
`,
    },
  ],
});
