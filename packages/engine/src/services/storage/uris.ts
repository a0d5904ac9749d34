// kestra:// URIs of internal storage, in Kestra's layout:
//   kestra:///{namespace, dots as slashes}/{flow id slug}/executions/{execution id}/inputs/{input id}/{file name}
//   kestra:///{namespace, dots as slashes}/{flow id slug}/executions/{execution id}/tasks/{task id}/{task run id}/{file name}
// Pure functions: every URI that comes from a user or a task is parsed here before it reaches a disk.
import { STORAGE_SCHEME } from '@baton/plugin-sdk';
import { AppError } from '../app-error';

export interface ExecutionRef {
  namespace: string;
  flowId: string;
  executionId: string;
}

const PREFIX = `${STORAGE_SCHEME}/`;
const MAX_URI = 2048;

/** Kestra's Slugify of a flow id: whitespace to dashes, only word characters and dashes, lower case. */
export function slugify(text: string): string {
  return text
    .replace(/\s/g, '-')
    .normalize('NFD')
    .replace(/[^\w-]/g, '')
    .replace(/-{2,}/g, '-')
    .toLowerCase();
}

/** kestra:///company/team/my-flow/executions/abc/ — every file of the execution lies under it. */
export function executionPrefix(ref: ExecutionRef): string {
  return `${PREFIX}${ref.namespace.split('.').map(encodeSegment).join('/')}/${encodeSegment(slugify(ref.flowId))}/executions/${encodeSegment(ref.executionId)}/`;
}

/** Where an uploaded FILE input is stored. */
export function inputFileUri(ref: ExecutionRef, inputId: string, fileName: string): string {
  return `${executionPrefix(ref)}inputs/${encodeSegment(inputId)}/${encodeSegment(safeFileName(fileName))}`;
}

/** Where a task run's file is stored. */
export function taskFileUri(ref: ExecutionRef, taskId: string, taskRunId: string, fileName: string): string {
  return `${executionPrefix(ref)}tasks/${encodeSegment(taskId)}/${encodeSegment(taskRunId)}/${encodeSegment(safeFileName(fileName))}`;
}

/**
 * A file name as given by a browser or a server (Content-Disposition), made a single safe path
 * segment: no directories, no control characters, no dot-only names; an empty one becomes `file`.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'file' : cleaned;
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment);
}

/**
 * The path segments of a kestra:// URI, decoded. Refuses anything that could name a place
 * outside the storage root: `..` and `.` segments, empty segments, slashes or backslashes hidden
 * by percent-encoding, NUL characters, other schemes. A 422 that says why.
 */
export function parseStorageUri(uri: unknown): string[] {
  if (typeof uri !== 'string' || !uri.startsWith(PREFIX)) {
    throw new AppError('UNPROCESSABLE', `'${String(uri).slice(0, 80)}' is not an internal-storage URI; they look like kestra:///namespace/flow/executions/<id>/...`);
  }
  if (uri.length > MAX_URI) throw new AppError('UNPROCESSABLE', `a storage URI is at most ${MAX_URI} characters`);
  const raw = uri.slice(PREFIX.length);
  if (raw.includes('?') || raw.includes('#')) throw new AppError('UNPROCESSABLE', 'a storage URI has no query or fragment');
  const segments = raw.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new AppError('UNPROCESSABLE', `'${uri.slice(0, 80)}' is not a well-formed URI (a bad %-escape)`);
    }
  });
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\u0000')) {
      throw new AppError('UNPROCESSABLE', `'${uri.slice(0, 80)}' is not a valid storage path (empty, '.' or '..' segments, or hidden separators)`);
    }
  }
  return segments;
}

/** The URI rebuilt from its parsed segments (one spelling per file, whatever escapes were used). */
export function canonicalUri(segments: string[]): string {
  return `${PREFIX}${segments.map(encodeSegment).join('/')}`;
}

/** Whether a (canonical) URI lies under one of the executions' prefixes. */
export function belongsTo(uri: string, executions: ExecutionRef[]): boolean {
  const canonical = canonicalUri(parseStorageUri(uri));
  return executions.some((e) => canonical.startsWith(executionPrefix(e)));
}
