import { definePlugin, z } from '@baton/plugin-sdk';
import { ACTIVITY, GROUP, payloadProp, webhookOutputs, webhookUrlProp } from './common';

export const webhookDefinition = definePlugin({
  id: 'notifications.webhook.Webhook',
  // Kestra's notifications plugin has no generic webhook (Kestra users post with core.http.Request);
  // this one is Baton's, for receivers that take any JSON (Mattermost, Rocket.Chat, an alert router).
  aliases: [],
  title: 'Send a templated JSON body to any webhook',
  group: `${GROUP} / Webhook`,
  description: [
    'Sends `payload` as JSON to any URL: a chat tool not covered by a dedicated task, an alert router, your own service.',
    'Write the body as a YAML mapping or a JSON string; expressions in it (`{{ execution.id }}`, `{{ outputs.x.y }}`) are rendered first.',
    "A 2xx answer succeeds; 429 and 5xx are retried (Retry-After is honoured); other answers fail with the receiver's message.",
    '',
    'Needs: the receiver URL (kept in a secret when it carries a token: it is masked either way). Not idempotent: a retry after a lost answer can send twice.',
  ].join('\n'),
  props: z
    .object({
      url: webhookUrlProp('receiver', 'https://alerts.example.com/hook'),
      method: z.enum(['POST', 'PUT', 'PATCH']).default('POST').describe('HTTP method.'),
      headers: z.record(z.string(), z.string()).optional().describe('Extra request headers, e.g. `Authorization: "Bearer {{ secret(\'HOOK_TOKEN\') }}"`.'),
      payload: payloadProp,
    })
    .strict(),
  outputs: webhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Send an alert with the execution link to an alert router',
      flow: `id: webhook-alert
namespace: infra.delivery
tasks:
  - id: check
    type: io.kestra.plugin.core.log.Log
    message: checking
errors:
  - id: alert
    type: notifications.webhook.Webhook
    url: https://alerts.example.com/hook
    headers:
      Authorization: "Bearer {{ secret('ALERT_TOKEN') }}"
    payload:
      summary: "{{ flow.namespace }}.{{ flow.id }} failed"
      execution: "{{ execution.id }}"
      severity: critical
`,
    },
  ],
});
