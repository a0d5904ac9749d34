import { PluginError, isPluginError, type TaskContext } from '@baton/plugin-sdk';
import { DEADLINE_MARGIN_MS, remainingMs, waitOutRateLimit, withHeartbeat } from '@baton/plugin-sdk';
import { argoHttpError, type Subject } from './errors';
import type { ArgoApplication, ArgoApplicationList } from './types';

export interface ArgoConnectionProps {
  server: string;
  token?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  caCert?: string;
  project?: string;
  appNamespace?: string;
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  method?: string;
  path: string;
  query?: Query;
  body?: unknown;
  subject?: Subject;
  /** Overrides the task signal (used to terminate an operation after a kill). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Accepts `argocd.example.com`, `https://argocd.example.com/`, `http://localhost:8080/argocd`. */
export function normalizeServer(server: string): string {
  const trimmed = server.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new PluginError('INVALID_PROPERTIES', `server '${server}' is not a valid URL (expected e.g. https://argocd.example.com)`, {
      retryable: false,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PluginError('INVALID_PROPERTIES', `server '${server}' must use http or https`, { retryable: false });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A thin client for the Argo CD REST API on the task's HTTP client (custom CA, insecure, abort).
 * It logs in when given a username and password, maps errors, and waits out short 429s.
 */
export class ArgoCdClient {
  /** Epoch ms the current wait must end by; bounds request timeouts and rate-limit waits. */
  endsAt: number | undefined;

  private constructor(
    private readonly ctx: TaskContext<unknown>,
    readonly server: string,
    private readonly connection: ArgoConnectionProps,
    private token: string,
  ) {
    // Requests end a little before the task deadline, so our errors (with context) win over Temporal's.
    this.endsAt = ctx.taskRun.deadline !== undefined ? ctx.taskRun.deadline - DEADLINE_MARGIN_MS : undefined;
  }

  static async connect(ctx: TaskContext<unknown>, props: ArgoConnectionProps): Promise<ArgoCdClient> {
    const server = normalizeServer(props.server);
    if (props.token) {
      ctx.maskValue(props.token);
      return new ArgoCdClient(ctx, server, props, props.token);
    }
    if (!props.username || !props.password) {
      throw new PluginError('INVALID_PROPERTIES', 'give a token, or username and password, to connect to Argo CD', { retryable: false });
    }
    ctx.maskValue(props.password);
    const client = new ArgoCdClient(ctx, server, props, '');
    const session = await client
      .request<{ token?: string }>({
        method: 'POST',
        path: '/api/v1/session',
        body: { username: props.username, password: props.password },
      })
      .catch((error: unknown) => {
        if (isPluginError(error) && error.code === 'AUTHENTICATION') {
          throw new PluginError('AUTHENTICATION', `login to Argo CD at ${server} as '${props.username}' failed: ${error.message}`, {
            retryable: false,
            cause: error,
          });
        }
        throw error;
      });
    if (!session?.token) {
      throw new PluginError('AUTHENTICATION', `login to Argo CD at ${server} as '${props.username}' returned no token`, { retryable: false });
    }
    ctx.maskValue(session.token);
    client.token = session.token;
    ctx.logger.debug(`logged in to ${server} as ${props.username}`);
    return client;
  }

  /** Scope query parameters (project, appNamespace) for calls about one application. */
  scope(): Query {
    return { project: this.connection.project, appNamespace: this.connection.appNamespace };
  }

  subject(application: string): Subject {
    return { application, project: this.connection.project };
  }

  async request<T>(options: RequestOptions): Promise<T> {
    const method = (options.method ?? 'GET').toUpperCase();
    const where = `${method} ${options.path}`;
    for (let retries = 0; ; retries++) {
      const left = remainingMs(this);
      const timeoutMs = options.timeoutMs ?? Math.max(1_000, Math.min(DEFAULT_REQUEST_TIMEOUT_MS, left));
      const headers: Record<string, string> = {};
      if (this.token) headers.authorization = `Bearer ${this.token}`;
      const response = await withHeartbeat(
        this.ctx,
        this.ctx.http.request<T>({
          method,
          url: `${this.server}${options.path}${queryString(options.query)}`,
          headers,
          body: options.body,
          insecure: this.connection.insecure,
          ca: this.connection.caCert,
          signal: options.signal,
          timeoutMs,
        }),
      );
      if (response.status >= 200 && response.status < 300) return response.body;
      const error = argoHttpError(response, where, this.server, options.subject);
      if (error.code !== 'RATE_LIMITED' || options.signal) throw error;
      await waitOutRateLimit(this.ctx, error, retries, this.endsAt);
    }
  }

  getApplication(name: string, refresh?: 'normal' | 'hard'): Promise<ArgoApplication> {
    return this.request<ArgoApplication>({
      path: `/api/v1/applications/${encodeURIComponent(name)}`,
      query: { ...this.scope(), refresh },
      subject: this.subject(name),
    });
  }

  listApplications(query: Query): Promise<ArgoApplicationList> {
    return this.request<ArgoApplicationList>({ path: '/api/v1/applications', query });
  }

  sync(name: string, body: Record<string, unknown>): Promise<ArgoApplication> {
    return this.request<ArgoApplication>({
      method: 'POST',
      path: `/api/v1/applications/${encodeURIComponent(name)}/sync`,
      body: { name, ...this.scopeBody(), ...body },
      subject: this.subject(name),
    });
  }

  rollback(name: string, body: Record<string, unknown>): Promise<ArgoApplication> {
    return this.request<ArgoApplication>({
      method: 'POST',
      path: `/api/v1/applications/${encodeURIComponent(name)}/rollback`,
      body: { name, ...this.scopeBody(), ...body },
      subject: this.subject(name),
    });
  }

  /** Terminates the running operation; bounded by its own short signal since the task's is aborted. */
  async terminateOperation(name: string, timeoutMs: number): Promise<void> {
    await this.request({
      method: 'DELETE',
      path: `/api/v1/applications/${encodeURIComponent(name)}/operation`,
      query: this.scope(),
      subject: this.subject(name),
      signal: AbortSignal.timeout(timeoutMs),
      timeoutMs,
    });
  }

  private scopeBody(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.connection.project) out.project = this.connection.project;
    if (this.connection.appNamespace) out.appNamespace = this.connection.appNamespace;
    return out;
  }
}
