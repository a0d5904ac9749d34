import { definePlugin, z } from '@baton/plugin-sdk';
import { example } from './example';
import { httpDownload } from './http-download';
import { httpRequest } from './http-request';
import { LOG_LEVELS } from '@baton/contract';

export { httpDownload, httpRequest };

export const log = definePlugin({
  id: 'core.Log',
  aliases: ['io.kestra.plugin.core.log.Log'],
  group: 'Core / Log',
  title: 'Write a log line',
  description: 'Writes one or more messages to the execution log. Secrets in the message are masked.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({
    message: z.union([z.string(), z.array(z.string())]).describe('Message, or list of messages'),
    level: z.enum(LOG_LEVELS).optional().describe('Log level (default INFO)'),
  }),
  outputs: z.object({}),
  examples: [
    example(
      'Hello',
      `
inputs:
  - id: name
    type: STRING
    defaults: world
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
`,
    ),
  ],
});

export const outputValues = definePlugin({
  id: 'core.OutputValues',
  aliases: ['io.kestra.plugin.core.output.OutputValues'],
  group: 'Core / Output',
  title: 'Publish values',
  description: 'Renders `values` and publishes them as `outputs.<task>.values.<key>`.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({ values: z.record(z.string(), z.unknown()).describe('Values to publish') }),
  outputs: z.object({ values: z.record(z.string(), z.unknown()).describe('The rendered values') }),
  examples: [
    example(
      'Compute a name',
      `
tasks:
  - id: names
    type: io.kestra.plugin.core.output.OutputValues
    values:
      host: "web-{{ execution.id | slice(0, 4) }}"
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.names.values.host }}"
`,
    ),
  ],
});

export const returnTask = definePlugin({
  id: 'core.Return',
  aliases: ['io.kestra.plugin.core.debug.Return'],
  group: 'Core / Debug',
  title: 'Return a rendered value',
  description: 'Renders `format` and returns it as text in `outputs.<task>.value` (numbers printed, maps and lists as JSON), as Kestra does. Handy to debug expressions.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({ format: z.unknown().describe('Value or template to render') }),
  outputs: z.object({ value: z.string().nullable().describe('The rendered value, as text') }),
  examples: [
    example(
      'Render',
      `
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.namespace }}"
`,
    ),
  ],
});

export const taskDefinitions = [log, outputValues, returnTask, httpRequest, httpDownload];
