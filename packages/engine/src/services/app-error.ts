/**
 * The one error type services throw for things a caller did wrong or asked for that does not
 * exist. The API maps `status` to the HTTP response; anything else is a 500 and a bug.
 */
export type AppErrorCode = 'NOT_FOUND' | 'INVALID_FLOW' | 'INVALID_INPUTS' | 'BAD_REQUEST' | 'CONFLICT' | 'UNAUTHORIZED' | 'FORBIDDEN';

const STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_FLOW: 422,
  INVALID_INPUTS: 422,
};

export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: AppErrorCode, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}
