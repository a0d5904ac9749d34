import { parseDuration, z } from '@baton/plugin-sdk';

/**
 * Pieces every Argo CD definition shares: connection and scope properties, durations and the
 * output shapes built from an Application. Zod only: the web app imports this file.
 */

export const GROUP = 'Argo CD';

export const isoDuration = z.string().refine((v) => parseDuration(v) !== undefined, { message: 'must be an ISO-8601 duration such as PT30S, PT10M or PT1H' });

/** How a task reaches and authenticates to Argo CD (usually set once through pluginDefaults). */
export const connectionShape = {
  server: z
    .string()
    .min(1, 'server is required: the Argo CD URL, e.g. https://argocd.example.com')
    .describe('Argo CD server URL, e.g. `https://argocd.example.com` (a bare host name means https). A path prefix such as `/argocd` is kept.'),
  token: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Argo CD API token (JWT of a local account or project role), usually `{{ secret('ARGOCD_TOKEN') }}` or a namespace credential, `{{ credential('argocd') }}` (re-minted once if Argo CD answers 401). Give either `token`, or `username` and `password`.",
    ),
  username: z.string().min(1).optional().describe('Local account to log in as (POST /api/v1/session) when no `token` is given.'),
  password: z.string().min(1).optional().describe("Password of `username`, e.g. `{{ secret('ARGOCD_PASSWORD') }}`."),
  insecure: z.boolean().default(false).describe('Skip TLS certificate verification. Only for lab servers with self-signed certificates; prefer `caCert`.'),
  caCert: z.string().optional().describe('PEM certificate(s) of the CA that signed the server certificate (private PKI).'),
};

export const scopeShape = {
  project: z.string().min(1).optional().describe('Argo CD project of the application. Argo CD refuses the call when the application belongs to another project.'),
  appNamespace: z.string().min(1).optional().describe('Namespace of the Application resource, when Argo CD runs with applications in any namespace.'),
};

export const applicationProp = z.string().min(1, 'application is required').describe('Name of the Argo CD Application, e.g. `my-app`.');

/** A token, or a username with a password, must be given. */
export function checkAuth(props: { token?: string; username?: string; password?: string }, ctx: z.RefinementCtx): void {
  if (props.token) return;
  if (props.username && props.password) return;
  if (props.username && !props.password) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'password is required with username' });
    return;
  }
  ctx.addIssue({
    code: 'custom',
    path: ['token'],
    message: 'give a token (e.g. token: "{{ secret(\'ARGOCD_TOKEN\') }}"), or username and password',
  });
}

export const waitShape = {
  waitTimeout: isoDuration
    .optional()
    .describe('Longest time to wait for the operation, as an ISO-8601 duration (e.g. PT15M). The task `timeout` bounds the wait as well; the earlier one wins.'),
  pollInterval: isoDuration.default('PT2S').describe('How often to read the application while waiting (ISO-8601, default PT2S).'),
};

// ---- outputs ----------------------------------------------------------------

const loose = z.looseObject;

/** The Application object as Argo CD returns it, with the fields flows read most often described. */
export const applicationOutput = loose({
  metadata: loose({
    name: z.string().describe('Application name'),
    namespace: z.string().optional().describe('Namespace of the Application resource (usually argocd)'),
  }).describe('Kubernetes object metadata'),
  spec: loose({
    project: z.string().optional().describe('Argo CD project'),
  })
    .optional()
    .describe('Desired state: project, source(s), destination, sync policy'),
  status: loose({
    sync: loose({
      status: z.string().optional().describe('Synced, OutOfSync or Unknown'),
      revision: z.string().optional().describe('Revision the live state was compared to'),
    })
      .optional()
      .describe('Comparison of live and desired state'),
    health: loose({
      status: z.string().optional().describe('Healthy, Progressing, Degraded, Suspended, Missing or Unknown'),
    })
      .optional()
      .describe('Aggregated health of the application'),
    operationState: loose({
      phase: z.string().optional().describe('Running, Terminating, Succeeded, Failed or Error'),
      message: z.string().optional().describe('Message of the last operation'),
    })
      .optional()
      .describe('State of the last (or running) operation'),
    conditions: z.array(loose({})).optional().describe('Errors and warnings Argo CD reports for the application'),
    resources: z.array(loose({})).optional().describe('Managed resources with their sync and health status'),
    history: z.array(loose({})).optional().describe('Previous syncs, newest last'),
  })
    .optional()
    .describe('Observed state'),
}).describe('The Argo CD Application object as returned by the API (`app.status.health.status`, `app.status.sync.status`, ...).');

export const resourceStatusOutput = z
  .object({
    group: z.string().describe('API group, empty for core resources'),
    kind: z.string().describe('Kind, e.g. Deployment'),
    namespace: z.string().describe('Namespace, empty for cluster-scoped resources'),
    name: z.string().describe('Resource name'),
    status: z.string().describe('Sync status of the resource: Synced, OutOfSync, Unknown'),
    health: z.string().optional().describe('Health of the resource when Argo CD assesses it'),
    message: z.string().optional().describe('Health message, if any'),
  })
  .describe('A resource managed by the application');

export const conditionOutput = z
  .object({
    type: z.string().describe('Condition type, e.g. ComparisonError, SyncError, OrphanedResourceWarning'),
    message: z.string().describe('What Argo CD reports'),
  })
  .describe('An application condition');

export const statusOutputShape = {
  app: applicationOutput,
  syncStatus: z.string().describe('Synced, OutOfSync or Unknown'),
  healthStatus: z.string().describe('Healthy, Progressing, Degraded, Suspended, Missing or Unknown'),
  revision: z.string().optional().describe('Revision the live state was compared to (status.sync.revision)'),
  operationPhase: z.string().optional().describe('Phase of the last operation, if any'),
  conditions: z.array(conditionOutput).describe('Application conditions (errors, warnings)'),
  resources: z.array(resourceStatusOutput).describe('Managed resources with sync and health status'),
};

export const syncResultResourceOutput = z
  .object({
    group: z.string().describe('API group, empty for core resources'),
    kind: z.string().describe('Kind, e.g. Deployment'),
    namespace: z.string().describe('Namespace'),
    name: z.string().describe('Resource name'),
    status: z.string().describe('Result for the resource: Synced, SyncFailed, Pruned, PruneSkipped, Unknown'),
    message: z.string().optional().describe('Message from the apply (e.g. the error)'),
    hookPhase: z.string().optional().describe('Hook phase for hooks and tracked resources'),
    syncPhase: z.string().optional().describe('PreSync, Sync, PostSync or SyncFail'),
  })
  .describe('Result of the operation for one resource');

export const operationOutputShape = {
  app: applicationOutput,
  phase: z.string().describe('Operation phase: Succeeded, or Running when `wait` is false'),
  message: z.string().optional().describe('Operation message from Argo CD'),
  syncStatus: z.string().describe('Sync status after the operation: Synced, OutOfSync or Unknown'),
  healthStatus: z.string().describe('Health after the operation (may still be Progressing; use WaitForHealth to gate on Healthy)'),
  revision: z.string().optional().describe('Revision that was synced'),
  resources: z.array(syncResultResourceOutput).describe('Per-resource results of the operation'),
};
