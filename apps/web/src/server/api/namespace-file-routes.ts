import 'server-only';
import { Readable } from 'node:stream';
import { AppError } from '@baton/engine';
import { services } from '../services';
import { readBody, type Router } from './handler';
import { BODY_LIMITS } from './limits';

// Namespace files, with the routes and shapes of Kestra's NamespaceFileController: upload
// (multipart `fileContent`), list a directory, get the content, move, delete. Paths are relative
// to the namespace's root, `?path=/queries/a.sql` as Kestra writes them.

const P = { tenant: 'Tenant id', namespace: 'Namespace, e.g. company.team' };
const PATH = { path: { description: 'Path from the namespace root, e.g. /queries/report.sql' } };

/** A path query parameter, from the namespace root with a leading slash as Kestra writes them. */
function required(url: URL, name: string, example: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new AppError('BAD_REQUEST', `send ?${name}=${example}`);
  return value.startsWith('/') ? value : `/${value}`;
}

async function readUpload(request: Request): Promise<Uint8Array> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('multipart/form-data')) throw new AppError('BAD_REQUEST', 'upload the file as multipart/form-data with a part named fileContent');
  const bytes = await readBody(request, BODY_LIMITS.upload);
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch (error) {
    throw new AppError('BAD_REQUEST', `could not read the form: ${(error as Error).message}`);
  }
  const part = form.get('fileContent');
  if (part === null || typeof part === 'string') throw new AppError('BAD_REQUEST', 'the form needs a file part named fileContent');
  return new Uint8Array(await part.arrayBuffer());
}

export function addNamespaceFileRoutes(router: Router) {
  const files = () => services().namespaceFiles;
  return router
    .add(
      'GET',
      '/api/v1/:tenant/namespaces/:namespace/files/directory',
      async ({ params, url }) => files().list(params.tenant, params.namespace, url.searchParams.get('path') ?? undefined),
      {
        summary: "List a directory of the namespace's files (the root without path)",
        params: P,
        query: PATH,
        readOnly: true,
        responses: { 200: 'Entries: fileName, type (File or Directory), size, lastModifiedTime, creationTime', 404: 'No such directory' },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/namespaces/:namespace/files',
      async ({ params, url }) => {
        const file = await files().read(params.tenant, params.namespace, required(url, 'path', '/queries/report.sql'));
        return new Response(Readable.toWeb(file.stream) as ReadableStream, {
          headers: {
            // Bytes, never a page of this origin: a stored HTML file cannot run script here.
            'content-type': 'application/octet-stream',
            'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(decodeURIComponent(file.name))}`,
            'content-length': String(file.size),
            'cache-control': 'no-cache',
            'x-content-type-options': 'nosniff',
          },
        });
      },
      { summary: 'The content of a namespace file', params: P, query: PATH, readOnly: true, responses: { 200: 'The file (application/octet-stream)', 404: 'No such file' } },
    )
    .add(
      'POST',
      '/api/v1/:tenant/namespaces/:namespace/files',
      async ({ request, params, url }) => {
        const path = required(url, 'path', '/queries/report.sql');
        return files().put(params.tenant, params.namespace, path, await readUpload(request));
      },
      {
        summary: 'Create or replace a namespace file (multipart, the file in a part named fileContent)',
        params: P,
        query: PATH,
        body: { contentTypes: ['multipart/form-data'], maxBytes: BODY_LIMITS.upload, description: 'A form with the file as `fileContent`' },
        responses: { 200: 'Stored: {path, size}' },
      },
    )
    .add(
      'PUT',
      '/api/v1/:tenant/namespaces/:namespace/files',
      async ({ params, url }) => {
        const [from, to] = [required(url, 'from', '/old.sql'), required(url, 'to', '/new.sql')];
        return { from, to, ...(await files().move(params.tenant, params.namespace, from, to)) };
      },
      {
        summary: 'Move a namespace file or directory',
        params: P,
        query: { from: { description: 'Current path' }, to: { description: 'New path' } },
        responses: { 200: 'Moved: {from, to, moved: number of files}', 404: 'Nothing at `from`', 409: 'Something already at `to`' },
      },
    )
    .add(
      'DELETE',
      '/api/v1/:tenant/namespaces/:namespace/files',
      async ({ params, url }) => {
        const path = required(url, 'path', '/queries/report.sql');
        return { path, ...(await files().delete(params.tenant, params.namespace, path)) };
      },
      {
        summary: 'Delete a namespace file, or a directory with its files',
        params: P,
        query: PATH,
        responses: { 200: 'Deleted: {path, deleted: number of files}', 404: 'No such file or directory' },
      },
    );
}
