// Where internal-storage files live. One interface, so another backend (S3-compatible, say) can be
// added beside LocalFileStorage without touching its callers; everything above it speaks kestra://
// URIs, already parsed and checked by uris.ts.
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import crypto from 'node:crypto';
import { AppError } from '../app-error';
import { parseStorageUri } from './uris';

export interface FileMeta {
  size: number;
  lastModified: Date;
}

export interface FileStorage {
  /** Writes a file (replacing one at the same URI); answers its size. */
  put(tenant: string, uri: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<number>;
  /** A stream of the file's bytes; NOT_FOUND when it does not exist. */
  open(tenant: string, uri: string): Promise<Readable>;
  /** Size and date; NOT_FOUND when it does not exist. */
  meta(tenant: string, uri: string): Promise<FileMeta>;
  /** Deletes every file under a prefix (an execution's, when it is purged); answers how many. */
  deletePrefix(tenant: string, prefixUri: string): Promise<number>;
  /** The entries directly under a directory URI (namespace files); NOT_FOUND when it does not exist. */
  list(tenant: string, dirUri: string): Promise<FileEntry[]>;
}

export interface FileEntry {
  name: string;
  type: 'File' | 'Directory';
  size: number;
  lastModified: Date;
  created: Date;
}

const TENANT = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * Files on the local disk: `{root}/{tenant}/{namespace path}/{flow}/executions/...`, as Kestra's
 * local storage lays them out. Writes go to a temporary file renamed into place, so a reader never
 * sees half a file. A multi-host install needs a shared directory (or another backend).
 */
export class LocalFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  /** The absolute path of a URI, proven to lie inside the tenant's directory. */
  pathOf(tenant: string, uri: string, { allowPrefix = false } = {}): string {
    if (!TENANT.test(tenant)) throw new AppError('BAD_REQUEST', `invalid tenant '${tenant.slice(0, 40)}'`);
    const segments = parseStorageUri(allowPrefix ? uri.replace(/\/+$/, '') : uri);
    const base = path.resolve(this.root, tenant);
    const full = path.resolve(base, ...segments);
    // parseStorageUri already refuses '..' and separators; this is the belt to its braces.
    if (!full.startsWith(base + path.sep)) throw new AppError('UNPROCESSABLE', 'the storage path leaves the storage directory');
    return full;
  }

  async put(tenant: string, uri: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<number> {
    const target = this.pathOf(tenant, uri);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${crypto.randomBytes(6).toString('hex')}.part`;
    try {
      await pipeline(data instanceof Uint8Array ? Readable.from([data]) : Readable.from(data), createWriteStream(temporary, { flags: 'wx' }));
      await fs.rename(temporary, target);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
    return (await fs.stat(target)).size;
  }

  async open(tenant: string, uri: string): Promise<Readable> {
    const file = this.pathOf(tenant, uri);
    await this.meta(tenant, uri); // a clear NOT_FOUND before streaming starts
    return createReadStream(file);
  }

  async meta(tenant: string, uri: string): Promise<FileMeta> {
    try {
      const stat = await fs.stat(this.pathOf(tenant, uri));
      if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return { size: stat.size, lastModified: stat.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `no file ${uri.slice(0, 300)}`);
      throw error;
    }
  }

  async list(tenant: string, dirUri: string): Promise<FileEntry[]> {
    const dir = this.pathOf(tenant, dirUri, { allowPrefix: true });
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('NOT_FOUND', `no directory ${dirUri.slice(0, 300)}`);
      throw error;
    }
    const entries: FileEntry[] = [];
    for (const name of names.sort()) {
      if (name.endsWith('.part')) continue; // a write in progress
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (!stat) continue;
      entries.push({ name, type: stat.isDirectory() ? 'Directory' : 'File', size: stat.isDirectory() ? 0 : stat.size, lastModified: stat.mtime, created: stat.birthtime });
    }
    return entries;
  }

  async deletePrefix(tenant: string, prefixUri: string): Promise<number> {
    const dir = this.pathOf(tenant, prefixUri, { allowPrefix: true });
    const files = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    await fs.rm(dir, { recursive: true, force: true });
    return files.filter((f) => f.isFile()).length;
  }
}
