import { inject } from 'vitest';
import { authHeaders } from '@baton/testing';

/**
 * The REST API as the test admin, for what an end-to-end test sets up or checks beside the
 * browser: JSON (or YAML with its content type) in, JSON out; a refusal throws with the answer.
 */
export async function api(method: string, path: string, body?: unknown, type = 'application/json') {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: body === undefined ? authHeaders() : { ...authHeaders(), 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : undefined;
}
