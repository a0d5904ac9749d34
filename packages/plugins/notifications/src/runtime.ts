import type { PluginRuntime } from '@baton/plugin-sdk';
import { mailExecutionRuntime, mailSendRuntime } from './tasks/mail';
import {
  discordExecutionRuntime,
  discordIncomingWebhookRuntime,
  slackExecutionRuntime,
  slackIncomingWebhookRuntime,
  teamsExecutionRuntime,
  teamsIncomingWebhookRuntime,
  webhookRuntime,
} from './tasks/webhooks';

/** Notification runtimes. Only the worker imports this module (`@baton/plugin-notifications/runtime`). */
export const runtimes: PluginRuntime[] = [
  slackIncomingWebhookRuntime,
  slackExecutionRuntime,
  teamsIncomingWebhookRuntime,
  teamsExecutionRuntime,
  discordIncomingWebhookRuntime,
  discordExecutionRuntime,
  webhookRuntime,
  mailSendRuntime,
  mailExecutionRuntime,
] as PluginRuntime[];
