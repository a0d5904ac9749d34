import { fail } from './errors';
import { formatDate, toEpochMillis, WEEKDAYS, writtenFields } from './dates';
import type { WorkMeter } from './evaluator';
import { parseYaml } from './yaml';
import { parseJson } from './filters';
import { MAX_RANGE_ITEMS } from './limits';
import { describeType, formatCount } from './values';

export interface BuiltinFunction {
  params: string[];
  required?: number;
  /** Accepts any number of positional arguments (max, min). */
  variadic?: boolean;
  call(args: unknown[], meter: WorkMeter): unknown;
}

/**
 * Kestra functions that Baton provides only where they can work (the worker passes them in
 * `options.functions`); elsewhere calling them says so instead of "unknown function".
 */
export const CONTEXT_FUNCTIONS = new Set([
  'secret',
  'credential',
  'kv',
  'read',
  'fileURI',
  'fileExists',
  'fileSize',
  'isFileEmpty',
  'http',
  'printContext',
  'fetchContext',
  'errorLogs',
  'currentEachOutput',
  'tasksWithState',
  'appLink',
  'encrypt',
  'decrypt',
  'randomPort',
  'id',
  'ksuid',
  'fromIon',
  'ionDecode',
  'subflow',
  'isPublicHoliday',
  'isLastWorkingDay',
  'isDayWeekInMonth',
  'dataFaker',
  'env',
]);

/** range(start, end, step): inclusive of end, as in Pebble. */
export function range(start: unknown, end: unknown, step: unknown = 1, meter?: WorkMeter): number[] {
  for (const [name, v] of [
    ['start', start],
    ['end', end],
    ['step', step],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail('type', `range's ${name} must be a number, not ${describeType(v)}`);
  }
  const [a, b, s] = [start as number, end as number, step as number];
  if (s === 0) fail('type', "range's step cannot be 0");
  const count = (b - a) / s < 0 ? 0 : Math.floor((b - a) / s + 1e-9) + 1;
  if (count > MAX_RANGE_ITEMS) {
    fail('limit', `range(${a}, ${b}) would produce ${formatCount(count)} items; the limit is ${formatCount(MAX_RANGE_ITEMS)}`);
  }
  meter?.spend(count);
  return Array.from({ length: count }, (_, i) => a + i * s);
}

function extreme(args: unknown[], pick: (a: number, b: number) => number, name: string): unknown {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (values.length === 0) fail('type', `${name}() needs at least one number`);
  return values.reduce(
    (acc: number, v) => {
      if (typeof v !== 'number') fail('type', `${name}() compares numbers, but got ${describeType(v)}`);
      return pick(acc, v);
    },
    name === 'max' ? -Infinity : Infinity,
  );
}

function uuid(): string {
  // v4 from Math.random: deterministic inside workflows (Temporal seeds it), unique enough for ids.
  const hex = '0123456789abcdef';
  let out = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += hex[8 + Math.floor(Math.random() * 4)];
    else out += hex[Math.floor(Math.random() * 16)];
  }
  return out;
}

/** Always available. `render` is implemented by the evaluator, which owns the context. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  ['fromJson', { params: ['json'], required: 1, call: ([json]) => parseJson(json) }],
  // Kestra's older name for fromJson.
  ['json', { params: ['json'], required: 1, call: ([json]) => parseJson(json) }],
  // Date.now() is deterministic inside Temporal workflows (it returns the workflow task time).
  // Kestra's now(): the current time formatted like the date filter ('iso' with microseconds).
  [
    'now',
    {
      params: ['format', 'timeZone', 'existingFormat', 'locale'],
      call: ([format, timeZone]) => formatDate(Date.now(), optionalText(format, 'now'), optionalText(timeZone, 'now')),
    },
  ],
  ['isDateBefore', { params: ['date', 'reference'], required: 2, call: ([date, reference]) => instant(date, 'isDateBefore') < instant(reference, 'isDateBefore') }],
  ['isDateAfter', { params: ['date', 'reference'], required: 2, call: ([date, reference]) => instant(date, 'isDateAfter') > instant(reference, 'isDateAfter') }],
  [
    'isDateBetween',
    {
      params: ['date', 'after', 'before'],
      required: 3,
      call: ([date, after, before]) => {
        const d = instant(date, 'isDateBetween');
        return d > instant(after, 'isDateBetween') && d < instant(before, 'isDateBetween');
      },
    },
  ],
  ['dayOfWeek', { params: ['date'], required: 1, call: ([date]) => WEEKDAYS[writtenFields(date, 'dayOfWeek').weekday] }],
  ['dayOfMonth', { params: ['date'], required: 1, call: ([date]) => writtenFields(date, 'dayOfMonth').day }],
  ['monthOfYear', { params: ['date'], required: 1, call: ([date]) => writtenFields(date, 'monthOfYear').month }],
  [
    'hourOfDay',
    {
      params: ['date'],
      required: 1,
      call: ([date]) => {
        const { hour } = writtenFields(date, 'hourOfDay');
        if (hour === undefined) fail('type', 'hourOfDay() needs a date with a time, e.g. 2025-01-06T14:30:00Z');
        return hour;
      },
    },
  ],
  ['isWeekend', { params: ['date'], required: 1, call: ([date]) => [0, 6].includes(writtenFields(date, 'isWeekend').weekday) }],
  [
    'yaml',
    {
      params: ['yaml'],
      required: 1,
      call: ([text]) =>
        text === null || text === undefined ? null : parseYaml(typeof text === 'string' ? text : fail('type', `yaml() needs YAML text but got ${describeType(text)}`)),
    },
  ],
  ['uuid', { params: [], call: uuid }],
  // Math.random is seeded by Temporal inside workflows, so these stay deterministic on replay.
  [
    'randomInt',
    {
      params: ['lower', 'upper'],
      required: 2,
      call: ([lower, upper]) => {
        if (!Number.isInteger(lower) || !Number.isInteger(upper)) fail('type', 'randomInt() takes two whole numbers: randomInt(lower, upper)');
        const [a, b] = [lower as number, upper as number];
        if (b <= a) fail('type', `randomInt()'s upper bound (${b}) must be greater than its lower bound (${a})`);
        return a + Math.floor(Math.random() * (b - a));
      },
    },
  ],
  [
    'nanoId',
    {
      params: ['length', 'alphabet'],
      call: ([length, alphabet]) => {
        const n = length === undefined || length === null ? 21 : length;
        const chars = alphabet === undefined || alphabet === null ? '_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' : alphabet;
        if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 1000) fail('type', "nanoId()'s length must be a whole number from 1 to 1000");
        if (typeof chars !== 'string' || chars.length === 0) fail('type', "nanoId()'s alphabet must be non-empty text");
        let out = '';
        for (let i = 0; i < (n as number); i++) out += chars[Math.floor(Math.random() * chars.length)];
        return out;
      },
    },
  ],
  ['range', { params: ['start', 'end', 'step'], required: 2, call: ([start, end, step], meter) => range(start, end, step ?? 1, meter) }],
  ['max', { params: [], variadic: true, call: (args) => extreme(args, Math.max, 'max') }],
  ['min', { params: [], variadic: true, call: (args) => extreme(args, Math.min, 'min') }],
]);

function optionalText(value: unknown, fn: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail('type', `${fn}() takes text arguments, not ${describeType(value)}`);
  return value;
}

/** An instant for the isDate…() functions: ISO text (no offset means UTC), a Date, or epoch seconds. */
function instant(value: unknown, fn: string): number {
  if (value === null || value === undefined) fail('type', `The '${fn}()' function expects a date argument.`);
  return toEpochMillis(value);
}

/**
 * Kestra's fileURI(path): the kestra:// URI of a namespace file of the flow's namespace
 * (StorageContext.namespaceFilePrefix: the namespace's dots as slashes, then `_files`).
 */
export function namespaceFileUri(namespace: string, path: unknown): string {
  if (path === undefined || path === null || (typeof path === 'object' && !Array.isArray(path) && !('path' in path)))
    throw new Error("The 'fileURI' function expects an argument 'path' that is a path to a namespace file.");
  const p = typeof path === 'object' ? (path as { path: unknown }).path : path;
  return `kestra:///${namespace.split('.').join('/')}/_files/${String(p).replace(/^\/+/, '')}`;
}
