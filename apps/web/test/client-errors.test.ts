// What the API answers for errors that escaped the explicit checks: a caller's mistake is a 4xx,
// an overload a 503 with Retry-After, and only the rest a 500 (undefined here).
import { describe, expect, it } from 'vitest';
import { asClientError } from '../src/server/api/client-errors';

describe('asClientError', () => {
  it('answers 503 with Retry-After when no database connection was free in time (Prisma P2024)', () => {
    const error = Object.assign(new Error('Timed out fetching a new connection from the connection pool.'), { code: 'P2024' });
    const answer = asClientError(error);
    expect(answer?.status).toBe(503);
    expect(answer?.retryAfter).toBeGreaterThan(0);
    expect(answer?.message).toMatch(/database is busy/);
  });

  it('answers 503 when PostgreSQL refuses more clients, found through the cause chain', () => {
    const error = new Error('query failed', { cause: Object.assign(new Error('sorry, too many clients already'), { code: '53300' }) });
    expect(asClientError(error)?.status).toBe(503);
  });

  it('answers 503 when Temporal is out of resources or unreachable', () => {
    expect(asClientError(new Error('8 RESOURCE_EXHAUSTED: namespace rate limit exceeded'))?.status).toBe(503);
    expect(asClientError(new Error('14 UNAVAILABLE: No connection established'))?.status).toBe(503);
  });

  it('answers 400 for what PostgreSQL cannot store, and leaves a real fault to the 500', () => {
    expect(asClientError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))?.status).toBe(400);
    expect(asClientError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeUndefined();
  });
});
