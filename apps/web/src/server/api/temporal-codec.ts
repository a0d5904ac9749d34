import 'server-only';
import { AppError } from '@baton/engine';
import type { Payload } from '@temporalio/common';
import { services } from '../services';
import { readJsonObject, type Router } from './handler';
import { BODY_LIMITS } from './limits';

/**
 * The Temporal codec server protocol (what the Temporal UI and `temporal --codec-endpoint` call):
 * POST {endpoint}/decode and /encode with `{payloads: [{metadata: {k: base64}, data: base64}]}`
 * (proto3 JSON: every bytes field is base64), answered in the same shape. Baton's keys never leave
 * this process; the caller must be identified like any API caller.
 */
export const CODEC_PATH = '/api/v1/temporal-codec';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new AppError('BAD_REQUEST', `${where} must be a base64 string`);
  return Buffer.from(value, 'base64');
}

function toPayloads(body: Record<string, unknown>): Payload[] {
  if (!Array.isArray(body.payloads)) throw new AppError('BAD_REQUEST', 'send {"payloads": [{"metadata": {"encoding": "<base64>"}, "data": "<base64>"}]}');
  return body.payloads.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AppError('BAD_REQUEST', `payloads[${i}] must be an object`);
    const p = raw as JsonPayload;
    const metadata: Record<string, Uint8Array> = {};
    if (p.metadata !== undefined) {
      if (typeof p.metadata !== 'object' || p.metadata === null || Array.isArray(p.metadata)) throw new AppError('BAD_REQUEST', `payloads[${i}].metadata must be an object`);
      for (const [k, v] of Object.entries(p.metadata)) metadata[k] = fromBase64(v, `payloads[${i}].metadata.${k}`);
    }
    return { metadata, data: p.data === undefined ? new Uint8Array() : fromBase64(p.data, `payloads[${i}].data`) };
  });
}

function toJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

/** The Temporal UI runs on another origin: it may call the codec, with credentials, and nothing else may. */
function allowedOrigin(request: Request): string | undefined {
  const origin = request.headers.get('origin');
  if (!origin) return undefined;
  const allowed = services().env.codecCorsOrigins.flatMap((o) => [o, o.replace('//localhost', '//127.0.0.1'), o.replace('//127.0.0.1', '//localhost')]);
  return allowed.includes(origin) ? origin : undefined;
}

/** Adds the CORS headers to any answer of the codec routes, errors (401) included. */
export function withCodecCors(request: Request, response: Response): Response {
  if (!new URL(request.url).pathname.startsWith(CODEC_PATH)) return response;
  const origin = allowedOrigin(request);
  if (!origin) return response;
  const headers = new Headers(response.headers);
  headers.set('access-control-allow-origin', origin);
  headers.set('access-control-allow-credentials', 'true');
  headers.set('access-control-allow-methods', 'POST, OPTIONS');
  headers.set('access-control-allow-headers', 'content-type, x-namespace, authorization');
  headers.set('access-control-max-age', '600');
  headers.append('vary', 'Origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export function addCodecRoutes(router: Router): void {
  for (const op of ['decode', 'encode'] as const) {
    router
      .add('POST', `${CODEC_PATH}/${op}`, async ({ request }) => {
        const payloads = toPayloads(await readJsonObject(request, BODY_LIMITS.codec, '{"payloads": [...]}'));
        const { codec } = services();
        try {
          return toJson(op === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads));
        } catch (error) {
          // A payload sealed with a key Baton does not hold, or altered: the caller's input, not a bug.
          throw new AppError('UNPROCESSABLE', `could not ${op} the payloads: ${(error as Error).message}`);
        }
      }, {
        summary: op === 'decode' ? 'Temporal codec server: decrypt payloads for the Temporal UI' : 'Temporal codec server: encrypt payloads (Temporal UI signals and starts)',
        description: 'The Temporal codec server protocol; point the Temporal UI at /api/v1/temporal-codec (see README, Security).',
        body: { contentTypes: ['application/json'], maxBytes: BODY_LIMITS.codec, schema: { type: 'object', required: ['payloads'], properties: { payloads: { type: 'array', items: { type: 'object' } } } } },
        readOnly: true,
      })
      // The browser's preflight carries no credentials; the POST that follows does.
      .add('OPTIONS', `${CODEC_PATH}/${op}`, async () => new Response(null, { status: 204 }), { summary: `CORS preflight of ${op}`, public: true, readOnly: true });
  }
}
