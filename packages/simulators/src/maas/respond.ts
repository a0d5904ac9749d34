import type { SimResponse } from '../kit/router.js';

/** MAAS answers most errors as plain text, e.g. "No Machine matches the given query." */
export function text(status: number, body: string): SimResponse {
  return { status, raw: body, contentType: 'text/plain; charset=utf-8' };
}

export function json(status: number, body: unknown): SimResponse {
  return { status, json: body };
}

/** A form validation error (MAASAPIValidationError): JSON `{field: [messages]}`, status 400. */
export function fieldErrors(errors: Record<string, string[]>): SimResponse {
  return { status: 400, json: errors };
}
