/**
 * One error type for plugin failures. The message says what failed and where
 * ("zone example.com not found in account 1a2b"), and `retryable` tells the engine
 * whether another attempt can help.
 */
export type PluginErrorCode =
  | 'INVALID_PROPERTIES'
  | 'AUTHENTICATION'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'ASSERTION_FAILED'
  | 'REMOTE_ERROR'
  | 'INTERNAL';

export interface PluginErrorOptions {
  retryable?: boolean;
  /** When the remote side said how long to wait (Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
  details?: Record<string, unknown>;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<PluginErrorCode> = new Set(['RATE_LIMITED', 'UPSTREAM_UNAVAILABLE', 'TIMEOUT']);

export class PluginError extends Error {
  readonly code: PluginErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: PluginErrorCode, message: string, options: PluginErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'PluginError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

export function isPluginError(error: unknown): error is PluginError {
  return error instanceof Error && (error as PluginError).name === 'PluginError' && 'code' in error;
}

/** Maps an HTTP status to the error code a plugin should raise. */
export function codeForHttpStatus(status: number): PluginErrorCode {
  if (status === 401) return 'AUTHENTICATION';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'REMOTE_ERROR';
}
