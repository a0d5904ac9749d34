import { fail } from './errors';
import { MAX_DATA_DEPTH, MAX_STRING_LENGTH } from './limits';

/**
 * Keys that lead from data to the prototype chain or to code. Refused outright, even when a
 * JSON document happens to carry one as an own key, so that no expression can reach a
 * constructor or pollute a prototype.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Objects created by object literals, JSON.parse or Object.create(null) — data, not behaviour. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return true;
  // An Object.prototype from another realm (e.g. the Temporal workflow sandbox's vm context).
  return Object.getPrototypeOf(proto) === null && hasOwn(proto, 'hasOwnProperty') && hasOwn(proto, 'isPrototypeOf');
}

export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

export type ReadResult = { found: true; value: unknown } | { found: false };
const NOT_FOUND: ReadResult = { found: false };

/**
 * Reads an own, enumerable data property. Accessors are refused rather than invoked: a getter
 * is code, and expressions only read data.
 */
export function readOwn(object: object, key: string): ReadResult {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (!descriptor || !descriptor.enumerable) return NOT_FOUND;
  if (descriptor.get || descriptor.set) {
    fail('sandbox', `'${key}' is a computed property (a getter); expressions can only read plain data`);
  }
  return { found: true, value: descriptor.value === undefined ? null : descriptor.value };
}

/** Defines an own property, so a key such as "__proto__" stays data instead of changing the prototype. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return 'map';
  if (isDate(value)) return 'date';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** "a string", "a list", "null" … for messages. */
export function describeType(value: unknown): string {
  const name = typeName(value);
  if (name === 'null') return 'null';
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** A short quoted form of a value for error messages. */
export function quote(value: unknown, max = 40): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : toJson(value);
  } catch {
    text = `<${typeName(value)}>`;
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function checkStringLength(length: number, what: string): void {
  if (length > MAX_STRING_LENGTH) {
    fail('limit', `${what} would be ${formatCount(length)} characters long; the limit is ${formatCount(MAX_STRING_LENGTH)}`);
  }
}

/** How a value appears inside text: null as '', lists and maps as JSON, dates as ISO 8601. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isDate(value)) return dateToIso(value);
  return toJson(value);
}

function dateToIso(date: Date): string {
  const ms = Date.prototype.getTime.call(date);
  if (Number.isNaN(ms)) fail('type', 'invalid date');
  return Date.prototype.toISOString.call(date);
}

/** JSON text of plain data, bounded in depth and size; refuses functions and class instances. */
export function toJson(value: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const push = (text: string) => {
    size += text.length;
    checkStringLength(size, 'the JSON text');
    parts.push(text);
  };
  const walk = (v: unknown, depth: number): void => {
    if (depth > MAX_DATA_DEPTH) fail('limit', `the value is nested more than ${MAX_DATA_DEPTH} levels deep (or contains a cycle)`);
    if (v === null || v === undefined) return push('null');
    switch (typeof v) {
      case 'string':
        return push(JSON.stringify(v));
      case 'number':
        return push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
      case 'boolean':
        return push(v ? 'true' : 'false');
    }
    if (isDate(v)) return push(JSON.stringify(dateToIso(v)));
    if (Array.isArray(v)) {
      push('[');
      for (let i = 0; i < v.length; i++) {
        if (i) push(',');
        walk(itemAt(v, i), depth + 1);
      }
      return push(']');
    }
    if (isPlainObject(v)) {
      push('{');
      let first = true;
      for (const key of Object.keys(v)) {
        const read = readOwn(v, key);
        if (!read.found) continue;
        if (!first) push(',');
        first = false;
        push(JSON.stringify(key));
        push(':');
        walk(read.value, depth + 1);
      }
      return push('}');
    }
    fail('type', `${describeType(v)} cannot be converted to JSON; only text, numbers, booleans, null, lists and maps can`);
  };
  walk(value, 0);
  return parts.join('');
}

/** An array item without invoking accessors (holes and undefined read as null). */
export function itemAt(list: unknown[], index: number): unknown {
  const read = readOwn(list, String(index));
  return read.found ? read.value : null;
}

/** Plain-data equality: numbers by value, lists and maps element by element. */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_DATA_DEPTH) fail('limit', `values nested more than ${MAX_DATA_DEPTH} levels deep cannot be compared`);
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (isDate(a) && isDate(b)) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(itemAt(a, i), itemAt(b, i), depth + 1)) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      const rb = readOwn(b, key);
      if (!rb.found) return false;
      const ra = readOwn(a, key);
      if (!deepEqual(ra.found ? ra.value : null, rb.value, depth + 1)) return false;
    }
    return true;
  }
  return false;
}

/** Pebble's `empty`: null, blank text, an empty list or map. */
export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** Truthiness for `and`, `or`, `not` and `?:` (Jinja's rules). */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}
