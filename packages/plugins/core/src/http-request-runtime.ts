// The runtime of io.kestra.plugin.core.http.Request (its definition is http-request.ts): worker only.
import { codeForHttpStatus, defineRuntime, isFileUri, parseDuration, parseRetryAfter, PluginError, type StorageAccess, type TaskContext, type z } from '@baton/plugin-sdk';
import { httpRequest } from './http-request';

type Props = z.infer<typeof httpRequest.props>;

const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
const MAX_REDIRECTS = 10;

/** The request body and its content type, as Kestra's AbstractHttp builds them. */
export function requestBody(
  props: Pick<Props, 'body' | 'formData' | 'contentType'>,
  boundary = `----baton${Math.random().toString(16).slice(2)}`,
): { body?: string | Buffer; contentType?: string } {
  const contentType = props.contentType ?? 'application/json';
  if (props.formData && Object.keys(props.formData).length) {
    if (contentType === 'multipart/form-data') return { body: multipart(props.formData, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(props.formData)) form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (props.body === undefined || props.body === null) return { contentType };
  return { body: typeof props.body === 'string' ? props.body : JSON.stringify(props.body), contentType };
}

/** A file part whose bytes were read from internal storage before the body is built. */
interface FilePart {
  name: string;
  bytes: Buffer;
}
const isFilePart = (v: unknown): v is FilePart => !!v && typeof v === 'object' && Buffer.isBuffer((v as FilePart).bytes);

/**
 * Multipart fields that name files in internal storage, read into file parts (as Kestra's
 * AbstractHttp does): a kestra:// URI alone is a file named after the URI's last segment, and
 * {name, content} with a kestra:// content is that file under `name`. Reading goes through
 * ctx.storage, so only this execution's files (and its parents') can be sent.
 */
export async function readFileParts(formData: Record<string, unknown>, storage: StorageAccess): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(formData)) {
    const named = value && typeof value === 'object' && 'name' in value && 'content' in value ? (value as { name: unknown; content: unknown }) : undefined;
    const uri = isFileUri(value) ? value : named && isFileUri(named.content) ? named.content : undefined;
    if (!uri) {
      out[key] = value;
      continue;
    }
    const bytes = await storage.get(uri).catch((error: Error) => {
      throw new PluginError('INVALID_PROPERTIES', `formData.${key}: ${error.message}`);
    });
    out[key] = { name: named ? String(named.name) : decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)), bytes } satisfies FilePart;
  }
  return out;
}

function multipart(fields: Record<string, unknown>, boundary: string): Buffer {
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
  for (const [key, value] of Object.entries(fields)) {
    let header = `Content-Disposition: form-data; name="${quote(key)}"`;
    let content: Buffer;
    if (isFilePart(value)) {
      content = value.bytes;
      header += `; filename="${quote(value.name)}"\r\nContent-Type: application/octet-stream`;
    } else if (value && typeof value === 'object' && 'name' in value && 'content' in value) {
      // A file part given inline: {name, content} with the content itself.
      const file = value as { name: unknown; content: unknown };
      content = Buffer.from(String(file.content));
      header += `; filename="${quote(String(file.name))}"\r\nContent-Type: application/octet-stream`;
    } else {
      content = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    }
    parts.push(Buffer.from(`--${boundary}\r\n${header}\r\n\r\n`), content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

function authorization(auth: Props['auth']): string | undefined {
  if (auth?.type === 'BASIC') return `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
  if (auth?.type === 'BEARER') return `Bearer ${auth.token ?? ''}`;
  return undefined;
}

async function run({ props, http, logger, encrypt, storage }: TaskContext<Props>) {
  const options = props.options ?? {};
  const multipartForm = props.formData && (props.contentType ?? 'application/json') === 'multipart/form-data';
  const formData = multipartForm ? await readFileParts(props.formData!, storage) : props.formData;
  const { body, contentType } = requestBody({ ...props, formData });
  const headers: Record<string, string> = { ...props.headers };
  if (contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = contentType;
  const auth = authorization(options.auth ?? props.auth);
  if (auth) headers.authorization = auth;
  const timeoutMs = parseDuration(options.readTimeout ?? options.timeout ?? '') ?? undefined;
  const insecure = (options.ssl ?? props.sslOptions)?.insecureTrustAllCertificates;
  let method = props.method ?? 'GET';
  let uri = props.uri.replace(/ /g, '%20'); // as Kestra: spaces in a URI are the common mistake

  logger.info(`${method} ${uri}`);
  let response = await http.request({ method, url: uri, headers, body, timeoutMs, insecure });
  for (let hops = 0; options.followRedirects !== false && [301, 302, 303, 307, 308].includes(response.status) && response.headers.location; hops++) {
    if (hops >= MAX_REDIRECTS) throw new PluginError('REMOTE_ERROR', `${method} ${props.uri}: more than ${MAX_REDIRECTS} redirects`);
    uri = new URL(response.headers.location, uri).toString();
    // 303, and 301/302 after a POST, become a GET without a body (what browsers and Kestra's client do).
    const keepsBody = response.status === 307 || response.status === 308 || method === 'GET' || method === 'HEAD';
    if (!keepsBody) method = 'GET';
    response = await http.request({ method, url: uri, headers, body: keepsBody ? body : undefined, timeoutMs, insecure });
  }
  logger.info(`${method} ${uri} → ${response.status}`);

  const maxLength = options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH;
  if (Buffer.byteLength(response.text) > maxLength) {
    throw new PluginError('REMOTE_ERROR', `${method} ${uri}: the response is larger than ${maxLength} bytes (options.maxContentLength)`);
  }
  const allowed = options.allowedResponseCodes;
  const failed = allowed ? !allowed.includes(response.status) : response.status >= 400 && !(options.allowFailed ?? props.allowFailed);
  if (failed) {
    // With encryptBody the body is confidential: an error message (logged, stored) leaves it out.
    const snippet = props.encryptBody ? '' : response.text.slice(0, 300);
    throw new PluginError(codeForHttpStatus(response.status), `${method} ${uri} answered ${response.status}${snippet ? `: ${snippet}` : ''}`, {
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    });
  }
  const text = response.text === '' ? null : response.text;
  // Kestra's encryptBody: the body is only in `encryptedBody`, encrypted with the instance's key;
  // a later task that renders it gets the plaintext (masked in its logs like a secret).
  if (props.encryptBody) return { uri, code: response.status, headers: response.headerLists, body: null, encryptedBody: text === null ? null : encrypt(text) };
  return { uri, code: response.status, headers: response.headerLists, body: text };
}

export const httpRequestRuntime = defineRuntime(httpRequest, run);
