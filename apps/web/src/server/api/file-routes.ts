import 'server-only';
import { Readable } from 'node:stream';
import { AppError } from '@baton/engine';
import type { UploadedFile } from '@baton/engine/storage';
import { services } from '../services';
import { readBody, readInputs, type Router } from './handler';
import { BODY_LIMITS } from './limits';

// Files of executions (Kestra's internal storage): FILE inputs arrive with the start as multipart
// parts; outputs hold kestra:// URIs that these routes serve, to whoever may read the execution.

/**
 * Inputs of a start: form fields as text and file parts as uploads (FILE inputs). A multipart
 * body may carry files up to BODY_LIMITS.upload; other bodies keep the inputs limit.
 */
export async function readInputsAndFiles(request: Request): Promise<{ inputs: Record<string, unknown>; files: Record<string, UploadedFile> }> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.includes('multipart/form-data')) return { inputs: await readInputs(request, BODY_LIMITS.inputs), files: {} };
  const bytes = await readBody(request, BODY_LIMITS.upload);
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch (error) {
    throw new AppError('BAD_REQUEST', `could not read the form: ${(error as Error).message}`);
  }
  const inputs: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') inputs[key] = value;
    // A browser sends an empty part for a file field left empty: that is no file.
    else if (value.size > 0 || value.name) files[key] = { name: value.name || key, data: new Uint8Array(await value.arrayBuffer()) };
  }
  return { inputs, files };
}

/** A few types browsers display inline-safe as text; everything else downloads as bytes. */
function contentType(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    txt: 'text/plain; charset=utf-8',
    csv: 'text/csv; charset=utf-8',
    json: 'application/json',
    yaml: 'application/x-yaml',
    yml: 'application/x-yaml',
    xml: 'application/xml',
    ion: 'application/octet-stream',
  };
  return types[ext] ?? 'application/octet-stream';
}

function pathParam(url: URL): string {
  const path = url.searchParams.get('path');
  if (!path) throw new AppError('BAD_REQUEST', "send the file as ?path=kestra:///... (a URI from the execution's inputs or outputs)");
  return path;
}

export function addFileRoutes(router: Router) {
  const files = () => services().files;
  return router
    .add(
      'GET',
      '/api/v1/:tenant/executions/:id/file',
      async ({ params, url }) => {
        const meta = await files().meta(params.tenant, params.id, pathParam(url));
        const name = decodeURIComponent(meta.uri.slice(meta.uri.lastIndexOf('/') + 1));
        const stream = await files().storage.open(params.tenant, meta.uri);
        return new Response(Readable.toWeb(stream) as ReadableStream, {
          headers: {
            // Never rendered by the browser as a page of this origin: a stored HTML file cannot run script here.
            'content-type': contentType(name),
            'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
            'content-length': String(meta.size),
            'x-content-type-options': 'nosniff',
          },
        });
      },
      {
        summary: "Download a file of an execution (its FILE inputs, its tasks' files, its parent executions' files)",
        params: { tenant: 'Tenant id', id: 'Execution id' },
        query: { path: { description: 'The kestra:/// URI, as in the inputs or outputs' } },
        readOnly: true,
        responses: { 200: 'The file, as an attachment', 403: 'The file is not one of this execution (or its parents)' },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/executions/:id/file/metas',
      async ({ params, url }) => {
        const meta = await files().meta(params.tenant, params.id, pathParam(url));
        return { size: meta.size, uri: meta.uri, lastModified: meta.lastModified.toISOString() };
      },
      {
        summary: 'Size of a file of an execution',
        params: { tenant: 'Tenant id', id: 'Execution id' },
        query: { path: { description: 'The kestra:/// URI, as in the inputs or outputs' } },
        readOnly: true,
      },
    );
}
