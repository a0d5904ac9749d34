// The file name a Download stores a response under: the server's (Content-Disposition), else the
// URL's last segment, as Kestra names it. Storage then keeps it to one path segment.
import { describe, expect, it } from 'vitest';
import { downloadName } from '../src/http-download-runtime';

describe('Download file names', () => {
  it.each([
    ['attachment; filename="report.csv"', 'https://x/a/b', 'report.csv'],
    ["attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", 'https://x/a', 'résumé.pdf'],
    ['attachment; filename=plain.txt', 'https://x/a', 'plain.txt'],
    [undefined, 'https://x/files/orders%202026.csv?x=1', 'orders 2026.csv'],
    [undefined, 'https://x/', 'download'],
    ["attachment; filename*=UTF-8''%zz", 'https://x/fallback.bin', 'fallback.bin'],
  ])('%s from %s is %s', (header, url, name) => {
    expect(downloadName(header, url)).toBe(name);
  });
});
