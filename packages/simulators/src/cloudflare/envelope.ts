import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from '../kit/router.js';

export interface CfMessage {
  code: number;
  message: string;
}

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages: number;
}

/** Every v4 answer is this envelope; failures carry result: null and at least one error. */
export function cfOk(result: unknown, resultInfo?: unknown, messages: CfMessage[] = []): SimResponse {
  return {
    status: 200,
    json: { success: true, errors: [], messages, result, ...(resultInfo !== undefined ? { result_info: resultInfo } : {}) },
  };
}

export function cfFail(status: number, ...errors: CfMessage[]): SimResponse {
  return { status, json: { success: false, errors, messages: [], result: null } };
}

export const authError = (): SimResponse => cfFail(403, { code: 10000, message: 'Authentication error' });

/** Cloudflare's answer for an identifier that routes nowhere (seen with wrong zone/account ids). */
export function routeError(path: string): SimResponse {
  return cfFail(404, { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` }, { code: 7000, message: 'No route for that URI' });
}

/** Cloudflare ids are 32 lower-case hex characters. */
export function cfId(): string {
  return randomBytes(16).toString('hex');
}

export function cfTime(ms: number): string {
  return new Date(ms).toISOString();
}

export interface PageRequest {
  page: number;
  perPage: number;
}

/**
 * page/per_page as the API reads them: defaults per endpoint, out-of-range per_page clamped,
 * garbage rejected so a client bug shows up as a 400 rather than an empty page.
 */
export function readPage(req: SimRequest, defaults: { perPage: number; min: number; max: number }): PageRequest | SimResponse {
  const rawPage = req.query.get('page');
  const rawPer = req.query.get('per_page');
  const page = rawPage === null ? 1 : Number(rawPage);
  const per = rawPer === null ? defaults.perPage : Number(rawPer);
  if (!Number.isInteger(page) || page < 1) return cfFail(400, { code: 1004, message: 'page must be a positive integer' });
  if (!Number.isInteger(per)) return cfFail(400, { code: 1004, message: 'per_page must be an integer' });
  return { page, perPage: Math.min(defaults.max, Math.max(defaults.min, per)) };
}

export function paginate<T>(items: T[], { page, perPage }: PageRequest): { items: T[]; info: ResultInfo } {
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    items: slice,
    info: { page, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) },
  };
}

export function isPageError(x: PageRequest | SimResponse): x is SimResponse {
  return 'status' in x;
}
