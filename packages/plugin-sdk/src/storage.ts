// Kestra's internal storage as tasks see it. The worker provides it (files on disk, or another
// backend behind the engine's FileStorage); plugins use only this interface, scoped to the
// execution that runs them.

/** The scheme of internal-storage URIs, as Kestra writes them: kestra:///namespace/path/flow/executions/... */
export const STORAGE_SCHEME = 'kestra://';

/** Whether a value is an internal-storage URI (kestra:///...). */
export function isStorageUri(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${STORAGE_SCHEME}/`);
}

/**
 * Kestra's namespace-file URIs: `nsfile:///path` (a file of the flow's own namespace) and
 * `nsfile://company.team/path` (of the namespace named in the authority). Properties that take
 * files (read(), FILE inputs, formData, ForEachItem items) accept them beside kestra:/// URIs.
 */
export const NAMESPACE_FILE_SCHEME = 'nsfile://';

/** Whether a value is a namespace-file URI (nsfile:///path or nsfile://namespace/path). */
export function isNamespaceFileUri(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(NAMESPACE_FILE_SCHEME);
}

/** Whether a value names a file a task can read: kestra:///... or nsfile://... */
export function isFileUri(value: unknown): value is string {
  return isStorageUri(value) || isNamespaceFileUri(value);
}

export interface StoredFile {
  /** kestra:///{namespace path}/{flow}/executions/{execution}/tasks/{task}/{task run}/{name} */
  uri: string;
  /** Bytes written. */
  size: number;
}

export interface StorageAccess {
  /**
   * Stores a file of the running task run under `name` (a file name, no directories) and answers
   * its kestra:// URI, which the task puts in its outputs.
   */
  put(name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<StoredFile>;
  /** The bytes of a file this execution may read (its own files, its parent executions', its namespace files: kestra:/// or nsfile://). */
  get(uri: string): Promise<Buffer>;
  /** The size in bytes of a file this execution may read. */
  size(uri: string): Promise<number>;
  /**
   * Every namespace file of the flow's namespace (Kestra's `namespaceFiles` of script tasks), as
   * paths relative to the namespace's root with their kestra:// URIs; read them with get().
   */
  namespaceFiles(): Promise<NamespaceFileRef[]>;
}

export interface NamespaceFileRef {
  /** Relative to the namespace's root, `/`-separated: `scripts/report.sh`. */
  path: string;
  uri: string;
}
