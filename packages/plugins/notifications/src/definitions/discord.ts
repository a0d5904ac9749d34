import { definePlugin, z } from '@baton/plugin-sdk';
import { ACTIVITY, EXECUTION_NOTE, GROUP, executionShape, executionWebhookOutputs, payloadProp, webhookOutputs, webhookUrlProp } from './common';

const url = webhookUrlProp('Discord', 'https://discord.com/api/webhooks/123/XXXX');

export const discordIncomingWebhookDefinition = definePlugin({
  id: 'notifications.discord.DiscordIncomingWebhook',
  aliases: ['io.kestra.plugin.notifications.discord.DiscordIncomingWebhook'],
  title: 'Send a Discord message through a webhook',
  group: `${GROUP} / Discord`,
  description: [
    "Posts `payload` (Discord's webhook JSON: `content`, `username`, `embeds`) to a Discord channel webhook.",
    '',
    'Needs: the channel webhook URL, kept in a secret. Not idempotent: a retry after a lost answer can post twice.',
  ].join('\n'),
  props: z.object({ url, payload: payloadProp }).strict(),
  outputs: webhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Post to a Discord channel',
      flow: `id: discord-message
namespace: infra.delivery
tasks:
  - id: discord
    type: io.kestra.plugin.notifications.discord.DiscordIncomingWebhook
    url: "{{ secret('DISCORD_WEBHOOK') }}"
    payload: |
      {"username": "Baton", "content": "{{ flow.id }} finished"}
`,
    },
  ],
});

export const discordExecutionDefinition = definePlugin({
  id: 'notifications.discord.DiscordExecution',
  aliases: ['io.kestra.plugin.notifications.discord.DiscordExecution'],
  title: 'Send a Discord summary of an execution',
  group: `${GROUP} / Discord`,
  description: [
    'Posts an embed summarising an execution (state as colour, flow, duration, failed task, custom fields) linking to the execution page.',
    EXECUTION_NOTE,
    '',
    'Needs: the channel webhook URL, kept in a secret. Not idempotent: a retry after a lost answer can post twice.',
  ].join('\n'),
  props: z
    .object({
      url,
      username: z.string().optional().describe('Name the message is posted under.'),
      avatarUrl: z.string().optional().describe('URL of the avatar the message is posted with.'),
      content: z.string().optional().describe('Text above the embed; by default `[namespace] flow ➛ STATE`.'),
      ...executionShape,
    })
    .strict(),
  outputs: executionWebhookOutputs,
  idempotent: false,
  activity: ACTIVITY,
  examples: [
    {
      title: 'Report the end of an execution to Discord',
      flow: `id: discord-on-failure
namespace: infra.delivery
tasks:
  - id: sync
    type: io.kestra.plugin.core.log.Log
    message: syncing
errors:
  - id: discord
    type: io.kestra.plugin.notifications.discord.DiscordExecution
    url: "{{ secret('DISCORD_WEBHOOK') }}"
    username: Baton
`,
    },
  ],
});
