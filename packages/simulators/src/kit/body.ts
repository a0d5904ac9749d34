import type { IncomingMessage } from 'node:http';

/** Cloudflare KV accepts values up to 25 MiB; anything larger is a client bug worth a clear error. */
export const MAX_BODY_BYTES = 26 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLargeError(`request body exceeds ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Decodes a body by its content type. JSON bodies without a content type are decoded too, because
 * curl-style clients often omit it and both real APIs accept that.
 */
export async function parseBody(raw: Buffer, contentTypeHeader: string | undefined): Promise<{ body: unknown; error?: string }> {
  if (raw.length === 0) return { body: undefined };
  const type = mediaType(contentTypeHeader);
  const text = raw.toString('utf8');
  if (type === 'multipart/form-data') {
    try {
      return { body: await parseMultipart(raw, contentTypeHeader ?? '') };
    } catch (err) {
      return { body: undefined, error: `malformed multipart body: ${(err as Error).message}` };
    }
  }
  const looksJson = type === '' && /^\s*[[{]/.test(text);
  if (type === 'application/json' || type.endsWith('+json') || looksJson) {
    try {
      return { body: JSON.parse(text) };
    } catch (err) {
      return { body: text, error: (err as Error).message };
    }
  }
  return { body: text };
}

/** Multipart fields as strings; uses the WHATWG parser built into Node rather than a dependency. */
async function parseMultipart(raw: Buffer, contentTypeHeader: string): Promise<Record<string, string>> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentTypeHeader } }).formData();
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    fields[name] = typeof value === 'string' ? value : await value.text();
  }
  return fields;
}
