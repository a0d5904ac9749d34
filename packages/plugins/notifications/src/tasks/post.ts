import { PluginError, type ExecutionSummary, type TaskContext } from '@baton/plugin-sdk';

/** The JSON text of a payload: a string is checked to be JSON (and sent as written), a mapping serialised. */
export function payloadText(payload: string | Record<string, unknown>): string {
  if (typeof payload !== 'string') return JSON.stringify(payload);
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new PluginError(
      'INVALID_PROPERTIES',
      `payload is not valid JSON after rendering (${(error as Error).message}); check the quotes around rendered values, or write the payload as a YAML mapping`,
    );
  }
  return payload;
}

const RETRY_AFTER_DEFAULT_MS = 5_000;

/**
 * Posts JSON to a webhook. The URL is masked first (Slack, Teams and Discord webhook URLs carry
 * their token), so no log line or error shows it. 2xx succeeds; 429 and 5xx are retryable, other
 * answers fail for good with the receiver's message.
 */
export async function postJson(
  ctx: TaskContext<unknown>,
  service: string,
  url: string,
  body: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; response: string }> {
  ctx.maskValue(url);
  for (const value of Object.values(options.headers ?? {})) if (/^(bearer|basic|token)\s/i.test(value)) ctx.maskValue(value.replace(/^\S+\s+/, ''));
  const res = await ctx.http.request({
    method: options.method ?? 'POST',
    url,
    headers: { 'content-type': 'application/json', ...options.headers },
    body,
    signal: ctx.signal,
    timeoutMs: 30_000,
  });
  const response = res.text.slice(0, 1000);
  if (res.status >= 200 && res.status < 300) {
    ctx.logger.info(`${service} webhook answered ${res.status}`);
    return { status: res.status, response };
  }
  const what = `${service} webhook answered ${res.status}${response ? `: ${response.slice(0, 300)}` : ''}`;
  if (res.status === 429) {
    const seconds = Number(res.headers['retry-after']);
    throw new PluginError('RATE_LIMITED', what, { retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : RETRY_AFTER_DEFAULT_MS });
  }
  if (res.status >= 500) throw new PluginError('UPSTREAM_UNAVAILABLE', what);
  if (res.status === 401 || res.status === 403) throw new PluginError('AUTHENTICATION', `${what} (is the webhook URL still valid?)`);
  if (res.status === 404) throw new PluginError('NOT_FOUND', `${what} (the webhook was deleted, or the URL is wrong)`);
  throw new PluginError('REMOTE_ERROR', what, { retryable: false });
}

/** The execution a `*Execution` task reports on: its own by default (Kestra's `{{ execution.id }}`). */
export async function summaryFor(ctx: TaskContext<{ executionId?: string }>): Promise<ExecutionSummary> {
  const id = ctx.props.executionId ?? ctx.taskRun.executionId;
  const summary = await ctx.executions.summary(id);
  ctx.logger.info(`reporting execution ${summary.id} of ${summary.namespace}.${summary.flowId}: ${summary.state}`);
  return summary;
}
