import { randomUUID } from 'node:crypto';
import {
  DEADLINE_MARGIN_MS,
  PluginError,
  formatDuration,
  isPluginError,
  parseDuration,
  remainingMs,
  waitBudget,
  waitOutRateLimit,
  withHeartbeat,
  type HttpResponse,
  type TaskContext,
} from '@baton/plugin-sdk';

// A small Prism Central v4 client on the task's HTTP client: auth, TLS options, NTNX-Request-Id
// and If-Match on mutations, retries of 429/5xx with the same request id (so a lost answer never
// makes Prism do the work twice), v4 error envelopes turned into messages, and the task wait.

export const VMM = '/api/vmm/v4.3/ahv/config';
export const CONTENT = '/api/vmm/v4.3/content';
export const DP = '/api/dataprotection/v4.4/config';
export const PRISM = '/api/prism/v4.4/config';

export interface Connection {
  host: string;
  port: number;
  scheme: 'https' | 'http';
  token?: string;
  username?: string;
  password?: string;
  verifySsl: boolean;
  caCertificate?: string;
}

export interface WaitOptions {
  wait: boolean;
  waitTimeout: string;
  pollInterval: string;
}

const REQUEST_TIMEOUT_MS = 30_000;
const SERVER_ERROR_RETRIES = 3;

export interface PrismTask {
  extId: string;
  status: string;
  operation?: string;
  progressPercentage?: number;
  isCancelable?: boolean;
  entitiesAffected?: Array<{ extId: string; rel?: string; name?: string }>;
  completionDetails?: Array<{ name: string; value: unknown }>;
  errorMessages?: Array<{ code?: string; message?: string }>;
  legacyErrorMessage?: string;
}

/** The messages of a v4 error envelope (AppMessages or a SchemaValidationError). */
export function errorText(response: HttpResponse): string {
  const data = (response.body as { data?: { error?: unknown } } | null)?.data;
  const error = data?.error;
  const parts: string[] = [];
  if (Array.isArray(error)) {
    for (const m of error as Array<{ code?: string; message?: string; argumentsMap?: Record<string, string> }>) {
      const where = m.argumentsMap?.attributePath ? ` (${m.argumentsMap.attributePath})` : '';
      parts.push(`${m.code ? `${m.code}: ` : ''}${m.message ?? 'error'}${where}`);
    }
  } else if (error && typeof error === 'object') {
    const e = error as { error?: string; validationErrorMessages?: Array<{ attributePath?: string; message?: string }> };
    for (const v of e.validationErrorMessages ?? []) parts.push(`${v.attributePath ?? 'body'}: ${v.message ?? 'invalid'}`);
    if (!parts.length && e.error) parts.push(e.error);
  }
  if (parts.length) return parts.join('; ');
  const text = (response.text ?? '').trim();
  return text ? text.slice(0, 300) : 'no message';
}

export class PrismClient {
  readonly base: string;
  readonly endsAt: number | undefined;

  constructor(
    private readonly ctx: TaskContext<unknown>,
    private readonly conn: Connection,
  ) {
    if (!conn.token && !(conn.username && conn.password)) {
      throw new PluginError('INVALID_PROPERTIES', 'give token (a Prism Central API key) or username and password', { retryable: false });
    }
    if (/[/:]/.test(conn.host)) {
      throw new PluginError('INVALID_PROPERTIES', `host '${conn.host}' must be a host name or IP only; put the scheme in scheme and the port in port`, { retryable: false });
    }
    this.base = `${conn.scheme}://${conn.host}:${conn.port}`;
    if (conn.token) ctx.maskValue(conn.token);
    if (conn.password) ctx.maskValue(conn.password);
    this.endsAt = ctx.taskRun.deadline !== undefined ? ctx.taskRun.deadline - DEADLINE_MARGIN_MS : undefined;
  }

  private authHeaders(): Record<string, string> {
    if (this.conn.token) return { 'x-ntnx-api-key': this.conn.token };
    return { authorization: `Basic ${Buffer.from(`${this.conn.username}:${this.conn.password}`).toString('base64')}` };
  }

  /**
   * One API call. Mutations carry `requestId` (the same on every retry) and `ifMatch`. 429 waits
   * out Retry-After (the SDK's policy); 5xx and dropped connections are retried a few times with
   * the same request id; then the error says what failed and whether a retry can help.
   */
  async call<T = any>(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT',
    path: string,
    options: { body?: unknown; query?: Record<string, string | number | undefined>; requestId?: string; ifMatch?: string; signal?: AbortSignal; what?: string } = {},
  ): Promise<{ data: T; body: any; etag?: string; status: number }> {
    const q = Object.entries(options.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
    const url = `${this.base}${path}${q ? `?${q}` : ''}`;
    const where = options.what ?? `${method} ${path}`;
    const headers: Record<string, string> = { ...this.authHeaders() };
    if (method !== 'GET') headers['ntnx-request-id'] = options.requestId ?? randomUUID();
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    let rateLimited = 0;
    let serverErrors = 0;
    for (;;) {
      let response: HttpResponse<any>;
      try {
        response = await withHeartbeat(
          this.ctx,
          this.ctx.http.request<any>({
            method,
            url,
            headers,
            body: options.body,
            timeoutMs: Math.max(1_000, Math.min(REQUEST_TIMEOUT_MS, remainingMs(this))),
            insecure: !this.conn.verifySsl,
            ca: this.conn.caCertificate,
            signal: options.signal,
          }),
        );
      } catch (error) {
        if (isPluginError(error) && error.code === 'UPSTREAM_UNAVAILABLE' && serverErrors < SERVER_ERROR_RETRIES) {
          serverErrors++;
          this.ctx.logger.warn(`${where}: ${error.message}; retrying with the same NTNX-Request-Id (${serverErrors}/${SERVER_ERROR_RETRIES})`);
          await this.ctx.sleep(500 * 2 ** (serverErrors - 1));
          continue;
        }
        throw error;
      }
      if (response.status >= 200 && response.status < 300) {
        const body = response.body;
        const etag = response.headers.etag ?? body?.data?.$reserved?.ETag;
        return { data: body?.data as T, body, etag, status: response.status };
      }
      const error = this.httpError(response, where);
      if (error.code === 'RATE_LIMITED') {
        await waitOutRateLimit(this.ctx, error, rateLimited++, this.endsAt);
        continue;
      }
      if (response.status >= 500 && serverErrors < SERVER_ERROR_RETRIES) {
        serverErrors++;
        this.ctx.logger.warn(`${error.message}; retrying with the same NTNX-Request-Id (${serverErrors}/${SERVER_ERROR_RETRIES})`);
        await this.ctx.sleep(500 * 2 ** (serverErrors - 1));
        continue;
      }
      throw error;
    }
  }

  private httpError(response: HttpResponse, where: string): PluginError {
    const status = response.status;
    const message = errorText(response);
    const details = { status, where };
    const retryAfter = Number(response.headers['retry-after']);
    if (status === 401) {
      return new PluginError('AUTHENTICATION', `Prism Central at ${this.base} rejected the credentials (401: ${message}); check token, or username and password`, {
        retryable: false,
        details,
      });
    }
    if (status === 403)
      return new PluginError('PERMISSION_DENIED', `Prism Central refused ${where} (403: ${message}); the account lacks the role for it`, { retryable: false, details });
    if (status === 404) return new PluginError('NOT_FOUND', `${where}: ${message}`, { retryable: false, details });
    if (status === 412) return new PluginError('CONFLICT', `${where}: the entity changed while this task ran (412: ${message})`, { retryable: true, details });
    if (status === 409) return new PluginError('CONFLICT', `Prism Central refused ${where} (409: ${message})`, { retryable: false, details });
    if (status === 429) {
      return new PluginError('RATE_LIMITED', `Prism Central at ${this.base} is rate limiting ${where} (429)`, {
        retryable: true,
        details,
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      });
    }
    if (status >= 500) return new PluginError('UPSTREAM_UNAVAILABLE', `Prism Central at ${this.base} failed on ${where} (${status}: ${message})`, { retryable: true, details });
    return new PluginError('INVALID_PROPERTIES', `Prism Central refused ${where} (${status}: ${message})`, { retryable: false, details });
  }

  async getVm(extId: string): Promise<{ vm: any; etag: string | undefined }> {
    const r = await this.call('GET', `${VMM}/vms/${encodeURIComponent(extId)}`, { what: `reading VM ${extId}` });
    return { vm: r.data, etag: r.etag };
  }

  async findVm(extId: string): Promise<{ vm: any; etag: string | undefined } | undefined> {
    try {
      return await this.getVm(extId);
    } catch (error) {
      if (isPluginError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  getTask(extId: string, signal?: AbortSignal): Promise<PrismTask> {
    return this.call<PrismTask>('GET', `${PRISM}/tasks/${encodeURIComponent(extId)}`, { what: `reading task ${extId}`, signal }).then((r) => r.data);
  }

  /**
   * Issues one asynchronous operation and waits for its Prism task. The request id and then the
   * task id go into the heartbeat before and after the call, so an attempt that replaces one that
   * died (worker restart) either waits for the same task or re-sends the same request id, which
   * Prism answers with the first task: the operation is never done twice. A kill asks Prism to
   * cancel the task where it can be cancelled.
   */
  async runTask(op: string, key: string, issue: (requestId: string) => Promise<string>, options: WaitOptions): Promise<PrismTask> {
    const resume = this.ctx.resumeDetails as Partial<TaskBeat> | undefined;
    const same = !!resume && resume.op === op && resume.key === key && typeof resume.requestId === 'string';
    let startedAt = same && typeof resume.startedAt === 'number' ? resume.startedAt : Date.now();
    let requestId = same ? resume.requestId! : randomUUID();
    let taskExtId = same ? resume.taskExtId : undefined;
    if (taskExtId) {
      this.ctx.logger.info(`resuming the wait for Prism task ${taskExtId} (${op}) started by the previous attempt`);
    } else {
      if (same) this.ctx.logger.info(`re-sending ${op} with the previous attempt's NTNX-Request-Id ${requestId}: Prism answers with the task it started, if any`);
      taskExtId = await this.issue(op, key, requestId, startedAt, issue);
    }
    if (same) {
      // The previous attempt's task already failed (a restart after fixing the cause, or a retry):
      // waiting for it again would only fail again, so this attempt starts the operation anew.
      const previous = await this.getTask(taskExtId);
      if (previous.status === 'FAILED' || previous.status === 'CANCELED') {
        this.ctx.logger.info(`the previous attempt's Prism task ${taskExtId} ended ${previous.status}: issuing ${op} again with a new NTNX-Request-Id`);
        requestId = randomUUID();
        startedAt = Date.now();
        taskExtId = await this.issue(op, key, requestId, startedAt, issue);
      }
    }
    this.ctx.heartbeat({ op, key, requestId, startedAt, taskExtId } satisfies TaskBeat);
    if (!options.wait) return { extId: taskExtId, status: 'RUNNING' };
    return this.waitForTask(op, key, requestId, taskExtId, startedAt, options);
  }

  /** Heartbeats the request id before sending, so a worker lost mid-call leaves it for the next attempt. */
  private async issue(op: string, key: string, requestId: string, startedAt: number, send: (requestId: string) => Promise<string>): Promise<string> {
    this.ctx.heartbeat({ op, key, requestId, startedAt } satisfies TaskBeat);
    const taskExtId = await send(requestId);
    this.ctx.logger.info(`${op}: Prism task ${taskExtId}`);
    return taskExtId;
  }

  private async waitForTask(op: string, key: string, requestId: string, taskExtId: string, startedAt: number, options: WaitOptions): Promise<PrismTask> {
    const limitMs = parseDuration(options.waitTimeout) ?? 30 * 60_000;
    const budget = waitBudget(this.ctx, Math.max(0, startedAt + limitMs - Date.now()), options.waitTimeout);
    const pollMs = parseDuration(options.pollInterval) ?? 2_000;
    let last: PrismTask | undefined;
    try {
      for (;;) {
        const task = await this.getTask(taskExtId);
        if (task.status !== last?.status) this.ctx.logger.info(`task ${taskExtId} (${task.operation ?? op}): ${task.status} ${task.progressPercentage ?? 0}%`);
        last = task;
        if (task.status === 'SUCCEEDED') return task;
        if (task.status === 'FAILED' || task.status === 'CANCELED') {
          const why = (task.errorMessages ?? []).map((m) => `${m.code ? `${m.code}: ` : ''}${m.message}`).join('; ') || task.legacyErrorMessage || 'no message';
          throw new PluginError('REMOTE_ERROR', `Prism task ${taskExtId} (${task.operation ?? op}) ${task.status}: ${why}`, {
            retryable: false,
            details: { taskExtId, status: task.status },
          });
        }
        const elapsedMs = Date.now() - startedAt;
        this.ctx.heartbeat({ op, key, requestId, startedAt, taskExtId, status: task.status, progress: task.progressPercentage ?? 0, elapsedMs } satisfies TaskBeat);
        const left = remainingMs(budget);
        if (left <= 0) {
          throw new PluginError(
            'TIMEOUT',
            `Prism task ${taskExtId} (${op}) did not end within ${formatDuration(elapsedMs)} (${budget.reason}); it is ${task.status} at ${task.progressPercentage ?? 0}%. Prism carries on with it`,
            { retryable: false, details: { taskExtId } },
          );
        }
        await this.ctx.sleep(Math.min(pollMs, left));
      }
    } catch (error) {
      if (isPluginError(error) && error.code === 'CANCELLED') throw await this.cancelAfterKill(op, taskExtId, last);
      throw error;
    }
  }

  /** After a kill: cancel the Prism task where the API allows it, then say what was done. */
  private async cancelAfterKill(op: string, taskExtId: string, last: PrismTask | undefined): Promise<PluginError> {
    // The task's own signal is aborted: these calls get a short signal of their own.
    const signal = AbortSignal.timeout(10_000);
    let outcome: string;
    try {
      const task = last ?? (await this.getTask(taskExtId, signal));
      if (task.isCancelable) {
        await this.call('POST', `${PRISM}/tasks/${encodeURIComponent(taskExtId)}/$actions/cancel`, { signal, what: `cancelling task ${taskExtId}` });
        outcome = 'asked Prism to cancel it';
      } else {
        outcome = 'Prism cannot cancel it and carries on with it';
      }
    } catch (error) {
      outcome = `could not cancel it (${(error as Error).message}); Prism may carry on with it`;
    }
    this.ctx.logger.warn(`killed while waiting for Prism task ${taskExtId} (${op}): ${outcome}`);
    return new PluginError('CANCELLED', `waiting for Prism task ${taskExtId} (${op}) was cancelled; ${outcome}`, { retryable: false });
  }
}

/** What a waiting task puts in its heartbeat (never a secret: it goes to Temporal). */
export interface TaskBeat {
  op: string;
  key: string;
  requestId: string;
  startedAt: number;
  taskExtId?: string;
  status?: string;
  progress?: number;
  elapsedMs?: number;
}

/** The extIds a task reports for entities of `rel` it created (entitiesAffected and completionDetails). */
export function createdEntities(task: PrismTask, rel: string, exclude: string[] = []): string[] {
  const ids = (task.entitiesAffected ?? []).filter((e) => e.rel === rel && !exclude.includes(e.extId)).map((e) => e.extId);
  return [...new Set(ids)];
}
