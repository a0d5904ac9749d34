import { fail } from './errors';
import type { WorkMeter } from './evaluator';
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
  'secret', 'credential', 'kv', 'read', 'fileURI', 'fileExists', 'fileSize', 'isFileEmpty', 'http',
  'printContext', 'errorLogs', 'currentEachOutput', 'tasksWithState', 'appLink', 'yaml', 'renderOnce',
  'encrypt', 'decrypt', 'randomInt', 'randomPort', 'nanoId',
]);

/** range(start, end, step): inclusive of end, as in Pebble. */
export function range(start: unknown, end: unknown, step: unknown = 1, meter?: WorkMeter): number[] {
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
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
  return values.reduce((acc: number, v) => {
    if (typeof v !== 'number') fail('type', `${name}() compares numbers, but got ${describeType(v)}`);
    return pick(acc, v);
  }, name === 'max' ? -Infinity : Infinity);
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
  // new Date() is deterministic inside Temporal workflows (it returns the workflow task time).
  ['now', { params: [], call: () => new Date().toISOString() }],
  ['uuid', { params: [], call: uuid }],
  ['range', { params: ['start', 'end', 'step'], required: 2, call: ([start, end, step], meter) => range(start, end, step ?? 1, meter) }],
  ['max', { params: [], variadic: true, call: (args) => extreme(args, Math.max, 'max') }],
  ['min', { params: [], variadic: true, call: (args) => extreme(args, Math.min, 'min') }],
]);
