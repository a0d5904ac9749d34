import { codeForHttpStatus, defineRuntime, parseDuration, parseRetryAfter, PluginError, type PluginRuntime } from '@baton/plugin-sdk';
import { httpRequest, log, outputValues, returnTask } from './task-definitions';

const logRuntime = defineRuntime(log, async ({ props, logger }) => {
  const level = (props.level ?? 'INFO').toLowerCase() as 'debug' | 'info' | 'warn' | 'error';
  const write = logger[level === ('trace' as string) ? 'debug' : level] ?? logger.info;
  for (const message of Array.isArray(props.message) ? props.message : [props.message]) write(message);
  return {};
});

const outputValuesRuntime = defineRuntime(outputValues, async ({ props }) => ({ values: props.values }));

const returnRuntime = defineRuntime(returnTask, async ({ props }) => ({ value: props.format }));

const httpRuntime = defineRuntime(httpRequest, async ({ props, http, logger }) => {
  const headers: Record<string, string> = { ...props.headers };
  if (props.contentType) headers['content-type'] = props.contentType;
  if (props.auth?.type === 'BASIC') {
    headers.authorization = `Basic ${Buffer.from(`${props.auth.username ?? ''}:${props.auth.password ?? ''}`).toString('base64')}`;
  } else if (props.auth?.type === 'BEARER') {
    headers.authorization = `Bearer ${props.auth.token ?? ''}`;
  }
  const method = props.method ?? 'GET';
  const timeoutMs = props.options?.timeout ? parseDuration(props.options.timeout) : undefined;
  logger.info(`${method} ${props.uri}`);
  const response = await http.request({
    method,
    url: props.uri,
    headers,
    body: props.body,
    timeoutMs,
    insecure: props.sslOptions?.insecureTrustAllCertificates,
  });
  logger.info(`${method} ${props.uri} → ${response.status}`);
  if (response.status >= 400 && !props.allowFailed) {
    const snippet = response.text.slice(0, 300);
    throw new PluginError(codeForHttpStatus(response.status), `${method} ${props.uri} answered ${response.status}${snippet ? `: ${snippet}` : ''}`, {
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  return { code: response.status, headers: response.headers, body: response.body, uri: props.uri };
});

export const runtimes: PluginRuntime[] = [logRuntime, outputValuesRuntime, returnRuntime, httpRuntime] as PluginRuntime[];
