// io.kestra.plugin.core.http.Request, with Kestra's properties and outputs (AbstractHttp and
// Request in Kestra's source): `body` is the response text, `headers` map to lists of values,
// `formData` is sent URL-encoded or as multipart, `options` holds the client settings.
import { codeForHttpStatus, defineRuntime, definePlugin, parseDuration, parseRetryAfter, PluginError, z, type TaskContext } from '@baton/plugin-sdk';
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
    'retried by the task retry policy. `formData` is sent URL-encoded, or as multipart when `contentType` is `multipart/form-data`.',
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
    formData: z.record(z.string(), z.unknown()).optional().describe('Form fields; multipart when contentType is multipart/form-data, where a field may be {name, content} to send a file'),
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
    encryptBody: z.boolean().optional().describe('Kestra: encrypt the response body in the outputs (not available yet: refused when true)'),
  }),
  outputs: z.object({
    uri: z.string().describe('The URL requested (the last one after redirects)'),
    code: z.number().describe('HTTP status code'),
    headers: z.record(z.string(), z.array(z.string())).describe('Response headers, each a list of values'),
    body: z.string().nullable().describe('Response body as text (null when empty)'),
  }),
  examples: [
    example('Call a health endpoint', `
tasks:
  - id: health
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/health
    headers:
      Authorization: "Bearer {{ secret('HEALTH_TOKEN') }}"
  - id: status
    type: io.kestra.plugin.core.log.Log
    message: "{{ fromJson(outputs.health.body).status }}"
`),
    example('Post a form', `
tasks:
  - id: login
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/login
    method: POST
    formData:
      user: ops
      password: "{{ secret('LOGIN_PASSWORD') }}"
`),
  ],
});

type Props = z.infer<typeof httpRequest.props>;

const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
const MAX_REDIRECTS = 10;

/** The request body and its content type, as Kestra's AbstractHttp builds them. */
export function requestBody(props: Pick<Props, 'body' | 'formData' | 'contentType'>, boundary = `----baton${Math.random().toString(16).slice(2)}`): { body?: string | Buffer; contentType?: string } {
  const contentType = props.contentType ?? 'application/json';
  if (props.formData && Object.keys(props.formData).length) {
    if (contentType === 'multipart/form-data') return { body: multipart(props.formData, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(props.formData)) form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (props.body === undefined || props.body === null) return { contentType };
  return { body: typeof props.body === 'string' ? props.body : JSON.stringify(props.body), contentType };
}

function multipart(fields: Record<string, unknown>, boundary: string): Buffer {
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
  for (const [key, value] of Object.entries(fields)) {
    let header = `Content-Disposition: form-data; name="${quote(key)}"`;
    let content: string;
    if (value && typeof value === 'object' && 'name' in value && 'content' in value) {
      // A file part: {name, content}. Kestra reads `content` from internal storage (kestra:// URIs).
      const file = value as { name: unknown; content: unknown };
      content = String(file.content);
      header += `; filename="${quote(String(file.name))}"\r\nContent-Type: application/octet-stream`;
    } else {
      content = typeof value === 'string' ? value : JSON.stringify(value);
    }
    if (content.startsWith('kestra://')) {
      throw new PluginError('INVALID_PROPERTIES', `formData.${key}: ${content} is a file in internal storage, which this Baton version does not have yet; send the content itself`);
    }
    parts.push(Buffer.from(`--${boundary}\r\n${header}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

function authorization(auth: Props['auth']): string | undefined {
  if (auth?.type === 'BASIC') return `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
  if (auth?.type === 'BEARER') return `Bearer ${auth.token ?? ''}`;
  return undefined;
}

async function run({ props, http, logger }: TaskContext<Props>) {
  if (props.encryptBody) {
    throw new PluginError('INVALID_PROPERTIES', 'encryptBody: true needs encrypted outputs, which this Baton version does not have yet; leave it false, and keep secrets out of response bodies');
  }
  const options = props.options ?? {};
  const { body, contentType } = requestBody(props);
  const headers: Record<string, string> = { ...props.headers };
  if (contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = contentType;
  const auth = authorization(options.auth ?? props.auth);
  if (auth) headers.authorization = auth;
  const timeoutMs = parseDuration(options.readTimeout ?? options.timeout ?? '') ?? undefined;
  const insecure = (options.ssl ?? props.sslOptions)?.insecureTrustAllCertificates;
  let method = props.method ?? 'GET';
  let uri = props.uri.replace(/ /g, '%20'); // as Kestra: spaces in a URI are the common mistake

  logger.info(`${method} ${uri}`);
  let response = await http.request({ method, url: uri, headers, body, timeoutMs, insecure });
  for (let hops = 0; options.followRedirects !== false && [301, 302, 303, 307, 308].includes(response.status) && response.headers.location; hops++) {
    if (hops >= MAX_REDIRECTS) throw new PluginError('REMOTE_ERROR', `${method} ${props.uri}: more than ${MAX_REDIRECTS} redirects`);
    uri = new URL(response.headers.location, uri).toString();
    // 303, and 301/302 after a POST, become a GET without a body (what browsers and Kestra's client do).
    const keepsBody = response.status === 307 || response.status === 308 || method === 'GET' || method === 'HEAD';
    if (!keepsBody) method = 'GET';
    response = await http.request({ method, url: uri, headers, body: keepsBody ? body : undefined, timeoutMs, insecure });
  }
  logger.info(`${method} ${uri} → ${response.status}`);

  const maxLength = options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH;
  if (Buffer.byteLength(response.text) > maxLength) {
    throw new PluginError('REMOTE_ERROR', `${method} ${uri}: the response is larger than ${maxLength} bytes (options.maxContentLength)`);
  }
  const allowed = options.allowedResponseCodes;
  const failed = allowed ? !allowed.includes(response.status) : response.status >= 400 && !(options.allowFailed ?? props.allowFailed);
  if (failed) {
    const snippet = response.text.slice(0, 300);
    throw new PluginError(codeForHttpStatus(response.status), `${method} ${uri} answered ${response.status}${snippet ? `: ${snippet}` : ''}`, {
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  return { uri, code: response.status, headers: response.headerLists, body: response.text === '' ? null : response.text };
}

export const httpRequestRuntime = defineRuntime(httpRequest, run);
