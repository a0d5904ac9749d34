// Namespace files (Kestra's): files kept per namespace, beside the flows (SQL, scripts, templates),
// in internal storage at kestra:///{namespace as a path}/_files/{path}. The API manages them
// (NamespaceFileController's routes); tasks read them with read('path') and fileURI('path').
import { AppError } from '../app-error';
import type { FileEntry, FileStorage } from './file-storage';
import { canonicalUri, parseStorageUri } from './uris';

/** Kestra's FileAttributes as its /files/directory and /files/stats answer them. */
export interface NamespaceFileAttributes {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
  lastModifiedTime: number;
  creationTime: number;
}

/** Where a namespace's files start: kestra:///company/team/_files/ */
export function namespaceFilesPrefix(namespace: string): string {
  return `kestra:///${namespace.split('.').join('/')}/_files/`;
}

/**
 * The URI of a namespace file. The path is relative to the namespace's root (a leading slash is
 * allowed, as Kestra writes them); `..`, empty segments and hidden separators are refused (422).
 */
export function namespaceFileUri(namespace: string, path: string): string {
  const segments = path.split('/').filter((s, i) => !(i === 0 && s === ''));
  if (!segments.length || (segments.length === 1 && segments[0] === '')) throw new AppError('BAD_REQUEST', 'a namespace file path is needed, such as queries/report.sql');
  const raw = namespaceFilesPrefix(namespace) + segments.map((s) => encodeURIComponent(s)).join('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new AppError('UNPROCESSABLE', `'${path.slice(0, 200)}' is not a valid path (empty, '.' or '..' segments)`);
  return canonicalUri(parseStorageUri(raw));
}

const NAMESPACE = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i;

/**
 * Kestra's nsfile:// URI as the kestra:/// URI of the namespace file it names, and that namespace:
 * `nsfile:///path` is a file of `currentNamespace` (the flow's), `nsfile://company.team/path` one of
 * company.team. A malformed one is a 422 that shows both forms.
 */
export function resolveNamespaceFileUri(uri: string, currentNamespace: string): { namespace: string; uri: string } {
  const match = /^nsfile:\/\/([^/]*)(\/.*)$/.exec(uri);
  const shape = "nsfile:///path/in/namespace (the flow's namespace) or nsfile://company.team/path";
  if (!match) throw new AppError('UNPROCESSABLE', `'${uri.slice(0, 120)}' is not a namespace-file URI; they look like ${shape}`);
  const namespace = match[1] || currentNamespace;
  if (!NAMESPACE.test(namespace)) throw new AppError('UNPROCESSABLE', `'${match[1].slice(0, 80)}' in ${uri.slice(0, 120)} is not a namespace; use ${shape}`);
  if (/[?#]/.test(match[2])) throw new AppError('UNPROCESSABLE', `a namespace-file URI has no query or fragment: ${uri.slice(0, 120)}`);
  let path: string;
  try {
    path = decodeURIComponent(match[2]);
  } catch {
    throw new AppError('UNPROCESSABLE', `'${uri.slice(0, 120)}' is not a well-formed URI (a bad %-escape)`);
  }
  return { namespace, uri: namespaceFileUri(namespace, path) };
}

function attributes(entry: FileEntry): NamespaceFileAttributes {
  return { fileName: entry.name, type: entry.type, size: entry.size, lastModifiedTime: entry.lastModified.getTime(), creationTime: entry.created.getTime() };
}

export class NamespaceFiles {
  constructor(readonly storage: FileStorage) {}

  /** The entries of a directory (the root when `path` is empty); the root of a namespace without files is empty. */
  async list(tenant: string, namespace: string, path?: string): Promise<NamespaceFileAttributes[]> {
    const root = !path || path === '/';
    const uri = root ? namespaceFilesPrefix(namespace) : namespaceFileUri(namespace, path);
    try {
      return (await this.storage.list(tenant, uri)).map(attributes);
    } catch (error) {
      if (root && error instanceof AppError && error.code === 'NOT_FOUND') return [];
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `Directory not found: ${path}`);
      throw error;
    }
  }

  async put(tenant: string, namespace: string, path: string, data: Uint8Array): Promise<{ path: string; size: number }> {
    const uri = namespaceFileUri(namespace, path);
    return { path: displayPath(path), size: await this.storage.put(tenant, uri, data) };
  }

  async read(tenant: string, namespace: string, path: string) {
    const uri = namespaceFileUri(namespace, path);
    const meta = await this.storage.meta(tenant, uri).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `File not found: ${displayPath(path)}`);
      throw error;
    });
    return { uri, name: uri.slice(uri.lastIndexOf('/') + 1), size: meta.size, stream: await this.storage.open(tenant, uri) };
  }

  /** Deletes a file, or a directory with everything in it; NOT_FOUND when there is neither. */
  async delete(tenant: string, namespace: string, path: string): Promise<{ deleted: number }> {
    const uri = namespaceFileUri(namespace, path);
    const files = await this.filesUnder(tenant, uri);
    const isDirectory = await this.storage.list(tenant, uri).then(
      () => true,
      () => false,
    );
    if (!files.length && !isDirectory) throw new AppError('NOT_FOUND', `File not found: ${displayPath(path)}`);
    await this.storage.deletePrefix(tenant, uri);
    return { deleted: files.length };
  }

  /** Moves a file (or every file of a directory) to another path; the target must not exist. */
  async move(tenant: string, namespace: string, from: string, to: string): Promise<{ moved: number }> {
    const source = namespaceFileUri(namespace, from);
    const target = namespaceFileUri(namespace, to);
    if (target === source || target.startsWith(`${source}/`)) throw new AppError('UNPROCESSABLE', `cannot move ${displayPath(from)} into itself`);
    const taken = await this.storage.meta(tenant, target).then(
      () => true,
      () =>
        this.storage.list(tenant, target).then(
          () => true,
          () => false,
        ),
    );
    if (taken) throw new AppError('CONFLICT', `${displayPath(to)} already exists`);
    const files = await this.filesUnder(tenant, source);
    if (!files.length) throw new AppError('NOT_FOUND', `File not found: ${displayPath(from)}`);
    // Streamed file by file: a large namespace file is never held in memory whole.
    for (const file of files) await this.storage.put(tenant, target + file.slice(source.length), await this.storage.open(tenant, file));
    await this.storage.deletePrefix(tenant, source);
    return { moved: files.length };
  }

  /** The URIs of the file at `uri`, or of every file under the directory `uri`. */
  private async filesUnder(tenant: string, uri: string): Promise<string[]> {
    const isFile = await this.storage.meta(tenant, uri).then(
      () => true,
      () => false,
    );
    if (isFile) return [uri];
    const entries = await this.storage.list(tenant, uri).catch(() => [] as FileEntry[]);
    const out: string[] = [];
    for (const entry of entries) {
      const child = `${uri}/${encodeURIComponent(entry.name)}`;
      if (entry.type === 'File') out.push(child);
      else out.push(...(await this.filesUnder(tenant, child)));
    }
    return out;
  }
}

/** A path as Kestra shows it: from the namespace root, with a leading slash. */
function displayPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
