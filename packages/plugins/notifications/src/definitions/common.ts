import { z } from '@baton/plugin-sdk';

/**
 * Pieces the notification definitions share. Zod only: the web app imports this file.
 * Kestra's notification tasks keep their property names (url, payload, executionId,
 * customFields, customMessage); Baton adds outputs (the receiver's status) for debugging.
 */

export const GROUP = 'Notifications';

export const ACTIVITY = {
  timeout: 'PT1M',
  heartbeatTimeout: 'PT30S',
  // A webhook that is down or rate limited usually recovers within seconds.
  retry: { maxAttempt: 3, interval: 'PT2S', backoffCoefficient: 2, maxInterval: 'PT30S' },
} as const;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A webhook URL: a credential in itself (Slack, Teams and Discord put the token in it), so masked. */
export function webhookUrlProp(service: string, example: string) {
  return z
    .string()
    .refine(isHttpUrl, { message: `must be the ${service} webhook URL (http or https), e.g. ${example}` })
    .describe(
      `The ${service} incoming-webhook URL, e.g. \`${example}\`. It carries the webhook's token: keep it in a secret (\`{{ secret('…') }}\`); Baton masks it in logs, errors and rendered properties either way.`,
    );
}

export const payloadProp = z
  .union([z.string().min(1), z.record(z.string(), z.unknown())])
  .describe('The JSON body to send: a string of JSON (Kestra\'s form, usually a rendered template such as `{"text": "{{ flow.id }} done"}`) or a YAML mapping, sent as JSON.');

/** Kestra's ExecutionInterface: which execution to summarise, and what to add to the message. */
export const executionShape = {
  executionId: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The execution to report on. Defaults to the execution the task runs in (Kestra: `{{ execution.id }}`); in a flow started by a Flow trigger, use `{{ trigger.executionId }}`.',
    ),
  customMessage: z.string().optional().describe('A sentence added to the message, e.g. who to call.'),
  customFields: z.record(z.string(), z.unknown()).optional().describe('Extra name/value pairs shown with the execution facts (values that are not text are shown as JSON).'),
};

export const webhookOutputs = z.object({
  status: z.number().int().describe('HTTP status the receiver answered (2xx; anything else fails the task).'),
  response: z.string().describe("The first 1,000 characters of the receiver's answer (Slack answers `ok`)."),
});

export const executionWebhookOutputs = webhookOutputs.extend({
  executionId: z.string().describe('The execution the message was about.'),
  state: z.string().describe('Its state as reported in the message.'),
  link: z.string().describe('The link to its page in Baton (from BATON_PUBLIC_URL).'),
});

export const EXECUTION_NOTE =
  "The message links to the execution page under `BATON_PUBLIC_URL`. Used in an `errors` branch it reports the running execution as FAILED; in the flow's `notifications` (docs/notifications.md) it runs once the execution has ended.";
