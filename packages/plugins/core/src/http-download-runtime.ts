// The runtime of io.kestra.plugin.core.http.Download (its definition is http-download.ts): worker only.
import { codeForHttpStatus, defineRuntime, parseDuration, PluginError, type HttpStreamResponse, type TaskContext, type z } from '@baton/plugin-sdk';
import { httpDownload } from './http-download';
import { readFileParts, requestBody } from './http-request-runtime';

type Props = z.infer<typeof httpDownload.props>;
const MAX_REDIRECTS = 10;

/** The file name a server gives (Content-Disposition), else the URL's last segment; Kestra's rule. */
export function downloadName(contentDisposition: string | undefined, url: string): string {
  const header = contentDisposition ?? '';
  const star = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(header);
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  let name: string | undefined;
  try {
    name = star ? decodeURIComponent(star[1].trim()) : plain ? (plain[2] ?? plain[1]).trim() : undefined;
  } catch {
    name = undefined;
  }
  if (!name) name = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '') || 'download';
  // Storage keeps one path segment: whatever directories the server named are dropped there.
  return name;
}

async function drain(response: HttpStreamResponse) {
  for await (const _ of response.body) void _;
}

async function run({ props, http, logger, storage, signal }: TaskContext<Props>) {
  const options = props.options ?? {};
  const multipartForm = props.formData && (props.contentType ?? 'application/json') === 'multipart/form-data';
  const { body, contentType } = requestBody({ ...props, formData: multipartForm ? await readFileParts(props.formData!, storage) : props.formData });
  const headers: Record<string, string> = { accept: '*/*', ...props.headers };
  if (body !== undefined && contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = contentType;
  const auth = options.auth ?? props.auth;
  if (auth?.type === 'BASIC') headers.authorization = `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
  if (auth?.type === 'BEARER') headers.authorization = `Bearer ${auth.token ?? ''}`;
  // A download may be long: the timeout is the whole transfer's, 30 minutes unless set.
  const timeoutMs = parseDuration(options.readTimeout ?? options.timeout ?? '') ?? 30 * 60_000;
  const insecure = (options.ssl ?? props.sslOptions)?.insecureTrustAllCertificates;
  let method = props.method ?? 'GET';
  let uri = props.uri.replace(/ /g, '%20');

  logger.info(`${method} ${uri}`);
  let response = await http.stream({ method, url: uri, headers, body, timeoutMs, insecure, signal });
  for (let hops = 0; options.followRedirects !== false && [301, 302, 303, 307, 308].includes(response.status) && response.headers.location; hops++) {
    if (hops >= MAX_REDIRECTS) throw new PluginError('REMOTE_ERROR', `${method} ${props.uri}: more than ${MAX_REDIRECTS} redirects`);
    await drain(response);
    uri = new URL(response.headers.location, uri).toString();
    const keepsBody = response.status === 307 || response.status === 308 || method === 'GET' || method === 'HEAD';
    if (!keepsBody) method = 'GET';
    response = await http.stream({ method, url: uri, headers, body: keepsBody ? body : undefined, timeoutMs, insecure, signal });
  }
  const allowed = options.allowedResponseCodes;
  const allowFailed = options.allowFailed ?? props.allowFailed;
  if (allowed ? !allowed.includes(response.status) : response.status >= 400 && !allowFailed) {
    await drain(response);
    throw new PluginError(codeForHttpStatus(response.status), `${method} ${uri} answered ${response.status}`);
  }

  const stored = await storage.put(downloadName(response.headers['content-disposition'], uri), response.body).catch((error: Error) => {
    if (error instanceof PluginError) throw error;
    throw new PluginError('UPSTREAM_UNAVAILABLE', `${method} ${uri}: the download was interrupted (${error.message})`, { cause: error });
  });
  const declared = response.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) !== stored.size) {
    throw new PluginError('UPSTREAM_UNAVAILABLE', `${method} ${uri}: got ${stored.size} bytes, the server announced ${declared}`);
  }
  if (stored.size === 0) {
    if (props.failOnEmptyResponse !== false && !allowFailed)
      throw new PluginError('REMOTE_ERROR', `${method} ${uri} answered ${response.status} with an empty body (failOnEmptyResponse: false accepts it)`);
    logger.warn(`the file downloaded from ${uri} is empty`);
  }
  logger.info(`${method} ${uri} → ${response.status}, ${stored.size} bytes stored as ${stored.uri}`);
  return { uri: stored.uri, code: response.status, length: stored.size, headers: response.headerLists };
}

export const httpDownloadRuntime = defineRuntime(httpDownload, run);
