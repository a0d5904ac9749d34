// ForEachItem's batches, ported from Kestra's StorageService.split (core/src/main/java/io/kestra/core/services/StorageService.java):
// rows (default 1), bytes (a batch ends once it reached the size), partitions (lines dealt out in
// turn, empty ones dropped), the separator after every line, and Java's readLine() line ends.
import { describe, expect, it } from 'vitest';
import { parseReadableBytes, readLines, splitItems } from '../src/services/storage/split-items';

const lines = (n: number, width = 0) => Array.from({ length: n }, (_, i) => String(i).padStart(width, '0')).join('\n') + '\n';

describe('splitItems', () => {
  it('one row per batch by default', () => {
    expect(splitItems('a\nb\nc\n')).toEqual(['a\n', 'b\n', 'c\n']);
  });

  it('rows: 4 on 102 lines gives 26 batches, the last one short (ForEachItemCaseTest)', () => {
    const batches = splitItems(lines(102), { rows: 4 });
    expect(batches).toHaveLength(26);
    expect(batches[0]).toBe('0\n1\n2\n3\n');
    expect(batches[25]).toBe('100\n101\n');
  });

  it('bytes: a batch ends once it holds the size, so it may run over by one line', () => {
    // Lines of 4 bytes with the newline: "000\n". 10 bytes → 3 lines (12 bytes) per batch.
    expect(splitItems(lines(7, 3), { bytes: 10 }).map((b) => b.length)).toEqual([12, 12, 4]);
    expect(splitItems(lines(1000, 3), { bytes: '1KB' })).toHaveLength(4);
  });

  it('bytes wins over partitions, which wins over rows (Kestra checks them in that order)', () => {
    expect(splitItems(lines(6, 3), { bytes: 8, partitions: 5, rows: 1 })).toHaveLength(3);
    expect(splitItems(lines(6), { partitions: 4, rows: 1 })).toHaveLength(4);
  });

  it('partitions deal lines out in turn and drop empty partitions', () => {
    expect(splitItems('a\nb\nc\nd\ne\n', { partitions: 2 })).toEqual(['a\nc\ne\n', 'b\nd\n']);
    expect(splitItems('a\nb\n', { partitions: 8 })).toEqual(['a\n', 'b\n']);
  });

  it('writes the separator after every line', () => {
    expect(splitItems('a\nb\nc', { rows: 2, separator: ';' })).toEqual(['a;b;', 'c;']);
  });

  it('an empty file has no batch', () => {
    expect(splitItems('', { rows: 3 })).toEqual([]);
    expect(splitItems('', { partitions: 3 })).toEqual([]);
  });

  it('refuses rows and partitions below 1, and sizes it cannot read', () => {
    expect(() => splitItems('a\n', { rows: 0 })).toThrow('batch.rows must be a positive integer');
    expect(() => splitItems('a\n', { partitions: -1 })).toThrow('batch.partitions must be a positive integer');
    expect(() => splitItems('a\n', { bytes: 'ten' })).toThrow("Invalid size with value 'ten'");
  });
});

describe('readLines (Java BufferedReader.readLine)', () => {
  it('ends lines at \\n, \\r and \\r\\n; a last line without an end counts; a trailing end adds no empty line', () => {
    expect(readLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(readLines('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(readLines('')).toEqual([]);
  });
});

describe('parseReadableBytes (Micronaut ReadableBytesTypeConverter)', () => {
  it('reads B, KB, MB and GB as powers of 1024, in any case, and plain numbers as bytes', () => {
    expect(parseReadableBytes('10KB')).toBe(10240);
    expect(parseReadableBytes('1mb')).toBe(1048576);
    expect(parseReadableBytes('1GB')).toBe(1073741824);
    expect(parseReadableBytes('512')).toBe(512);
    expect(parseReadableBytes(64)).toBe(64);
  });
});
