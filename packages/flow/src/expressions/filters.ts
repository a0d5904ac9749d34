import { addToDate, formatDate, isoString, toEpochMillis } from './dates';
import { base64Decode, base64Encode, urlDecode, urlEncode, utf8Decode, utf8Encode } from './encoding';
import { fail } from './errors';
import type { RenderOptions, WorkMeter } from './evaluator';
import { jq } from './jq';
import { md5, sha1, sha512 } from './hashes';
import { MAX_DATA_DEPTH } from './limits';
import { formatNumber } from './numbers';
import { regexExtract, regexFind, regexReplaceAll } from './regex';
import { sha256, toHex } from './sha256';
import { toYaml } from './yaml';
import { checkStringLength, deepEqual, describeType, isEmpty, isPlainObject, itemAt, quote, readOwn, setOwn, toJson, toText } from './values';

export interface FilterDef {
  /** Parameter names: positional order, and the names accepted as named arguments. */
  params: string[];
  /** How many arguments are required. */
  required?: number;
  /**
   * The result says nothing about the input's content (a length, a yes/no), so it is not
   * treated as secret even when the input is.
   */
  clean?: boolean;
  apply(input: unknown, args: unknown[], meter: WorkMeter): unknown;
}

function text(value: unknown, filter: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  fail('type', `filter '${filter}' needs text but got ${describeType(value)}`);
}

function list(value: unknown, filter: string): unknown[] {
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => itemAt(value, i));
  fail('type', `filter '${filter}' needs a list but got ${describeType(value)}`);
}

function map(value: unknown, filter: string): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  fail('type', `filter '${filter}' needs a map but got ${describeType(value)}`);
}

function num(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  fail('type', `${what} needs a number but got ${describeType(value)}${typeof value === 'string' ? "; convert text with '| number'" : ''}`);
}

function int(value: unknown, what: string): number {
  const n = num(value, what);
  if (!Number.isInteger(n)) fail('type', `${what} needs a whole number but got ${n}`);
  return n;
}

/** Text filters pass null through, as Pebble does (`{{ null | upper }}` renders nothing). */
function textFilter(name: string, fn: (s: string, args: unknown[]) => unknown, params: string[] = [], required = 0): [string, FilterDef] {
  return [name, { params, required, apply: (input, args) => (input === null || input === undefined ? null : fn(text(input, name), args)) }];
}

function replaceAll(input: string, search: string, replacement: string): string {
  const parts = input.split(search);
  checkStringLength(input.length + (parts.length - 1) * (replacement.length - search.length), `the result of replace`);
  return parts.join(replacement);
}

function titleCase(s: string): string {
  // Like Pebble: a word starts after whitespace; the rest of the word is left as it is.
  return s.replace(/(^|\s)(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function parseNumber(input: unknown, type: unknown): number {
  if (typeof input === 'number') return input;
  const t = typeof type === 'string' ? type.toUpperCase() : undefined;
  const s = typeof input === 'string' ? input.trim() : undefined;
  if (s === undefined || !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    fail('type', `${quote(input)} is not a number; 'number' converts text such as "42" or "3.14"`);
  }
  const n = Number(s);
  if ((t === 'INT' || t === 'INTEGER' || t === 'LONG') && !Number.isInteger(n)) fail('type', `${quote(input)} is not a whole number`);
  return n;
}

function round(value: number, precision: number, method: string): number {
  const f = 10 ** precision;
  const scaled = value * f;
  // Nudge by a tiny epsilon so 1.005 rounds to 1.01 as people expect, not to 1.00.
  const r = method === 'ceil' ? Math.ceil(scaled - 1e-9) : method === 'floor' ? Math.floor(scaled + 1e-9) : Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-9);
  return r / f;
}

function sortValues(items: unknown[], filter: string): unknown[] {
  if (items.every((v) => typeof v === 'number')) return [...(items as number[])].sort((a, b) => a - b);
  if (items.every((v) => typeof v === 'string')) return [...(items as string[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  fail('type', `filter '${filter}' sorts lists of numbers or of text; for lists of maps use jq, e.g. jq('sort_by(.name)')`);
}

function unique(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  for (const v of items) {
    if (v === null || typeof v !== 'object') {
      if (seen.has(v)) continue;
      seen.add(v);
    } else if (out.some((o) => deepEqual(o, v))) continue;
    out.push(v);
  }
  return out;
}

/** Kestra's indent/nindent: every line break gets the padding, empty lines included. */
function indent(s: string, amount: unknown, prefix: unknown, filter: 'indent' | 'nindent'): string {
  if (s === '') return s;
  if (amount === undefined || amount === null) fail('type', `The '${filter}' filter expects an integer as argument 'amount'.`);
  const n = int(amount, `filter '${filter}'`);
  if (n < 0) fail('type', `The '${filter}' filter expects a positive integer >=0 as argument 'amount'.`);
  const pad = (prefix === undefined || prefix === null ? ' ' : text(prefix, filter)).repeat(Math.min(n, 1000));
  // The line separator is the one the text uses (CRLF, LFCR, LF or CR), as in Kestra.
  const newline = s.includes('\r\n') ? '\r\n' : s.includes('\n\r') ? '\n\r' : s.includes('\n') ? '\n' : s.includes('\r') ? '\r' : '\n';
  const source = filter === 'nindent' ? newline + s : s;
  const lines = source.split(newline);
  checkStringLength(source.length + (lines.length - 1) * pad.length, 'the indented text');
  return lines.join(newline + pad);
}

/** Applies a text transformation to text, or to every value inside a list or map (Kestra's replace and escapeChar). */
function deepText(input: unknown, fn: (s: string) => string, depth = 0): unknown {
  if (depth > MAX_DATA_DEPTH) fail('limit', `the value is nested more than ${MAX_DATA_DEPTH} levels deep`);
  if (Array.isArray(input)) return list(input, 'replace').map((v) => deepText(v, fn, depth + 1));
  if (isPlainObject(input)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      const r = readOwn(input, key);
      setOwn(out, key, deepText(r.found ? r.value : null, fn, depth + 1));
    }
    return out;
  }
  return fn(toText(input));
}

function hashFilter(name: string, fn: (bytes: Uint8Array) => Uint8Array): [string, FilterDef] {
  return [name, { params: [], apply: (input) => (input === null || input === undefined ? null : toHex(fn(utf8Encode(toText(input))))) }];
}

function dateArgs(args: unknown[], filter: string): { timeZone?: string; existingFormat?: string } {
  const [timeZone, existingFormat] = args;
  return {
    timeZone: timeZone === undefined || timeZone === null ? undefined : text(timeZone, filter),
    existingFormat: existingFormat === undefined || existingFormat === null ? undefined : text(existingFormat, filter),
  };
}

function timestampFilter(name: string, scale: (ms: number) => number): [string, FilterDef] {
  return [
    name,
    {
      params: ['timeZone', 'existingFormat'],
      apply: (input, args) => {
        if (input === null || input === undefined) return null;
        const { timeZone, existingFormat } = dateArgs(args, name);
        return scale(toEpochMillis(input, timeZone, existingFormat));
      },
    },
  ];
}

function slice(input: unknown, start: unknown, end: unknown): unknown {
  if (input === null || input === undefined) return null;
  if (typeof input !== 'string' && !Array.isArray(input)) fail('type', `filter 'slice' needs a list or text but got ${describeType(input)}`);
  const s = start === undefined || start === null ? 0 : int(start, "slice's start");
  const e = end === undefined || end === null ? input.length : int(end, "slice's end");
  return typeof input === 'string' ? input.slice(s, e) : list(input, 'slice').slice(s, e);
}

function firstOrLast(input: unknown, filter: string, last: boolean): unknown {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string') return input === '' ? null : last ? input[input.length - 1] : input[0];
  const items = list(input, filter);
  return items.length === 0 ? null : items[last ? items.length - 1 : 0];
}

function substring(input: string, sep: string, after: boolean, lastOccurrence: boolean): string {
  const at = lastOccurrence ? input.lastIndexOf(sep) : input.indexOf(sep);
  if (at < 0) return after ? '' : input;
  return after ? input.slice(at + sep.length) : input.slice(0, at);
}

const entries: [string, FilterDef][] = [
  ['default', { params: ['default'], required: 1, apply: (input, [fallback]) => (isEmpty(input) ? fallback : input) }],
  textFilter('upper', (s) => s.toUpperCase()),
  textFilter('lower', (s) => s.toLowerCase()),
  // Like Pebble: the first character that is not whitespace.
  textFilter('capitalize', (s) => s.replace(/^(\s*)(\S)/u, (_, space: string, c: string) => space + c.toUpperCase())),
  textFilter('title', titleCase),
  textFilter('trim', (s) => s.trim()),
  [
    'replace',
    {
      // Kestra's replace: a map of replacements (regexp=true: Java regexes with $1 groups), or
      // Pebble's two-text form; lists and maps have every value replaced.
      params: ['replace_pairs', 'replacement', 'regexp'],
      required: 1,
      apply: (input, [search, replacement, regexp]) => {
        if (input === null || input === undefined) return null;
        if (regexp !== undefined && regexp !== null && typeof regexp !== 'boolean') fail('type', "replace's regexp must be true or false");
        let pairs: [string, string][];
        if (isPlainObject(search)) {
          pairs = Object.keys(search).map((key) => {
            const r = readOwn(search, key);
            return [key, toText(r.found ? r.value : null)];
          });
        } else {
          if (replacement === undefined) fail('type', "'replace' takes a map ({'old': 'new'}) or two texts: replace('old', 'new')");
          pairs = [[text(search, 'replace'), toText(replacement)]];
        }
        return deepText(input, (s) => pairs.reduce((acc, [from, to]) => (regexp ? regexReplaceAll(acc, from, to) : replaceAll(acc, from, to)), s));
      },
    },
  ],
  textFilter(
    'split',
    (s, [delimiter, limit]) => {
      const d = text(delimiter, 'split');
      const parts = d === '' ? Array.from(s) : s.split(d);
      if (limit === undefined || limit === null) return parts;
      const n = int(limit, "split's limit");
      // Java's split limit: at most n items, the last one holding the rest.
      return n > 0 && parts.length > n ? [...parts.slice(0, n - 1), parts.slice(n - 1).join(d)] : parts;
    },
    ['delimiter', 'limit'],
    1,
  ),
  [
    'join',
    {
      params: ['separator'],
      apply: (input, [separator]) => {
        if (input === null || input === undefined) return null;
        const items = list(input, 'join').map(toText);
        const sep = separator === undefined || separator === null ? '' : toText(separator);
        checkStringLength(items.reduce((n, s) => n + s.length, 0) + sep.length * Math.max(0, items.length - 1), 'the joined text');
        return items.join(sep);
      },
    },
  ],
  [
    'length',
    {
      params: [],
      clean: true,
      apply: (input) => {
        if (input === null || input === undefined) return 0;
        if (typeof input === 'string' || Array.isArray(input)) return input.length;
        if (isPlainObject(input)) return Object.keys(input).length;
        fail('type', `filter 'length' needs text, a list or a map but got ${describeType(input)}`);
      },
    },
  ],
  ['first', { params: [], apply: (input) => firstOrLast(input, 'first', false) }],
  ['last', { params: [], apply: (input) => firstOrLast(input, 'last', true) }],
  // Kestra: the keys of a map, the indexes of a list.
  ['keys', { params: [], apply: (input) => (input === null ? [] : Array.isArray(input) ? input.map((_, i) => i) : Object.keys(map(input, 'keys'))) }],
  [
    'values',
    {
      params: [],
      apply: (input) => {
        if (input === null) return [];
        const m = map(input, 'values');
        return Object.keys(m).map((k) => {
          const r = readOwn(m, k);
          return r.found ? r.value : null;
        });
      },
    },
  ],
  ['toJson', { params: [], apply: (input) => toJson(input) }],
  ['json', { params: [], apply: (input) => toJson(input) }],
  ['fromJson', { params: [], apply: (input) => parseJson(input) }],
  ['number', { params: ['type'], apply: (input, [type]) => (input === null ? null : parseNumber(input, type)) }],
  ['abs', { params: [], apply: (input) => Math.abs(num(input, "filter 'abs'")) }],
  [
    'round',
    {
      params: ['precision', 'method'],
      apply: (input, [precision, method]) => {
        const m = method === undefined ? 'common' : text(method, 'round');
        if (!['common', 'ceil', 'floor'].includes(m)) fail('type', `round's method must be 'common', 'ceil' or 'floor', not ${quote(m)}`);
        return round(num(input, "filter 'round'"), precision === undefined ? 0 : int(precision, "round's precision"), m);
      },
    },
  ],
  [
    'date',
    {
      params: ['format', 'timeZone', 'existingFormat', 'locale'],
      apply: (input, [format, timeZone, existingFormat]) => {
        if (input === null || input === undefined) return null;
        const zone = dateArgs([timeZone, existingFormat], 'date');
        return formatDate(toEpochMillis(input, zone.timeZone, zone.existingFormat), format === undefined || format === null ? undefined : text(format, 'date'), zone.timeZone);
      },
    },
  ],
  [
    'dateAdd',
    {
      params: ['amount', 'unit', 'format', 'timeZone', 'existingFormat', 'locale'],
      required: 2,
      apply: (input, [amount, unit, format, timeZone, existingFormat]) => {
        if (input === null || input === undefined) return null;
        const zone = dateArgs([timeZone, existingFormat], 'dateAdd');
        const n = typeof amount === 'string' ? parseNumber(amount, 'INT') : int(amount, "dateAdd's amount");
        const ms = addToDate(toEpochMillis(input, zone.timeZone, zone.existingFormat), n, text(unit, 'dateAdd'), zone.timeZone);
        return format === undefined || format === null ? isoString(ms, zone.timeZone) : formatDate(ms, text(format, 'dateAdd'), zone.timeZone);
      },
    },
  ],
  textFilter('slugify', (s) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, ''),
  ),
  textFilter('base64encode', (s) => base64Encode(utf8Encode(s))),
  textFilter('base64decode', (s) => {
    const bytes = base64Decode(s);
    if (!bytes) fail('type', `${quote(s)} is not valid base64`);
    const decoded = utf8Decode(bytes);
    if (decoded === undefined) fail('type', 'the base64 value does not decode to UTF-8 text');
    return decoded;
  }),
  textFilter('urlencode', urlEncode),
  textFilter('urldecode', (s) => {
    const decoded = urlDecode(s);
    if (decoded === undefined) fail('type', `${quote(s)} is not valid URL-encoded text (a '%' must be followed by two hex digits)`);
    return decoded;
  }),
  hashFilter('sha256', sha256),
  hashFilter('sha1', sha1),
  hashFilter('sha512', sha512),
  hashFilter('md5', md5),
  [
    'jq',
    {
      params: ['expression'],
      required: 1,
      apply: (input, [expression], meter) => {
        const program = text(expression, 'jq');
        const real = (meter as { options?: RenderOptions } | undefined)?.options?.jq;
        if (input === null || input === undefined) return null;
        return real ? real(input, program) : jq(input, program, meter);
      },
    },
  ],
  ['slice', { params: ['start', 'end'], apply: (input, [start, end]) => slice(input, start, end) }],
  ['sort', { params: [], apply: (input) => (input === null ? null : sortValues(list(input, 'sort'), 'sort')) }],
  [
    'reverse',
    {
      params: [],
      apply: (input) => (input === null ? null : typeof input === 'string' ? Array.from(input).reverse().join('') : list(input, 'reverse').reverse()),
    },
  ],
  ['unique', { params: [], apply: (input) => (input === null ? null : unique(list(input, 'unique'))) }],
  ['distinct', { params: [], apply: (input) => (input === null ? null : unique(list(input, 'distinct'))) }],
  ['uniq', { params: [], apply: (input) => (input === null ? null : unique(list(input, 'uniq'))) }],
  ['rsort', { params: [], apply: (input) => (input === null ? null : sortValues(list(input, 'rsort'), 'rsort').reverse()) }],
  ['flatten', { params: [], apply: (input) => (input === null ? null : list(input, 'flatten').flatMap((v) => (Array.isArray(v) ? list(v, 'flatten') : [v]))) }],
  [
    'chunk',
    {
      params: ['size'],
      required: 1,
      apply: (input, [size]) => {
        if (input === null) return null;
        const items = list(input, 'chunk');
        const n = int(size, "chunk's size");
        if (n < 1) fail('type', "chunk's size must be at least 1");
        const out: unknown[][] = [];
        for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
        return out;
      },
    },
  ],
  timestampFilter('timestamp', (ms) => Math.floor(ms / 1000)),
  timestampFilter('timestampMilli', (ms) => Math.floor(ms)),
  timestampFilter('timestampMicro', (ms) => Math.round(ms * 1000)),
  // Beyond 2^53 nanoseconds a number loses digits: nanoseconds are given as text of the exact value.
  timestampFilter('timestampNano', (ms) => {
    const micros = Math.round(ms * 1000);
    return Number(`${micros}000`);
  }),
  ['startsWith', { params: ['prefix'], required: 1, clean: true, apply: (input, [p]) => input !== null && text(input, 'startsWith').startsWith(text(p, 'startsWith')) }],
  ['endsWith', { params: ['suffix'], required: 1, clean: true, apply: (input, [p]) => input !== null && text(input, 'endsWith').endsWith(text(p, 'endsWith')) }],
  ['toString', { params: [], apply: (input) => toText(input) }],
  ['string', { params: [], apply: (input) => toText(input) }],
  // Pebble escapes nothing by default here (no HTML autoescaping), so raw is the identity.
  ['raw', { params: [], apply: (input) => input }],
  [
    'indent',
    { params: ['amount', 'prefix'], apply: (input, [amount, prefix]) => (input === null || input === undefined ? null : indent(toText(input), amount, prefix, 'indent')) },
  ],
  [
    'nindent',
    { params: ['amount', 'prefix'], apply: (input, [amount, prefix]) => (input === null || input === undefined ? null : indent(toText(input), amount, prefix, 'nindent')) },
  ],
  textFilter(
    'abbreviate',
    (s, [length]) => {
      const max = int(length, "abbreviate's length");
      if (s.length <= max) return s;
      return max <= 3 ? s.slice(0, max) : s.slice(0, max - 3) + '...';
    },
    ['length'],
    1,
  ),
  textFilter('substringBefore', (s, [sep]) => substring(s, text(sep, 'substringBefore'), false, false), ['separator'], 1),
  textFilter('substringAfter', (s, [sep]) => substring(s, text(sep, 'substringAfter'), true, false), ['separator'], 1),
  textFilter('substringBeforeLast', (s, [sep]) => substring(s, text(sep, 'substringBeforeLast'), false, true), ['separator'], 1),
  textFilter('substringAfterLast', (s, [sep]) => substring(s, text(sep, 'substringAfterLast'), true, true), ['separator'], 1),
  [
    'merge',
    {
      params: ['other'],
      required: 1,
      apply: (input, [other]) => {
        if (Array.isArray(input)) return [...list(input, 'merge'), ...list(other, 'merge')];
        const out: Record<string, unknown> = {};
        for (const source of [map(input, 'merge'), map(other, 'merge')]) {
          for (const k of Object.keys(source)) {
            const r = readOwn(source, k);
            if (r.found) setOwn(out, k, r.value);
          }
        }
        return out;
      },
    },
  ],
  // Kestra's regex filters (Java syntax, see regex.ts).
  [
    'regexMatch',
    {
      params: ['regex'],
      required: 1,
      clean: true,
      apply: (input, [regex]) => (input === null || input === undefined ? false : regexFind(toText(input), text(regex, 'regexMatch'))),
    },
  ],
  [
    'regexReplace',
    {
      params: ['regex', 'replacement'],
      required: 2,
      apply: (input, [regex, replacement]) => (input === null || input === undefined ? null : regexReplaceAll(toText(input), text(regex, 'regexReplace'), toText(replacement))),
    },
  ],
  [
    'regexExtract',
    {
      params: ['regex', 'group'],
      required: 1,
      apply: (input, [regex, group]) =>
        input === null || input === undefined
          ? null
          : regexExtract(toText(input), text(regex, 'regexExtract'), group === undefined || group === null ? 0 : int(group, "regexExtract's group")),
    },
  ],
  [
    'escapeChar',
    {
      params: ['type'],
      required: 1,
      apply: (input, [type]) => {
        if (input === null || input === undefined) return null;
        const kind = typeof type === 'string' ? type.toLowerCase() : '';
        const [from, to] = kind === 'single' ? ["'", "\\'"] : kind === 'double' ? ['"', '\\"'] : kind === 'shell' ? ["'", "'\\''"] : [];
        if (from === undefined) fail('type', "The 'escapeChar' filter expects the value of 'type' to be either 'single', 'double', or 'shell'.");
        return deepText(input, (s) => replaceAll(s, from, to!));
      },
    },
  ],
  // Kestra's sh: quotes text for use inside single quotes in a shell script.
  textFilter('sh', (s) => replaceAll(s, "'", "'\\''")),
  // Kestra's condense: removes line breaks.
  textFilter('condense', (s) => s.replace(/\n/g, '')),
  ['yaml', { params: [], apply: (input) => (input === null || input === undefined ? 'null' : toYaml(input)) }],
  ['toYaml', { params: [], apply: (input) => (input === null || input === undefined ? 'null' : toYaml(input)) }],
  // Pebble's numberformat (Java DecimalFormat patterns); numberFormat is accepted too.
  [
    'numberformat',
    {
      params: ['format'],
      apply: (input, [format]) =>
        input === null || input === undefined
          ? null
          : formatNumber(num(input, "filter 'numberformat'"), format === undefined || format === null ? undefined : text(format, 'numberformat')),
    },
  ],
  [
    'numberFormat',
    {
      params: ['format'],
      apply: (input, [format]) =>
        input === null || input === undefined
          ? null
          : formatNumber(num(input, "filter 'numberFormat'"), format === undefined || format === null ? undefined : text(format, 'numberFormat')),
    },
  ],
  // Pebble's escape (HTML strategy); Kestra turns autoescaping off but keeps the filter.
  textFilter('escape', (s, [strategy]) => escapeHtml(s, strategy), ['strategy']),
  textFilter('e', (s, [strategy]) => escapeHtml(s, strategy), ['strategy']),
  ['jsonEncode', { params: [], apply: (input) => toJson(input) }],
];

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s: string, strategy: unknown): string {
  if (strategy !== undefined && strategy !== null && strategy !== 'html') {
    fail('type', `escape supports the 'html' strategy only, not ${quote(strategy)}; for JSON use toJson, for URLs urlencode`);
  }
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export const FILTERS: ReadonlyMap<string, FilterDef> = new Map(entries);

export function parseJson(input: unknown): unknown {
  if (input === null || input === undefined) return null;
  if (typeof input !== 'string') fail('type', `fromJson needs JSON text but got ${describeType(input)}`);
  try {
    return JSON.parse(input);
  } catch (e) {
    fail('type', `the text is not valid JSON (${(e as Error).message})`);
  }
}

/** Tests after `is` / `is not`. */
export const TESTS: ReadonlyMap<string, (value: unknown) => boolean> = new Map<string, (value: unknown) => boolean>([
  ['defined', (v) => v !== null && v !== undefined],
  ['null', (v) => v === null || v === undefined],
  ['none', (v) => v === null || v === undefined],
  ['empty', isEmpty],
  ['even', (v) => int(v, "the test 'even'") % 2 === 0],
  ['odd', (v) => Math.abs(int(v, "the test 'odd'") % 2) === 1],
  ['iterable', (v) => Array.isArray(v)],
  ['map', (v) => isPlainObject(v)],
  ['number', (v) => typeof v === 'number'],
  ['string', (v) => typeof v === 'string'],
  ['boolean', (v) => typeof v === 'boolean'],
  // Kestra's json test: text holding a JSON object or list.
  [
    'json',
    (v) => {
      if (typeof v !== 'string') return false;
      try {
        const parsed: unknown = JSON.parse(v);
        return parsed !== null && typeof parsed === 'object';
      } catch {
        return false;
      }
    },
  ],
]);
