import { PluginError, isPluginError, parseRetryAfter } from '@baton/plugin-sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, CloudflareError } from 'cloudflare';

/** Cloudflare error codes that mean "these credentials are not valid", whatever the HTTP status. */
const AUTH_CODES = new Set([1000, 6003, 6111, 9103, 9106, 9109, 10000]);
/** Codes that mean "the thing you named does not exist". */
const NOT_FOUND_CODES = new Set([7000, 7003, 81044, 10007, 10013]);
/**
 * Codes that mean "this would duplicate something that exists". 10009 is a duplicate access rule
 * on a 400, but a missing KV key on a 404: the 404 check runs first.
 */
const CONFLICT_CODES = new Set([81053, 81054, 81057, 81058, 10009, 10014]);

interface CfErrorItem {
  code?: number;
  message?: string;
}

/** Not-found codes for the container (zone or account id that routes nowhere, KV namespace). */
const MISSING_CONTAINER_CODES = new Set([7000, 7003, 10013]);

/**
 * NOT_FOUND for the thing itself (a record, a rule, a key), as opposed to the zone, account or
 * namespace it lives in: delete-if-exists and ignoreMissing may ignore the first, never the second.
 */
export function isMissingItem(error: unknown): boolean {
  if (!isPluginError(error) || error.code !== 'NOT_FOUND') return false;
  const codes = (error.details?.codes as number[] | undefined) ?? [];
  return !codes.some((c) => MISSING_CONTAINER_CODES.has(c));
}

export function errorCodes(error: APIError): CfErrorItem[] {
  const items = Array.isArray(error.errors) ? (error.errors as CfErrorItem[]) : [];
  return items.filter((e) => e && (e.code !== undefined || e.message));
}

/**
 * Turns whatever the SDK threw into a PluginError: Cloudflare's envelope errors with their codes
 * ("Cloudflare API error 81058: An identical record already exists. (POST /zones/x/dns_records)"),
 * the right code and whether a retry can help. `subject` names the thing for not-found errors.
 */
export function toPluginError(error: unknown, where: string, baseUrl: string, subject?: string): PluginError {
  if (isPluginError(error)) return error;
  if (error instanceof APIUserAbortError) {
    return new PluginError('CANCELLED', `${where} was cancelled`, { retryable: false, cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new PluginError('TIMEOUT', `the Cloudflare API at ${baseUrl} did not answer in time (${where})`, { retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? `: ${cause.cause.message}` : ''}` : error.message;
    return new PluginError('UPSTREAM_UNAVAILABLE', `could not reach the Cloudflare API at ${baseUrl} (${where}): ${why}`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const items = errorCodes(error);
    const codes = items.map((e) => e.code).filter((c): c is number => typeof c === 'number');
    const text = items.length
      ? `Cloudflare API error ${items.map((e) => (e.code !== undefined ? `${e.code}: ${e.message ?? ''}`.trim() : e.message)).join('; ')} (${where})`
      : `Cloudflare API error: HTTP ${status} (${where})`;
    const details = { status, where, codes };
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(error.headers?.get('retry-after') ?? undefined);
      return new PluginError('RATE_LIMITED', `rate limited by Cloudflare: ${text}`, { retryable: true, retryAfterMs, details, cause: error });
    }
    if (status === 401 || codes.some((c) => AUTH_CODES.has(c))) {
      return new PluginError('AUTHENTICATION', `${text}; check apiToken (or email and apiKey)`, { retryable: false, details, cause: error });
    }
    if (status === 403) {
      return new PluginError('PERMISSION_DENIED', `${text}; the token lacks a permission this task needs`, { retryable: false, details, cause: error });
    }
    if (status === 404 || codes.some((c) => NOT_FOUND_CODES.has(c))) {
      return new PluginError('NOT_FOUND', subject ? `${subject} not found: ${text}` : text, { retryable: false, details, cause: error });
    }
    if (status === 409 || codes.some((c) => CONFLICT_CODES.has(c))) {
      return new PluginError('CONFLICT', text, { retryable: false, details, cause: error });
    }
    if (status >= 500) {
      return new PluginError('UPSTREAM_UNAVAILABLE', text, { retryable: true, details, cause: error });
    }
    return new PluginError('REMOTE_ERROR', text, { retryable: false, details, cause: error });
  }
  if (error instanceof CloudflareError) {
    return new PluginError('INVALID_PROPERTIES', `${where}: ${error.message}`, { retryable: false, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PluginError('INTERNAL', `${where} failed: ${message}`, { retryable: false, cause: error });
}
