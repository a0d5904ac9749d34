import { definePlugin, z } from '@baton/plugin-sdk';
import { ACTIVITY, EXECUTION_NOTE, GROUP, executionShape, executionWebhookOutputs, payloadProp, webhookOutputs, webhookUrlProp } from './common';

const url = webhookUrlProp('Slack', 'https://hooks.slack.com/services/T000/B000/XXXX');

export const slackIncomingWebhookDefinition = definePlugin({
  id: 'notifications.slack.SlackIncomingWebhook',
  aliases: ['io.kestra.plugin.notifications.slack.SlackIncomingWebhook'],
  title: 'Send a Slack message through an incoming webhook',
  group: `${GROUP} / Slack`,
  description: [
    "Posts `payload` (Slack's message JSON: `text`, `blocks`, `attachments`) to a Slack incoming webhook.",
    '',
    'Needs: an incoming-webhook URL of a Slack app, kept in a secret. Not idempotent: a retry after a lost answer can post twice.',
  ].join('\n'),
  props: z.object({ url, payload: payloadProp }).strict(),
  outputs: webhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Tell a channel that a deployment finished',
      flow: `id: slack-deploy-done
namespace: infra.delivery
tasks:
  - id: deploy
    type: io.kestra.plugin.core.log.Log
    message: deploying
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: "{{ secret('SLACK_WEBHOOK') }}"
    payload: |
      {"text": "{{ flow.namespace }}.{{ flow.id }} deployed (execution {{ execution.id }})"}
`,
    },
  ],
});

export const slackExecutionDefinition = definePlugin({
  id: 'notifications.slack.SlackExecution',
  aliases: ['io.kestra.plugin.notifications.slack.SlackExecution'],
  title: 'Send a Slack summary of an execution',
  group: `${GROUP} / Slack`,
  description: [
    'Posts a summary of an execution to a Slack incoming webhook: namespace, flow, id, state, duration, the failed task and its error, custom fields and message, and a button to the execution.',
    EXECUTION_NOTE,
    '',
    'Needs: an incoming-webhook URL of a Slack app, kept in a secret. Not idempotent: a retry after a lost answer can post twice.',
  ].join('\n'),
  props: z
    .object({
      url,
      channel: z.string().optional().describe('Channel to post to, when the webhook allows overriding it (legacy webhooks).'),
      username: z.string().optional().describe('Author name shown on the message (legacy webhooks).'),
      iconUrl: z.string().optional().describe('URL of the author icon (legacy webhooks).'),
      iconEmoji: z.string().optional().describe('Emoji used as the author icon, e.g. `:rotating_light:` (legacy webhooks).'),
      ...executionShape,
    })
    .strict(),
  outputs: executionWebhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Alert a channel when the flow fails (errors branch)',
      flow: `id: slack-on-failure
namespace: infra.delivery
tasks:
  - id: deploy
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the rollout did not become healthy
errors:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('SLACK_WEBHOOK') }}"
    customMessage: "On call: #platform-oncall"
    customFields:
      Environment: production
`,
    },
  ],
});
