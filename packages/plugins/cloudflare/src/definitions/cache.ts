import { definePlugin, z } from '@baton/plugin-sdk';
import { checkAuth, connectionShape, kestraAlias, zoneIdProp } from './common';

/** Cloudflare accepts at most 30 URLs (Free plan) per purge-by-URL call; larger lists are split. */
export const MAX_FILES_PER_PURGE = 30;

const fileEntry = z.union([
  z.string().min(1).describe('URL to purge'),
  z
    .object({
      url: z.string().min(1).describe('URL to purge'),
      headers: z.record(z.string(), z.string()).optional().describe('Request headers the cached variant was stored under (e.g. CF-Device-Type)'),
    })
    .describe('A URL with the headers of the cached variant'),
]);

export const cachePurgeDefinition = definePlugin({
  id: 'cloudflare.cache.Purge',
  aliases: [kestraAlias('cloudflare.cache.Purge')],
  title: 'Purge the Cloudflare cache',
  group: 'Cloudflare / Cache',
  description: [
    'Purges cached content of a zone (`POST /zones/{zoneId}/purge_cache`): everything, or by `files` (URLs), `tags`, `hosts` or `prefixes`.',
    `Give exactly one of them. URL lists longer than ${MAX_FILES_PER_PURGE} are sent in several calls.`,
    '',
    '**Idempotent**: purging twice leaves the cache in the same (empty) state. Needs: a token with **Zone: Cache Purge**.',
    'Tags, hosts and prefixes need an Enterprise plan on older accounts; Cloudflare answers with an error that says so.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      zoneId: zoneIdProp,
      everything: z.boolean().optional().describe('Purge everything in the zone.'),
      purgeAll: z.boolean().optional().describe("Kestra's name for `everything`."),
      files: z.array(fileEntry).optional().describe('URLs to purge (strings, or `{url, headers}` for cached variants).'),
      tags: z.array(z.string().min(1)).optional().describe('Cache-Tag values to purge.'),
      hosts: z.array(z.string().min(1)).optional().describe('Host names whose cached content to purge.'),
      prefixes: z.array(z.string().min(1)).optional().describe('URL prefixes (host/path, no scheme) to purge.'),
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      const given = [
        props.everything || props.purgeAll ? 'everything' : undefined,
        props.files?.length ? 'files' : undefined,
        props.tags?.length ? 'tags' : undefined,
        props.hosts?.length ? 'hosts' : undefined,
        props.prefixes?.length ? 'prefixes' : undefined,
      ].filter(Boolean);
      if (given.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['files'],
          message:
            given.length === 0
              ? 'give one of everything: true, files, tags, hosts or prefixes'
              : `give only one of everything, files, tags, hosts or prefixes (got ${given.join(', ')})`,
        });
      }
    }),
  outputs: z.object({
    id: z.string().describe('Identifier Cloudflare returned for the (last) purge request'),
    requestId: z.string().describe("Same as id (Kestra's output name)"),
    ids: z.array(z.string()).describe('Identifiers of every purge request sent'),
    purged: z
      .object({
        by: z.enum(['everything', 'files', 'tags', 'hosts', 'prefixes']).describe('What was purged by'),
        count: z.number().int().describe('How many URLs, tags, hosts or prefixes (0 for everything)'),
      })
      .describe('What was purged'),
  }),
  idempotent: true,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 4, interval: 'PT5S', backoffCoefficient: 2, maxInterval: 'PT1M' } },
  examples: [
    {
      title: 'Purge the home page after a DNS move',
      flow: `id: cloudflare-purge-files
namespace: infra.edge
tasks:
  - id: purge_cache
    type: io.kestra.plugin.cloudflare.cache.Purge
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    files:
      - https://app.example.com/
      - url: https://app.example.com/index.html
        headers:
          CF-Device-Type: mobile
`,
    },
    {
      title: 'Purge everything in a zone',
      flow: `id: cloudflare-purge-everything
namespace: infra.edge
tasks:
  - id: purge
    type: cloudflare.cache.Purge
    apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
    zoneId: 023e105f4ecef8ad9ca31a8372d0c353
    everything: true
`,
    },
  ],
});
