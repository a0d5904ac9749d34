import { definePlugin, z } from '@baton/plugin-sdk';
import { example } from './example';


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
    level: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional().describe('Log level (default INFO)'),
  }),
  outputs: z.object({}),
  examples: [example('Hello', `
inputs:
  - id: name
    type: STRING
    defaults: world
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
`)],
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
  examples: [example('Compute a name', `
tasks:
  - id: names
    type: io.kestra.plugin.core.output.OutputValues
    values:
      host: "web-{{ execution.id | slice(0, 4) }}"
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.names.values.host }}"
`)],
});

export const returnTask = definePlugin({
  id: 'core.Return',
  aliases: ['io.kestra.plugin.core.debug.Return'],
  group: 'Core / Debug',
  title: 'Return a rendered value',
  description: 'Renders `format` and returns it as `outputs.<task>.value`. Handy to debug expressions.',
  idempotent: true,
  activity: { timeout: 'PT1M', retry: { maxAttempt: 3 } },
  props: z.object({ format: z.unknown().describe('Value or template to render') }),
  outputs: z.object({ value: z.unknown().describe('The rendered value') }),
  examples: [example('Render', `
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.namespace }}"
`)],
});

export const httpRequest = definePlugin({
  id: 'http.Request',
  aliases: ['io.kestra.plugin.core.http.Request', 'io.kestra.plugin.fs.http.Request'],
  group: 'HTTP',
  title: 'HTTP request',
  description:
    'Sends an HTTP request and returns `code`, `headers` and `body` (parsed JSON when the response is JSON). ' +
    'A status ≥ 400 fails the task unless `allowFailed` is true; 429 and 5xx are retried by the task retry policy. ' +
    'Idempotent when the method is (GET, PUT, DELETE).',
  idempotent: false,
  activity: { timeout: 'PT5M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } },
  props: z.object({
    uri: z.string().describe('Absolute URL'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).optional().describe('HTTP method (default GET)'),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers'),
    body: z.unknown().optional().describe('Body: a string, or an object sent as JSON'),
    contentType: z.string().optional().describe('Content-Type of the body'),
    auth: z
      .object({
        type: z.enum(['BASIC', 'BEARER']).describe('Authentication scheme'),
        username: z.string().optional().describe('BASIC user'),
        password: z.string().optional().describe('BASIC password'),
        token: z.string().optional().describe('BEARER token'),
      })
      .optional()
      .describe('Authentication'),
    options: z
      .object({ timeout: z.string().optional().describe('ISO-8601 request timeout (default PT30S)') })
      .optional()
      .describe('Client options'),
    sslOptions: z.object({ insecureTrustAllCertificates: z.boolean().optional().describe('Skip TLS verification') }).optional().describe('TLS options'),
    allowFailed: z.boolean().optional().describe('Do not fail on status ≥ 400'),
  }),
  outputs: z.object({
    code: z.number().describe('HTTP status code'),
    headers: z.record(z.string(), z.string()).describe('Response headers'),
    body: z.unknown().describe('Response body (JSON parsed when possible)'),
    uri: z.string().describe('The URL requested'),
  }),
  examples: [example('Call a health endpoint', `
tasks:
  - id: health
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/health
    method: GET
    headers:
      Authorization: "Bearer {{ secret('HEALTH_TOKEN') }}"
`)],
});

export const taskDefinitions = [log, outputValues, returnTask, httpRequest];
