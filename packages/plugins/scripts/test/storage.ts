// Internal storage for the plugin's unit tests: files kept in a map, with the URIs and the checks
// the worker's storage makes (put names one segment, get refuses what was not stored). The real
// storage (ExecutionFiles on disk, namespace files through the API) is exercised by
// test/scripts.int.test.ts through the running worker.
import type { NamespaceFileRef, StorageAccess } from '@baton/plugin-sdk';

export class TestStorage implements StorageAccess {
  readonly files = new Map<string, Buffer>();
  readonly namespace = new Map<string, string>();

  async put(name: string, data: Uint8Array | AsyncIterable<Uint8Array>) {
    if (name.includes('/')) throw new Error(`storage names are one path segment, got ${name}`);
    const chunks: Buffer[] = [];
    if (data instanceof Uint8Array) chunks.push(Buffer.from(data));
    else for await (const chunk of data) chunks.push(Buffer.from(chunk));
    const uri = `kestra:///company/team/test/executions/e1/tasks/t/tr/${name}`;
    this.files.set(uri, Buffer.concat(chunks));
    return { uri, size: this.files.get(uri)!.length };
  }

  async get(uri: string) {
    const file = this.files.get(uri);
    if (!file) throw new Error(`no file ${uri}`);
    return file;
  }

  async size(uri: string) {
    return (await this.get(uri)).length;
  }

  /** Adds a namespace file (path relative to the namespace root). */
  addNamespaceFile(path: string, content: string) {
    const uri = `kestra:///company/team/_files/${path}`;
    this.files.set(uri, Buffer.from(content));
    this.namespace.set(path, uri);
  }

  async namespaceFiles(): Promise<NamespaceFileRef[]> {
    return [...this.namespace].map(([path, uri]) => ({ path, uri }));
  }
}
