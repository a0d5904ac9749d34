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

const MASK = '******';

/**
 * Secret values a decoded payload carries: SECRET inputs of an execution's start input (plan and
 * inputs side by side) and the `secretValues` a runTask input hands to its activity.
 */
function secretsIn(value: unknown, found: Set<string>, depth = 0): void {
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v) => secretsIn(v, found, depth + 1));
  const o = value as Record<string, unknown>;
  const plan = o.plan as { inputs?: { id: string; type: string }[] } | undefined;
  if (Array.isArray(plan?.inputs) && o.inputs && typeof o.inputs === 'object') {
    for (const input of plan.inputs) {
      const v = (o.inputs as Record<string, unknown>)[input?.id];
      if (input?.type === 'SECRET' && typeof v === 'string' && v) found.add(v);
    }
  }
  if (Array.isArray(o.secretValues)) for (const v of o.secretValues) if (typeof v === 'string' && v) found.add(v);
  for (const v of Object.values(o)) secretsIn(v, found, depth + 1);
}

/**
 * What the Temporal UI shows must not undo Baton's masking: SECRET input values (needed in the
 * workflow, so present in history, encrypted) are replaced by ****** in decoded JSON payloads.
 * Only display decodes come here; workers decode with the codec directly.
 */
function redactForDisplay(payload: Payload): Payload {
  const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString('utf8') : '';
  if (encoding !== 'json/plain' || !payload.data) return payload;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload.data).toString('utf8'));
  } catch {
    return payload;
  }
  const found = new Set<string>();
  secretsIn(value, found);
  if (!found.size) return payload;
  // Whole values equal to a secret, and secrets of 4+ characters inside longer text (as SecretMasker).
  const inside = [...found].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  const redact = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return found.has(v) ? MASK : inside.reduce((out, secret) => out.split(secret).join(MASK), v);
    if (depth > 64 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((item) => redact(item, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, redact(item, depth + 1)]));
  };
  return { ...payload, data: Buffer.from(JSON.stringify(redact(value, 0)), 'utf8') };
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
      .add(
        'POST',
        `${CODEC_PATH}/${op}`,
        async ({ request }) => {
          const payloads = toPayloads(await readJsonObject(request, BODY_LIMITS.codec, '{"payloads": [...]}'));
          const { codec } = services();
          try {
            return toJson(op === 'decode' ? (await codec.decode(payloads)).map(redactForDisplay) : await codec.encode(payloads));
          } catch (error) {
            // A payload sealed with a key Baton does not hold, or altered: the caller's input, not a bug.
            throw new AppError('UNPROCESSABLE', `could not ${op} the payloads: ${(error as Error).message}`);
          }
        },
        {
          summary: op === 'decode' ? 'Temporal codec server: decrypt payloads for the Temporal UI' : 'Temporal codec server: encrypt payloads (Temporal UI signals and starts)',
          description: 'The Temporal codec server protocol; point the Temporal UI at /api/v1/temporal-codec (see README, Security).',
          body: {
            contentTypes: ['application/json'],
            maxBytes: BODY_LIMITS.codec,
            schema: { type: 'object', required: ['payloads'], properties: { payloads: { type: 'array', items: { type: 'object' } } } },
          },
          readOnly: true,
        },
      )
      // The browser's preflight carries no credentials; the POST that follows does.
      .add('OPTIONS', `${CODEC_PATH}/${op}`, async () => new Response(null, { status: 204 }), { summary: `CORS preflight of ${op}`, public: true, readOnly: true });
  }
}
