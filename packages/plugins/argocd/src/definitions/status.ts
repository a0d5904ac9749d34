import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, applicationProp, checkAuth, connectionShape, scopeShape, statusOutputShape } from './common';

export const refreshProp = z
  .union([z.boolean(), z.enum(['normal', 'hard'])])
  .default(false)
  .describe(
    'Ask Argo CD to refresh the application before answering: `true` or `normal` compares with the cached manifests, `hard` regenerates them, `false` reads the last known state.',
  );

export const statusDefinition = definePlugin({
  id: 'argocd.apps.Status',
  aliases: ['io.kestra.plugin.argocd.apps.Status'],
  title: 'Read the status of an Argo CD application',
  group: GROUP,
  description: [
    'Reads an Argo CD Application (`GET /api/v1/applications/{name}`), optionally after a refresh, and returns its sync and health',
    "status, conditions and resources. The whole object is in `app`, so `outputs.<id>.app.status.health.status` works as in Kestra's blueprints.",
    '',
    'Needs: `server` and a `token` (or `username`/`password`) with `get` permission. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      application: applicationProp,
      refresh: refreshProp,
    })
    .superRefine(checkAuth),
  outputs: z.object(statusOutputShape),
  idempotent: true,
  activity: {
    timeout: 'PT2M',
    heartbeatTimeout: 'PT30S',
    retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2, maxInterval: 'PT1M' },
  },
  examples: [
    {
      title: 'Gate a rollout on the application being healthy and synced',
      flow: `id: argocd-status-gate
namespace: infra.delivery
tasks:
  - id: status
    type: io.kestra.plugin.argocd.apps.Status
    server: https://argocd.example.com
    token: "{{ secret('ARGOCD_TOKEN') }}"
    application: my-app
    refresh: true
  - id: gate_on_health
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ outputs.status.app.status.health.status == 'Healthy' }}"
      - "{{ outputs.status.syncStatus == 'Synced' }}"
`,
    },
  ],
});
