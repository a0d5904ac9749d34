import { definePlugin, z } from '@baton/plugin-sdk';
import { ACTIVITY, EXECUTION_NOTE, GROUP, executionShape, executionWebhookOutputs, payloadProp, webhookOutputs, webhookUrlProp } from './common';

const url = webhookUrlProp('Microsoft Teams', 'https://example.webhook.office.com/webhookb2/XXXX');

export const teamsIncomingWebhookDefinition = definePlugin({
  id: 'notifications.teams.TeamsIncomingWebhook',
  aliases: ['io.kestra.plugin.notifications.teams.TeamsIncomingWebhook'],
  title: 'Send a Microsoft Teams message through an incoming webhook',
  group: `${GROUP} / Microsoft Teams`,
  description: [
    'Posts `payload` (an Adaptive Card message, or a legacy MessageCard) to a Teams incoming webhook or a Workflows webhook.',
    '',
    'Needs: the webhook URL, kept in a secret. Not idempotent: a retry after a lost answer can post twice.',
  ].join('\n'),
  props: z.object({ url, payload: payloadProp }).strict(),
  outputs: webhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Post a card to a Teams channel',
      flow: `id: teams-message
namespace: infra.delivery
tasks:
  - id: teams
    type: io.kestra.plugin.notifications.teams.TeamsIncomingWebhook
    url: "{{ secret('TEAMS_WEBHOOK') }}"
    payload:
      type: message
      attachments:
        - contentType: application/vnd.microsoft.card.adaptive
          content:
            type: AdaptiveCard
            version: "1.4"
            body:
              - type: TextBlock
                text: "{{ flow.id }} finished"
`,
    },
  ],
});

export const teamsExecutionDefinition = definePlugin({
  id: 'notifications.teams.TeamsExecution',
  aliases: ['io.kestra.plugin.notifications.teams.TeamsExecution'],
  title: 'Send a Microsoft Teams summary of an execution',
  group: `${GROUP} / Microsoft Teams`,
  description: [
    'Posts an Adaptive Card summarising an execution (state, flow, duration, failed task, custom fields) with a button to the execution page.',
    EXECUTION_NOTE,
    '',
    'Needs: the Teams webhook URL, kept in a secret. Not idempotent: a retry after a lost answer can post twice.',
  ].join('\n'),
  props: z
    .object({
      url,
      activityTitle: z.string().optional().describe('Card title; by default `[namespace] flow ➛ STATE`.'),
      activitySubtitle: z.string().optional().describe('Line under the title; by default where it failed and how long it took.'),
      ...executionShape,
    })
    .strict(),
  outputs: executionWebhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Report a failed execution to Teams',
      flow: `id: teams-on-failure
namespace: infra.delivery
tasks:
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
errors:
  - id: teams
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: "{{ secret('TEAMS_WEBHOOK') }}"
`,
    },
  ],
});
