import { expressions } from '@baton/flow';
import { isFileUri, type StorageAccess } from '@baton/plugin-sdk';

// Kestra's file functions in expressions: read(uri), fileSize(uri), fileExists(uri), isFileEmpty(uri).
// Expressions are synchronous and pure, and files are in storage: like kv(), a render that meets a
// file not fetched yet records it and stops; runTask fetches what was asked for and renders again.
// Every URI goes through ctx.storage, which allows only the execution's own files and its parents',
// and the namespace files of the execution's namespace (and those above it). nsfile:///path and
// nsfile://namespace/path name namespace files; any other path that is not a kestra:// URI
// (`read('queries/a.sql')`) is a namespace file too, as in Kestra.

type Fact = 'text' | 'size';
interface Known {
  text?: string;
  size?: number;
  missing?: boolean;
  error?: string;
}

class FileNotFetchedYet extends Error {
  constructor() {
    super('a file is not read yet');
  }
}

export class FileFunctions {
  private readonly known = new Map<string, Known>();
  private readonly wanted = new Map<string, Set<Fact>>();

  constructor(
    private readonly storage: StorageAccess,
    /** The execution's namespace: where a relative path is a namespace file. */
    private readonly namespace: string,
  ) {}

  /** Whether the last render asked for files not fetched yet. */
  get pending(): boolean {
    return this.wanted.size > 0;
  }

  functions(): Record<string, (...args: unknown[]) => unknown> {
    return {
      read: (...args) => this.lookup(this.uriArg('read', args), 'text').text,
      fileSize: (...args) => this.lookup(this.uriArg('fileSize', args), 'size').size,
      fileExists: (...args) => !this.lookup(this.uriArg('fileExists', args), 'size', true).missing,
      isFileEmpty: (...args) => this.lookup(this.uriArg('isFileEmpty', args), 'size').size === 0,
    };
  }

  /** Fetches what the last render asked for (errors are kept and thrown by the next render). */
  async fetch(): Promise<void> {
    for (const [uri, facts] of this.wanted) {
      const known = this.known.get(uri) ?? {};
      try {
        if (facts.has('text')) {
          const bytes = await this.storage.get(uri);
          known.text = bytes.toString('utf8');
          known.size = bytes.length;
        } else {
          known.size = await this.storage.size(uri);
        }
      } catch (error) {
        if ((error as { code?: string }).code === 'NOT_FOUND') known.missing = true;
        else known.error = (error as Error).message;
      }
      this.known.set(uri, known);
    }
    this.wanted.clear();
  }

  /**
   * The path argument, positional or named (read(path='kestra:///...')). A kestra:// or nsfile://
   * URI is kept (ctx.storage resolves and checks it); a relative path is a namespace file of the
   * flow's namespace, or of `namespace` when given (Kestra's read('a.sql', namespace='company')).
   */
  private uriArg(name: string, args: unknown[]): string {
    // Named arguments come as a final map: read(path='a.sql'), read('a.sql', namespace='company').
    const last = args.at(-1);
    const named = last !== null && typeof last === 'object' ? (last as { path?: unknown; namespace?: unknown }) : undefined;
    const path = named && args.length === 1 ? named.path : args[0];
    const namespace = named?.namespace;
    if (typeof path !== 'string' || !path) throw new Error(`${name}() takes a kestra:/// URI (an input or an output), an nsfile:// URI or the path of a namespace file`);
    if (isFileUri(path as unknown)) return path; // (not narrowing path: a string that is no URI is a path)
    if (namespace === undefined || namespace === null) return expressions.namespaceFileUri(this.namespace, path);
    if (typeof namespace !== 'string' || !namespace) throw new Error(`${name}(): namespace must be a namespace name such as company.team`);
    // As an nsfile:// URI, so the storage checks that this execution may read that namespace's files.
    return `nsfile://${namespace}/${path.replace(/^\/+/, '')}`;
  }

  private lookup(uri: string, fact: Fact, missingIsAnswer = false): Known {
    const known = this.known.get(uri);
    if (known?.error !== undefined) throw new Error(known.error);
    if (known?.missing) {
      if (missingIsAnswer) return known;
      throw new Error(`no file ${uri}`);
    }
    if (known && (fact === 'size' ? known.size !== undefined : known.text !== undefined)) return known;
    const facts = this.wanted.get(uri) ?? new Set<Fact>();
    this.wanted.set(uri, facts.add(fact));
    throw new FileNotFetchedYet();
  }
}
