// The files of executions: what an execution (and whoever may read it) can reach in internal
// storage. An execution reads its own files and its parent executions' (a subflow reads the file
// its parent passed it), as Kestra's read() allows; nothing else, whatever URI it is given.
import type { Db } from '@baton/db';
import { namespaceChain } from '@baton/flow';
import { isNamespaceFileUri, type NamespaceFileRef, type StorageAccess, type StoredFile } from '@baton/plugin-sdk';
import { AppError } from '../app-error';
import type { FileMeta, FileStorage } from './file-storage';
import { namespaceFilesPrefix, resolveNamespaceFileUri } from './namespace-files';
import { belongsTo, canonicalUri, executionPrefix, inputFileUri, parseStorageUri, taskFileUri, type ExecutionRef } from './uris';

/** read() and tasks load a file into memory: bounded, so one large file cannot take the worker down. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;
/** How far up the parent chain files stay readable. */
const MAX_ANCESTORS = 16;

export interface UploadedFile {
  name: string;
  data: Uint8Array;
}

export class ExecutionFiles {
  constructor(
    private readonly db: Db,
    readonly storage: FileStorage,
  ) {}

  /** The execution and its ancestors, closest first. */
  async lineage(tenant: string, executionId: string): Promise<ExecutionRef[]> {
    const refs: ExecutionRef[] = [];
    let id: string | null = executionId;
    while (id && refs.length < MAX_ANCESTORS) {
      const row: { namespace: string; flowId: string; parentId: string | null; tenant: string } | null = await this.db.execution.findUnique({
        where: { id },
        select: { namespace: true, flowId: true, parentId: true, tenant: true },
      });
      if (!row || row.tenant !== tenant) break;
      refs.push({ namespace: row.namespace, flowId: row.flowId, executionId: id });
      id = row.parentId;
    }
    if (!refs.length) throw new AppError('NOT_FOUND', `execution ${executionId} not found`);
    return refs;
  }

  /**
   * The canonical kestra:/// URI when the execution may read it; a 403 that says why otherwise.
   * nsfile:// URIs (Kestra's namespace files) are resolved against the execution's namespace.
   * `forTask`: a running task also reads the namespace files of the namespaces above its own (as
   * plugin defaults apply); whoever downloads an execution's files through the API reads only its
   * own namespace's (a viewer of company.team is not one of company).
   */
  async check(tenant: string, executionId: string, uri: unknown, lineage?: ExecutionRef[], { forTask = false } = {}): Promise<string> {
    const refs = lineage ?? (await this.lineage(tenant, executionId));
    const own = refs[0].namespace;
    const readable = forTask ? namespaceChain(own) : [own];
    if (isNamespaceFileUri(uri)) {
      const target = resolveNamespaceFileUri(uri, own);
      // Namespace roles govern who may read a namespace: not a sibling's files.
      if (!readable.includes(target.namespace)) {
        throw new AppError(
          'FORBIDDEN',
          `${uri.slice(0, 200)}: ${forTask ? 'a flow' : 'an execution'} of ${own} reads the namespace files of ${readable.join(', ')}, not of ${target.namespace}`,
        );
      }
      return target.uri;
    }
    const canonical = canonicalUri(parseStorageUri(uri));
    // The namespace files of the execution's own namespace (and, for a task, those above it) are readable too (read('path') in Kestra).
    if (!belongsTo(canonical, refs) && !readable.some((ns) => canonical.startsWith(namespaceFilesPrefix(ns)))) {
      throw new AppError('FORBIDDEN', `the file ${canonical.slice(0, 200)} does not belong to execution ${executionId}, its parent executions or its namespace's files`);
    }
    return canonical;
  }

  async meta(tenant: string, executionId: string, uri: unknown): Promise<FileMeta & { uri: string }> {
    const canonical = await this.check(tenant, executionId, uri);
    return { uri: canonical, ...(await this.storage.meta(tenant, canonical)) };
  }

  /** The bytes of a file the execution may read (at most MAX_READ_BYTES). */
  async read(tenant: string, executionId: string, uri: unknown): Promise<Buffer> {
    return this.readAll(tenant, await this.check(tenant, executionId, uri));
  }

  /** Stores uploaded FILE inputs of an execution about to start; answers input id → URI. */
  async storeInputs(tenant: string, ref: ExecutionRef, files: Record<string, UploadedFile>): Promise<Record<string, string>> {
    const uris: Record<string, string> = {};
    for (const [inputId, file] of Object.entries(files)) {
      const uri = inputFileUri(ref, inputId, file.name);
      await this.storage.put(tenant, uri, file.data);
      uris[inputId] = uri;
    }
    return uris;
  }

  /** Deletes every file of an execution (it was purged, or its start was refused). */
  async deleteExecution(tenant: string, ref: ExecutionRef): Promise<number> {
    return this.storage.deletePrefix(tenant, executionPrefix(ref));
  }

  /** What a task run gets as `ctx.storage`: writes under its own task-run folder, reads from its lineage. */
  forTaskRun(tenant: string, ref: ExecutionRef, taskId: string, taskRunId: string): StorageAccess {
    let lineage: Promise<ExecutionRef[]> | undefined;
    const readable = async (uri: string) => this.check(tenant, ref.executionId, uri, await (lineage ??= this.lineage(tenant, ref.executionId)), { forTask: true });
    return {
      put: async (name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<StoredFile> => {
        const uri = taskFileUri(ref, taskId, taskRunId, name);
        return { uri, size: await this.storage.put(tenant, uri, data) };
      },
      get: async (uri: string) => this.readAll(tenant, await readable(uri)),
      size: async (uri: string) => (await this.storage.meta(tenant, await readable(uri))).size,
      namespaceFiles: () => this.namespaceFileRefs(tenant, ref.namespace),
    };
  }

  /** Every file under the namespace's `_files/` root, walked depth first (none: an empty list). */
  private async namespaceFileRefs(tenant: string, namespace: string): Promise<NamespaceFileRef[]> {
    const root = namespaceFilesPrefix(namespace);
    const out: NamespaceFileRef[] = [];
    const walk = async (dirUri: string, prefix: string): Promise<void> => {
      const entries = await this.storage.list(tenant, dirUri).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return [];
        throw error;
      });
      for (const entry of entries) {
        const uri = `${dirUri.endsWith('/') ? dirUri : `${dirUri}/`}${encodeURIComponent(entry.name)}`;
        if (entry.type === 'File') out.push({ path: prefix + entry.name, uri: canonicalUri(parseStorageUri(uri)) });
        else await walk(uri, `${prefix}${entry.name}/`);
      }
    };
    await walk(root, '');
    return out;
  }

  private async readAll(tenant: string, uri: string): Promise<Buffer> {
    const { size } = await this.storage.meta(tenant, uri);
    if (size > MAX_READ_BYTES) throw new AppError('TOO_LARGE', `${uri.slice(0, 200)} is ${size} bytes; files read into memory are at most ${MAX_READ_BYTES}`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.open(tenant, uri)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
