import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, applicationProp, checkAuth, connectionShape, operationOutputShape, scopeShape, waitShape } from './common';

export const rollbackDefinition = definePlugin({
  id: 'argocd.apps.Rollback',
  aliases: ['io.kestra.plugin.argocd.apps.Rollback'],
  title: 'Roll an Argo CD application back to an earlier sync',
  group: GROUP,
  description: [
    'Rolls an application back to an entry of its sync history (`POST /api/v1/applications/{name}/rollback`): either `historyId`,',
    'or `previous: true` for the entry before the current one. Then, like Sync, waits for the operation to finish (Failed or Error fail the task).',
    '',
    'Argo CD refuses a rollback while automated sync is enabled on the application; the error says so.',
    '',
    'Needs: `server` and a `token` (or `username`/`password`) with `sync` permission.',
    '**Idempotent** with `historyId` (the end state is that revision); **not** with `previous: true`, since each run moves one entry back from the then-current one.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      ...scopeShape,
      application: applicationProp,
      historyId: z.number().int().nonnegative().optional().describe('History id to roll back to (see `app.status.history[].id`). Not `id`: that is the task id.'),
      previous: z.boolean().default(false).describe('Roll back to the history entry before the current one.'),
      prune: z.boolean().default(false).describe('Delete resources that are not part of the target revision.'),
      dryRun: z.boolean().default(false).describe('Validate without applying.'),
      wait: z.boolean().default(true).describe('Wait for the rollback operation to finish.'),
      terminateOnCancel: z.boolean().default(true).describe('When the execution is killed during the wait, terminate the running operation in Argo CD.'),
      ...waitShape,
    })
    .superRefine((props, ctx) => {
      checkAuth(props, ctx);
      if (props.historyId === undefined && !props.previous) {
        ctx.addIssue({ code: 'custom', path: ['historyId'], message: 'give the historyId to roll back to, or previous: true' });
      }
      if (props.historyId !== undefined && props.previous) {
        ctx.addIssue({ code: 'custom', path: ['previous'], message: 'give either historyId or previous: true, not both' });
      }
    }),
  outputs: z.object({
    ...operationOutputShape,
    rolledBackTo: z
      .object({
        id: z.number().int().describe('History id'),
        revision: z.string().optional().describe('Revision of that history entry'),
      })
      .describe('The history entry the application was rolled back to'),
  }),
  idempotent: false,
  activity: {
    timeout: 'PT30M',
    heartbeatTimeout: 'PT10S',
    retry: { maxAttempt: 2, interval: 'PT10S' },
  },
  examples: [
    {
      title: 'Roll back to the previous deployment when the health gate fails',
      flow: `id: argocd-rollout-with-rollback
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
    waitTimeout: PT10M
errors:
  - id: rollback
    type: io.kestra.plugin.argocd.apps.Rollback
    application: my-app
    previous: true
`,
    },
    {
      title: 'Roll back to a known history id',
      flow: `id: argocd-rollback-to-id
namespace: infra.delivery
tasks:
  - id: rollback
    type: argocd.apps.Rollback
    server: argocd.example.com
    username: admin
    password: "{{ secret('ARGOCD_PASSWORD') }}"
    application: my-app
    historyId: 12
`,
    },
  ],
});
