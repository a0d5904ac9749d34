// The working directory of one attempt: created empty, filled with the namespace files and the
// input files, searched for the output files, removed at the end.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isStorageUri, PluginError, type StorageAccess, type TaskLogger } from '@baton/plugin-sdk';
import { globToRegExp, matchesAny } from './glob';

export interface NamespaceFilesOption {
  enabled?: boolean;
  include?: string[];
  exclude?: string[];
  ifExists?: 'OVERWRITE' | 'FAIL' | 'WARN' | 'IGNORE';
}

/** Creates `{tmp}/baton-scripts/{taskRunId}-{attempt}-XXXXXX` (mode 0700: other users cannot read it). */
export async function createWorkingDir(taskRunId: string, attempt: number): Promise<string> {
  const root = path.join(os.tmpdir(), 'baton-scripts');
  await mkdir(root, { recursive: true, mode: 0o700 });
  const safe = taskRunId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  return mkdtemp(path.join(root, `${safe}-${attempt}-`));
}

export async function removeWorkingDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * A relative path inside the working directory, or a 4xx-style error: absolute paths and `..`
 * could write anywhere on the worker.
 */
export function resolveInside(dir: string, relative: string, what: string): string {
  const normalized = relative.replace(/\\/g, '/');
  if (!normalized || normalized.startsWith('/') || normalized.split('/').some((s) => s === '..')) {
    throw new PluginError('INVALID_PROPERTIES', `${what} '${relative.slice(0, 200)}' must be a relative path inside the working directory (no leading /, no ..)`);
  }
  return path.join(dir, normalized);
}

/** inputFiles as a map: Kestra also takes it as a JSON string. */
export function inputFilesMap(value: Record<string, string> | string | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'string') return value;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) return parsed as Record<string, string>;
  } catch {
    // fall through to the message below
  }
  throw new PluginError(
    'INVALID_PROPERTIES',
    'inputFiles must be a map of file name → content (or that map as a JSON string), e.g. {"inventory.ini": "localhost ansible_connection=local"}',
  );
}

/** Writes the input files; a kestra:// value is the content of that file in internal storage. */
export async function writeInputFiles(dir: string, files: Record<string, string>, storage: StorageAccess): Promise<string[]> {
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = resolveInside(dir, name, 'input file');
    await mkdir(path.dirname(target), { recursive: true });
    const data = isStorageUri(content.trim()) ? await storage.get(content.trim()) : content;
    await writeFile(target, data, { mode: 0o600 });
    written.push(name);
  }
  return written;
}

/** Copies the namespace's files (include/exclude globs) into the working directory. */
export async function writeNamespaceFiles(
  dir: string,
  option: NamespaceFilesOption | undefined,
  inputNames: ReadonlySet<string>,
  storage: StorageAccess,
  logger: TaskLogger,
): Promise<number> {
  if (!option || option.enabled === false) return 0;
  const include = (option.include ?? []).map(globToRegExp);
  const exclude = (option.exclude ?? []).map(globToRegExp);
  let copied = 0;
  for (const file of await storage.namespaceFiles()) {
    if (include.length && !matchesAny(file.path, include)) continue;
    if (matchesAny(file.path, exclude)) continue;
    if (inputNames.has(file.path)) {
      const rule = option.ifExists ?? 'OVERWRITE';
      if (rule === 'FAIL') throw new PluginError('CONFLICT', `namespace file ${file.path} has the path of an input file (namespaceFiles.ifExists: FAIL)`);
      if (rule === 'WARN') logger.warn(`namespace file ${file.path} not copied: an input file has that path`);
      if (rule !== 'OVERWRITE') continue;
    }
    const target = resolveInside(dir, file.path, 'namespace file');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await storage.get(file.uri), { mode: 0o600 });
    copied++;
  }
  return copied;
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

/** Uploads the files matching the globs; answers relative path → kestra:// URI. */
export async function collectOutputFiles(dir: string, globs: string[], storage: StorageAccess, exclude: ReadonlySet<string> = new Set()): Promise<Record<string, string>> {
  if (!globs.length) return {};
  const patterns = globs.map(globToRegExp);
  const out: Record<string, string> = {};
  for (const relative of await listFiles(dir)) {
    if (exclude.has(relative) || !matchesAny(relative, patterns)) continue;
    // Storage names are one path segment: directories become part of the name, so two report.csv
    // files in different directories stay two files.
    const stored = await storage.put(relative.split('/').join('__'), await readFile(path.join(dir, relative)));
    out[relative] = stored.uri;
  }
  return out;
}
