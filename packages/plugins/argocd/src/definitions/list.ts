import { definePlugin, z } from '@baton/plugin-sdk';
import { GROUP, checkAuth, connectionShape } from './common';

export const listDefinition = definePlugin({
  id: 'argocd.apps.List',
  aliases: ['io.kestra.plugin.argocd.apps.List'],
  title: 'List Argo CD applications',
  group: GROUP,
  description: [
    'Lists Argo CD Applications (`GET /api/v1/applications`), filtered by projects, a label selector or a name,',
    'with their sync and health status. Use it to fan out over applications with `ForEach`.',
    '',
    'Needs: `server` and a `token` (or `username`/`password`); only applications the account may `get` are returned. Read-only and **idempotent**.',
  ].join('\n'),
  props: z
    .object({
      ...connectionShape,
      projects: z.array(z.string().min(1)).optional().describe('Only applications of these projects.'),
      selector: z.string().min(1).optional().describe('Kubernetes label selector, e.g. `team=payments,tier!=batch`.'),
      name: z.string().min(1).optional().describe('Only the application with this name.'),
      repo: z.string().min(1).optional().describe('Only applications whose source is this repository URL.'),
      appNamespace: z.string().min(1).optional().describe('Only applications in this namespace (applications in any namespace).'),
    })
    .superRefine(checkAuth),
  outputs: z.object({
    applications: z
      .array(
        z.object({
          name: z.string().describe('Application name'),
          namespace: z.string().optional().describe('Namespace of the Application resource'),
          project: z.string().describe('Argo CD project'),
          syncStatus: z.string().describe('Synced, OutOfSync or Unknown'),
          healthStatus: z.string().describe('Healthy, Progressing, Degraded, Suspended, Missing or Unknown'),
          revision: z.string().optional().describe('Revision the live state was compared to'),
        }),
      )
      .describe('Matching applications, sorted by name'),
    names: z.array(z.string()).describe('Names of the matching applications (handy for ForEach)'),
    count: z.number().int().describe('Number of applications returned'),
  }),
  idempotent: true,
  activity: {
    timeout: 'PT2M',
    heartbeatTimeout: 'PT30S',
    retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2 },
  },
  examples: [
    {
      title: 'List the applications of a team and sync each one',
      flow: `id: argocd-sync-team
namespace: infra.delivery
pluginDefaults:
  - type: io.kestra.plugin.argocd.apps
    values:
      server: "{{ secret('ARGOCD_SERVER') }}"
      token: "{{ secret('ARGOCD_TOKEN') }}"
tasks:
  - id: apps
    type: io.kestra.plugin.argocd.apps.List
    projects:
      - team-payments
    selector: tier=web
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ outputs.apps.names }}"
    tasks:
      - id: sync
        type: io.kestra.plugin.argocd.apps.Sync
        application: "{{ taskrun.value }}"
`,
    },
  ],
});
