import { PluginError, type TaskContext } from '@baton/plugin-sdk';
import Cloudflare from 'cloudflare';
import { DEADLINE_MARGIN_MS, remainingMs, waitOutRateLimit, withHeartbeat } from '@baton/plugin-sdk';
import { toPluginError } from './errors';

export interface CloudflareConnectionProps {
  apiToken?: string;
  email?: string;
  apiKey?: string;
  baseUrl: string;
}

/** What every SDK call gets: the task's signal, no SDK retries, a timeout inside the deadline. */
export interface SdkRequestOptions {
  signal: AbortSignal;
  maxRetries: 0;
  timeout: number;
}

export interface Page<T> {
  result: T[];
  result_info?: { page?: number; total_pages?: number; cursor?: string | null };
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The official Cloudflare SDK, configured for a task: the SDK's own retries are off (429s are
 * handled here, see budget.ts), every request carries the task's AbortSignal, and every error
 * becomes a PluginError that names the call.
 */
export class CloudflareApi {
  readonly sdk: Cloudflare;
  readonly baseUrl: string;
  endsAt: number | undefined;

  constructor(
    private readonly ctx: TaskContext<unknown>,
    props: CloudflareConnectionProps,
  ) {
    this.baseUrl = props.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//i.test(this.baseUrl)) {
      throw new PluginError('INVALID_PROPERTIES', `baseUrl '${props.baseUrl}' must start with https:// (or http:// for a local simulator)`, {
        retryable: false,
      });
    }
    const useToken = Boolean(props.apiToken);
    for (const secret of [props.apiToken, props.apiKey]) if (secret) ctx.maskValue(secret);
    this.sdk = new Cloudflare({
      // Explicit nulls keep the SDK from reading CLOUDFLARE_* variables of the worker's environment.
      apiToken: useToken ? props.apiToken : null,
      apiEmail: useToken ? null : (props.email ?? null),
      apiKey: useToken ? null : (props.apiKey ?? null),
      userServiceKey: null,
      baseURL: this.baseUrl,
      maxRetries: 0,
      timeout: DEFAULT_REQUEST_TIMEOUT_MS,
      logLevel: 'off',
    });
    // Requests end a little before the task deadline, so our TIMEOUT (with context) wins over Temporal's.
    this.endsAt = ctx.taskRun.deadline !== undefined ? ctx.taskRun.deadline - DEADLINE_MARGIN_MS : undefined;
  }

  private options(): SdkRequestOptions {
    const left = remainingMs(this);
    const timeout = Math.floor(Math.max(1_000, Math.min(DEFAULT_REQUEST_TIMEOUT_MS, left)));
    return { signal: this.ctx.signal, maxRetries: 0, timeout };
  }

  /**
   * Runs one SDK call. `where` ("POST /zones/x/dns_records") goes into error messages;
   * `subject` ("zone 'x'") names the thing when Cloudflare says it does not exist.
   */
  async call<T>(where: string, fn: (options: SdkRequestOptions) => PromiseLike<T>, subject?: string): Promise<T> {
    for (let retries = 0; ; retries++) {
      try {
        return await withHeartbeat(this.ctx, Promise.resolve(fn(this.options())));
      } catch (error) {
        const failure = toPluginError(error, where, this.baseUrl, subject);
        if (failure.code === 'CANCELLED' || this.ctx.signal.aborted) {
          throw new PluginError('CANCELLED', `${where} was cancelled`, { retryable: false, cause: error });
        }
        if (failure.code !== 'RATE_LIMITED') throw failure;
        await waitOutRateLimit(this.ctx, failure, retries, this.endsAt);
      }
    }
  }

  /** Page-numbered listing (zones, records, rules, namespaces) up to `max` items. */
  async listPages<T>(
    where: string,
    fetchPage: (page: number, perPage: number, options: SdkRequestOptions) => PromiseLike<Page<T>>,
    max: number,
    perPage: number,
    subject?: string,
  ): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const result = await this.call(`${where} (page ${page})`, (o) => fetchPage(page, perPage, o), subject);
      const batch = result.result ?? [];
      items.push(...batch);
      if (items.length >= max) return { items: items.slice(0, max), truncated: items.length > max || batch.length === perPage };
      const totalPages = result.result_info?.total_pages;
      if (batch.length < perPage || (totalPages !== undefined && page >= totalPages)) return { items, truncated: false };
    }
  }

  /** Cursor listing (KV keys) up to `max` items. */
  async listCursor<T>(
    where: string,
    fetchPage: (cursor: string | undefined, options: SdkRequestOptions) => PromiseLike<Page<T>>,
    max: number,
  ): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (;;) {
      const result = await this.call(where, (o) => fetchPage(cursor, o));
      items.push(...(result.result ?? []));
      cursor = result.result_info?.cursor || undefined;
      if (items.length >= max) return { items: items.slice(0, max), truncated: items.length > max || Boolean(cursor) };
      if (!cursor) return { items, truncated: false };
    }
  }
}
