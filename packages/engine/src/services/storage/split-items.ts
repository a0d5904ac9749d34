// Kestra's StorageService.split for text files (ForEachItem's `batch`): the items file is read line
// by line and written out in batches, each line followed by the separator. Pure: the activity that
// reads and stores the files is apps/worker/src/activities/for-each-item.ts.

/** ForEachItem's `batch` property, as Kestra's StorageSplitInterface. */
export interface BatchSpec {
  /** Lines per batch (Kestra's default: 1). */
  rows?: number;
  /** A batch ends once it holds at least this many bytes ("10KB", "1MB", or a number of bytes). */
  bytes?: string | number;
  /** Exactly this many batches, lines dealt out in turn (empty batches dropped). */
  partitions?: number;
  /** Written after each line (Kestra's default: "\n"). */
  separator?: string;
}

/**
 * Micronaut's ReadableBytesTypeConverter, which Kestra uses for `bytes`: a number with B, KB, MB or
 * GB (powers of 1024, any case); a plain number is bytes.
 */
export function parseReadableBytes(value: string | number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  const match = /^\s*(\d+)\s*(B|KB|MB|GB)?\s*$/i.exec(String(value));
  const size = match ? Number(match[1]) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf((match[2] ?? 'B').toUpperCase()) : 0;
  if (!(size > 0)) throw new Error(`Invalid size with value '${String(value)}' (use a number of bytes or a size such as 10KB or 1MB)`);
  return size;
}

/** Java's BufferedReader.readLine(): lines end at \n, \r or \r\n; a last line without an end still counts. */
export function readLines(text: string): string[] {
  if (!text.length) return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (/(\r\n|\r|\n)$/.test(text)) lines.pop();
  return lines;
}

/**
 * Splits the items into batches. Exactly one rule applies, in Kestra's order: `bytes`, then
 * `partitions`, then `rows` (default 1 row per batch).
 */
export function splitItems(content: Buffer | string, batch: BatchSpec = {}): string[] {
  const separator = batch.separator ?? '\n';
  const lines = readLines(typeof content === 'string' ? content : content.toString('utf8'));
  if (batch.bytes !== undefined) {
    const limit = parseReadableBytes(batch.bytes);
    return chunk(lines, separator, (bytes) => bytes >= limit);
  }
  if (batch.partitions !== undefined) {
    if (!Number.isInteger(batch.partitions) || batch.partitions < 1) throw new Error(`batch.partitions must be a positive integer, got ${String(batch.partitions)}`);
    const parts: string[] = Array.from({ length: batch.partitions }, () => '');
    lines.forEach((line, i) => (parts[i % parts.length] += line + separator));
    return parts.filter((p) => p.length > 0);
  }
  const rows = batch.rows ?? 1;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`batch.rows must be a positive integer, got ${String(rows)}`);
  return chunk(lines, separator, (_bytes, count) => count >= rows);
}

/** A new batch starts before a line when the current one is full (so a `bytes` batch may run over). */
function chunk(lines: string[], separator: string, full: (bytes: number, rows: number) => boolean): string[] {
  const batches: string[] = [];
  let current: string | undefined;
  let bytes = 0;
  let rows = 0;
  for (const line of lines) {
    if (current === undefined || full(bytes, rows)) {
      if (current !== undefined) batches.push(current);
      current = '';
      bytes = 0;
      rows = 0;
    }
    const piece = line + separator;
    current += piece;
    bytes += Buffer.byteLength(piece, 'utf8');
    rows++;
  }
  if (current !== undefined) batches.push(current);
  return batches;
}
