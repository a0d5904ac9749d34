import { defineRuntime } from '@baton/plugin-sdk';
import { discordExecutionDefinition, discordIncomingWebhookDefinition } from '../definitions/discord';
import { slackExecutionDefinition, slackIncomingWebhookDefinition } from '../definitions/slack';
import { teamsExecutionDefinition, teamsIncomingWebhookDefinition } from '../definitions/teams';
import { webhookDefinition } from '../definitions/webhook';
import { discordExecutionPayload, slackExecutionPayload, teamsExecutionPayload } from '../payloads';
import { payloadText, postJson, summaryFor } from './post';

export const slackIncomingWebhookRuntime = defineRuntime(slackIncomingWebhookDefinition, async (ctx) => postJson(ctx, 'Slack', ctx.props.url, payloadText(ctx.props.payload)));
export const teamsIncomingWebhookRuntime = defineRuntime(teamsIncomingWebhookDefinition, async (ctx) => postJson(ctx, 'Teams', ctx.props.url, payloadText(ctx.props.payload)));
export const discordIncomingWebhookRuntime = defineRuntime(discordIncomingWebhookDefinition, async (ctx) =>
  postJson(ctx, 'Discord', ctx.props.url, payloadText(ctx.props.payload)),
);
export const webhookRuntime = defineRuntime(webhookDefinition, async (ctx) =>
  postJson(ctx, 'The', ctx.props.url, payloadText(ctx.props.payload), { method: ctx.props.method, headers: ctx.props.headers }),
);

export const slackExecutionRuntime = defineRuntime(slackExecutionDefinition, async (ctx) => {
  const s = await summaryFor(ctx);
  const sent = await postJson(ctx, 'Slack', ctx.props.url, JSON.stringify(slackExecutionPayload(s, ctx.props)));
  return { ...sent, executionId: s.id, state: s.state, link: s.link };
});

export const teamsExecutionRuntime = defineRuntime(teamsExecutionDefinition, async (ctx) => {
  const s = await summaryFor(ctx);
  const sent = await postJson(ctx, 'Teams', ctx.props.url, JSON.stringify(teamsExecutionPayload(s, ctx.props)));
  return { ...sent, executionId: s.id, state: s.state, link: s.link };
});

export const discordExecutionRuntime = defineRuntime(discordExecutionDefinition, async (ctx) => {
  const s = await summaryFor(ctx);
  const sent = await postJson(ctx, 'Discord', ctx.props.url, JSON.stringify(discordExecutionPayload(s, ctx.props)));
  return { ...sent, executionId: s.id, state: s.state, link: s.link };
});
