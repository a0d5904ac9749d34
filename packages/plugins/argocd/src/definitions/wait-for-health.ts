import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, applicationProp, checkAuth, connectionShape, isoDuration, scopeShape, statusOutputShape } from './common';

export const waitForHealthDefinition = definePlugin({
  id: 'argocd.apps.WaitForHealth',
  aliases: ['io.kestra.plugin.argocd.apps.WaitForHealth'],
  title: 'Wait until an Argo CD application is healthy',
  group: GROUP,
  description: [
    'Polls an Argo CD Application until it is **Healthy** (and **Synced**, unless `requireSynced` is false) with no operation running.',
    'It fails fast, without retry, when the health becomes one of `failOn` (Degraded or Missing by default), naming the unhealthy resources.',
    'The wait ends at `waitTimeout` or just before the task `timeout`, whichever comes first (error `TIMEOUT`).',
    '',
    'This is the gate between "the sync finished" and "the service works": put it after `argocd.apps.Sync`, before DNS or cache changes.',
    '',
    'Needs: `server` and a `token` (or `username`/`password`) with `get` permission. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      application: applicationProp,
      waitTimeout: isoDuration.default('PT10M').describe('Longest time to wait for the application to become healthy (ISO-8601, default PT10M).'),
      pollInterval: isoDuration.default('PT5S').describe('How often to read the application (ISO-8601, default PT5S).'),
      requireSynced: z.boolean().default(true).describe('Also require the sync status to be Synced.'),
      failOn: z
        .array(z.enum(['Degraded', 'Missing', 'Suspended', 'Unknown']))
        .default(['Degraded', 'Missing'])
        .describe('Health states that fail the task at once instead of waiting (default Degraded and Missing).'),
    })
    .superRefine(checkAuth),
  outputs: z.object({
    ...statusOutputShape,
    waitedMs: z.number().int().describe('How long the task waited, in milliseconds'),
  }),
  idempotent: true,
  activity: {
    timeout: 'PT30M',
    heartbeatTimeout: 'PT10S',
    retry: { maxAttempt: 2, interval: 'PT10S' },
  },
  examples: [
    {
      title: 'Sync, then wait for the rollout to become healthy',
      flow: `id: argocd-sync-and-wait
namespace: infra.delivery
pluginDefaults:
  - type: io.kestra.plugin.argocd.apps
    values:
      server: "{{ secret('ARGOCD_SERVER') }}"
      token: "{{ secret('ARGOCD_TOKEN') }}"
tasks:
  - id: sync
    type: io.kestra.plugin.argocd.apps.Sync
    application: my-app
  - id: healthy
    type: io.kestra.plugin.argocd.apps.WaitForHealth
    application: my-app
    waitTimeout: PT15M
    pollInterval: PT10S
`,
    },
  ],
});
