import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, applicationProp, checkAuth, connectionShape, operationOutputShape, scopeShape, waitShape } from './common';

export const syncResource = z
  .object({
    group: z.string().default('').describe('API group, empty for core resources (Service, ConfigMap)'),
    kind: z.string().min(1).describe('Kind, e.g. Deployment'),
    name: z.string().min(1).describe('Resource name'),
    namespace: z.string().optional().describe('Namespace, for namespaced resources'),
  })
  .describe('One resource to sync');

export const syncDefinition = definePlugin({
  id: 'argocd.apps.Sync',
  aliases: ['io.kestra.plugin.argocd.apps.Sync'],
  title: 'Sync an Argo CD application',
  group: GROUP,
  description: [
    'Starts a sync of an Argo CD Application through the REST API (`POST /api/v1/applications/{name}/sync`) and, by default,',
    'waits for the operation to finish (`status.operationState.phase` Succeeded, Failed or Error), logging progress and heartbeating.',
    '',
    "- A **Failed** or **Error** phase fails the task with Argo CD's message and the resources that failed.",
    '- The wait ends at `waitTimeout` or just before the task `timeout`, whichever comes first (error `TIMEOUT`; the sync keeps running in Argo CD).',
    '- A kill stops the wait at once and, with `terminateOnCancel` (default), terminates the running operation.',
    '- `healthStatus` in the outputs can still be `Progressing`: follow with `argocd.apps.WaitForHealth` to gate on a healthy rollout.',
    '',
    'Needs: `server` and a `token` (or `username`/`password`) with `sync` permission on the application.',
    'No CLI is downloaded. **Idempotent** when `revision` is pinned: syncing again to the same revision leaves the same state.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      application: applicationProp,
      revision: z.string().min(1).optional().describe('Git revision, tag, branch or Helm chart version to sync to. Default: the target revision in the application spec.'),
      prune: z.boolean().default(false).describe('Delete resources that are no longer in Git.'),
      dryRun: z.boolean().default(false).describe('Validate the sync without applying anything (`kubectl apply --dry-run`).'),
      force: z.boolean().default(false).describe('Use `kubectl apply --force` (delete and re-create resources that cannot be patched).'),
      resources: z.array(syncResource).optional().describe('Sync only these resources instead of the whole application.'),
      wait: z.boolean().default(true).describe('Wait for the sync operation to finish. When false the task returns as soon as Argo CD accepted the sync.'),
      terminateOnCancel: z.boolean().default(true).describe('When the execution is killed during the wait, terminate the running sync operation in Argo CD.'),
      ...waitShape,
    })
    .superRefine(checkAuth),
  outputs: z.object(operationOutputShape),
  idempotent: true,
  activity: {
    timeout: 'PT30M',
    heartbeatTimeout: 'PT10S',
    retry: { maxAttempt: 3, interval: 'PT10S', backoffCoefficient: 2, maxInterval: 'PT2M' },
  },
  examples: [
    {
      title: 'Sync an application and prune resources removed from Git',
      flow: `id: argocd-sync
namespace: infra.delivery
tasks:
  - id: sync
    type: io.kestra.plugin.argocd.apps.Sync
    server: https://argocd.example.com
    token: "{{ secret('ARGOCD_TOKEN') }}"
    application: my-app
    prune: true
    timeout: PT10M
`,
    },
    {
      title: 'Sync to a pinned revision, two resources only, with the connection in pluginDefaults',
      flow: `id: argocd-sync-revision
namespace: infra.delivery
inputs:
  - id: revision
    type: STRING
    defaults: v1.4.2
pluginDefaults:
  - type: argocd.apps
    values:
      server: "{{ secret('ARGOCD_SERVER') }}"
      token: "{{ secret('ARGOCD_TOKEN') }}"
tasks:
  - id: sync
    type: argocd.apps.Sync
    application: payments
    project: team-payments
    revision: "{{ inputs.revision }}"
    resources:
      - group: apps
        kind: Deployment
        name: payments-api
        namespace: payments
      - kind: ConfigMap
        name: payments-config
        namespace: payments
    waitTimeout: PT15M
`,
    },
  ],
});
