// Errors that are not Baton's fault, recognised by what they are, so the API answers 4xx or 503
// instead of 500 (apps/web/src/server/api/handler.ts uses it for anything not an AppError).
import { AppError } from '@baton/engine';

/**
 * Errors that are a caller's doing but escaped the explicit checks, recognised by what they are
 * (PostgreSQL data exceptions, stack exhaustion on nested input, Temporal unreachable). The
 * explicit checks say more; this keeps an unforeseen case a 4xx/503 instead of a 500.
 */
export function asClientError(error: unknown): AppError | undefined {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new AppError('UNPROCESSABLE', 'the request is nested too deeply to process; flatten it');
  }
  const codes = new Set<string>();
  const texts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const o = e as { code?: unknown; meta?: { code?: unknown }; message?: unknown; cause?: unknown; originalCode?: unknown };
    for (const c of [o.code, o.meta?.code, o.originalCode]) if (typeof c === 'string' || typeof c === 'number') codes.add(String(c));
    if (typeof o.message === 'string') texts.push(o.message);
    e = o.cause;
  }
  const text = texts.join(' | ');
  if (codes.has('22021') || codes.has('22P05') || /invalid byte sequence|unsupported Unicode escape|\\u0000/.test(text)) {
    return new AppError('BAD_REQUEST', 'the request holds a character PostgreSQL cannot store (NUL, \\u0000); remove it');
  }
  if (codes.has('22008') || codes.has('22007') || /date\/time field value out of range|time zone displacement out of range/.test(text)) {
    return new AppError('BAD_REQUEST', 'a date in the request is outside the range PostgreSQL stores (years 1 to 9999 are safe)');
  }
  if (codes.has('22003') || /out of range for type/.test(text)) {
    return new AppError('BAD_REQUEST', 'a number in the request is out of range');
  }
  // Overload, not a fault: the connection pool had no free connection in time (Prisma P2024),
  // PostgreSQL refused more connections (53300) or cannot be reached (P1001). Seen as a 500 under
  // 50 concurrent starts on a loaded machine; the caller should try again, so 503 with Retry-After.
  if (codes.has('P2024') || codes.has('53300') || codes.has('P1001') || /Timed out fetching a new connection from the connection pool|too many clients already/.test(text)) {
    return AppError.unavailable('the database is busy or not reachable right now (no connection was free in time); try again shortly', 2);
  }
  if (/Failed to connect to Temporal server|14 UNAVAILABLE|4 DEADLINE_EXCEEDED|8 RESOURCE_EXHAUSTED/.test(text)) {
    return AppError.unavailable('Temporal is not reachable right now; nothing was started. Try again shortly.', 5);
  }
  return undefined;
}
