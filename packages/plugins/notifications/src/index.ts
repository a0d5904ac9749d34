import type { PluginDefinition } from '@baton/plugin-sdk';
import { discordExecutionDefinition, discordIncomingWebhookDefinition } from './definitions/discord';
import { mailExecutionDefinition, mailSendDefinition } from './definitions/mail';
import { slackExecutionDefinition, slackIncomingWebhookDefinition } from './definitions/slack';
import { teamsExecutionDefinition, teamsIncomingWebhookDefinition } from './definitions/teams';
import { webhookDefinition } from './definitions/webhook';

/**
 * Notification tasks (Kestra's plugin-notifications names): Slack, Microsoft Teams, Discord, a
 * generic JSON webhook and SMTP mail. Definitions only; the worker imports `./runtime`.
 */
export {
  discordExecutionDefinition,
  discordIncomingWebhookDefinition,
  mailExecutionDefinition,
  mailSendDefinition,
  slackExecutionDefinition,
  slackIncomingWebhookDefinition,
  teamsExecutionDefinition,
  teamsIncomingWebhookDefinition,
  webhookDefinition,
};

export const definitions: PluginDefinition[] = [
  slackIncomingWebhookDefinition,
  slackExecutionDefinition,
  teamsIncomingWebhookDefinition,
  teamsExecutionDefinition,
  discordIncomingWebhookDefinition,
  discordExecutionDefinition,
  webhookDefinition,
  mailSendDefinition,
  mailExecutionDefinition,
];

/** The `*Execution` types: they summarise an execution, so a flow's `notifications` may use them. */
export const executionNotificationIds = [slackExecutionDefinition, teamsExecutionDefinition, discordExecutionDefinition, mailExecutionDefinition].map((d) => d.id);
