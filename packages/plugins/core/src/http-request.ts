// io.kestra.plugin.core.http.Request (definition; the runtime is http-request-runtime.ts), with
// Kestra's properties and outputs (AbstractHttp and
// Request in Kestra's source): `body` is the response text, `headers` map to lists of values,
// `formData` is sent URL-encoded or as multipart, `options` holds the client settings.
import { definePlugin, ENCRYPTED_TYPE, z } from '@baton/plugin-sdk';
import { example } from './example';

const authSchema = z
  .object({
    type: z.enum(['BASIC', 'BEARER']).describe('Authentication scheme'),
    username: z.string().optional().describe('BASIC user'),
    password: z.string().optional().describe('BASIC password'),
    token: z.string().optional().describe('BEARER token'),
  })
  .describe('Authentication');

const sslSchema = z.object({ insecureTrustAllCertificates: z.boolean().optional().describe('Skip TLS verification') }).describe('TLS options');

/** A header value may be written as a number or a boolean in YAML; it is sent as text. */
const headerValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const httpRequest = definePlugin({
  id: 'http.Request',
  aliases: ['io.kestra.plugin.core.http.Request', 'io.kestra.plugin.fs.http.Request'],
  group: 'HTTP',
  title: 'HTTP request',
  description:
    'Sends an HTTP request and returns `code`, `headers` (each a list of values) and `body` (the response text, as Kestra ' +
    'returns it: use `fromJson(outputs.<id>.body)` or `outputs.<id>.body | jq(...)` for JSON). A status ≥ 400 fails ' +
    'the task unless `options.allowFailed` is true (or the status is in `options.allowedResponseCodes`); 429 and 5xx are ' +
    'retried by the task retry policy. `formData` is sent URL-encoded, or as multipart when `contentType` is `multipart/form-data`, where a kestra:/// or nsfile:// URI (or {name, content: kestra:///...}) is sent as that file from internal storage.',
  idempotent: false,
  activity: { timeout: 'PT5M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 1 } },
  props: z.object({
    uri: z.string().describe('Absolute URL'),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']))
      .optional()
      .describe('HTTP method (default GET)'),
    headers: z.record(z.string(), headerValue).optional().describe('Request headers'),
    body: z.unknown().optional().describe('Request body: a string, or a map or list sent as JSON text'),
    formData: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Form fields; multipart when contentType is multipart/form-data, where a kestra:/// or nsfile:// URI sends that file from internal storage (or a namespace file), and {name, content} sends a file named name (content: a kestra:/// or nsfile:// URI, or the text itself)',
      ),
    contentType: z.string().optional().describe('Content-Type of the request (default application/json)'),
    auth: authSchema.optional(),
    options: z
      .object({
        timeout: z.string().optional().describe('ISO-8601 timeout of the whole request (Baton; default PT30S)'),
        connectTimeout: z.string().optional().describe('ISO-8601 connection timeout'),
        readTimeout: z.string().optional().describe('ISO-8601 read timeout (default PT30S)'),
        readIdleTimeout: z.string().optional().describe('Accepted for Kestra compatibility; the read timeout applies'),
        connectionPoolIdleTimeout: z.string().optional().describe('Accepted for Kestra compatibility; connections are not pooled'),
        maxContentLength: z.number().int().positive().optional().describe('Largest response body accepted, in bytes (default 10 MiB)'),
        followRedirects: z.boolean().optional().describe('Follow 3xx redirects (default true)'),
        allowFailed: z.boolean().optional().describe('Do not fail on a status ≥ 400'),
        allowedResponseCodes: z.array(z.number().int()).optional().describe('Statuses that count as success (others fail)'),
        defaultCharset: z.string().optional().describe('Accepted for Kestra compatibility; bodies are UTF-8'),
        auth: authSchema.optional(),
        ssl: sslSchema.optional(),
      })
      .optional()
      .describe('Client options, as Kestra names them'),
    sslOptions: sslSchema.optional().describe('Deprecated in Kestra: use options.ssl'),
    allowFailed: z.boolean().optional().describe('Deprecated in Kestra: use options.allowFailed'),
    encryptBody: z
      .boolean()
      .optional()
      .describe(
        "Encrypt the response body: it is output as `encryptedBody` ({type, value}, encrypted with BATON_ENCRYPTION_KEY) instead of `body`, and decrypted when a later task renders it (masked in that task's logs like a secret)",
      ),
  }),
  outputs: z.object({
    uri: z.string().describe('The URL requested (the last one after redirects)'),
    code: z.number().describe('HTTP status code'),
    headers: z.record(z.string(), z.array(z.string())).describe('Response headers, each a list of values'),
    body: z.string().nullable().describe('Response body as text (null when empty, or with encryptBody)'),
    encryptedBody: z
      .object({ type: z.literal(ENCRYPTED_TYPE), value: z.string() })
      .nullable()
      .optional()
      .describe('With encryptBody: the body, encrypted; `{{ outputs.<id>.encryptedBody }}` in a later task renders the plaintext'),
  }),
  examples: [
    example(
      'Call a health endpoint',
      `
tasks:
  - id: health
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/health
    headers:
      Authorization: "Bearer {{ secret('HEALTH_TOKEN') }}"
  - id: status
    type: io.kestra.plugin.core.log.Log
    message: "{{ fromJson(outputs.health.body).status }}"
`,
    ),
    example(
      'Post a form',
      `
tasks:
  - id: login
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/login
    method: POST
    formData:
      user: ops
      password: "{{ secret('LOGIN_PASSWORD') }}"
`,
    ),
  ],
});
