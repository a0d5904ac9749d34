/**
 * The one error type services throw for things a caller did wrong or asked for that does not
 * exist. The API maps `status` to the HTTP response; anything else is a 500 and a bug.
 */
export type AppErrorCode =
  'NOT_FOUND' | 'INVALID_FLOW' | 'INVALID_INPUTS' | 'BAD_REQUEST' | 'CONFLICT' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'TOO_LARGE' | 'UNPROCESSABLE' | 'TOO_MANY_REQUESTS' | 'UNAVAILABLE';

const STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  INVALID_FLOW: 422,
  INVALID_INPUTS: 422,
  UNPROCESSABLE: 422,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
};

export class AppError extends Error {
  readonly status: number;
  /** Seconds after which a retry may succeed (UNAVAILABLE, TOO_MANY_REQUESTS); sent as Retry-After. */
  retryAfter?: number;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }

  static unavailable(message: string, retryAfterSeconds = 5, cause?: unknown): AppError {
    const error = new AppError('UNAVAILABLE', message);
    error.retryAfter = retryAfterSeconds;
    if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
    return error;
  }
}
