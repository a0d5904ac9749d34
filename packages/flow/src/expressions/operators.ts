import { fail } from './errors';
import { deepEqual, describeType, isPlainObject, itemAt, readOwn, toText } from './values';

// Comparison, membership and arithmetic: strict about types, with hints on how to convert.

export function compare(a: unknown, b: unknown, op: '<' | '>' | '<=' | '>='): boolean {
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) {
    const hint = typeof a === 'string' || typeof b === 'string' ? "; convert text to a number with '| number'" : '';
    fail('type', `'${op}' compares two numbers or two texts, not ${describeType(a)} and ${describeType(b)}${hint}`);
  }
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
}

/** `needle in haystack`: an item of a list, a substring of text, or a key of a map. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.some((item) => deepEqual(item, needle));
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string' && typeof needle !== 'number') fail('type', `only text can be searched for in text, not ${describeType(needle)}`);
    return haystack.includes(String(needle));
  }
  if (isPlainObject(haystack)) return typeof needle === 'string' && readOwn(haystack, needle).found;
  fail('type', `'in' looks into a list, text or map, not ${describeType(haystack)}; use '?? []' if it may be null`);
}

export function arithmetic(op: string, a: unknown, b: unknown): number {
  if (typeof a !== 'number' || typeof b !== 'number') {
    const hint =
      op === '+' && (typeof a === 'string' || typeof b === 'string')
        ? "; join text with '~' (e.g. 'web-' ~ inputs.n), or convert text to a number with '| number'"
        : typeof a === 'string' || typeof b === 'string'
          ? "; convert text to a number with '| number'"
          : '';
    fail('type', `'${op}' needs two numbers, not ${describeType(a)} and ${describeType(b)}${hint}`);
  }
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
  }
  if (b === 0) fail('type', `division by zero in '${op}'`);
  if (op === '/') return a / b;
  if (op === '//') return Math.floor(a / b);
  return a % b;
}

/**
 * Kestra's `isIn`: compares as text, so a state such as SUCCESS matches 'SUCCESS'; in a map it
 * matches a key or a value. Null on either side is false.
 */
export function isIn(needle: unknown, haystack: unknown): boolean {
  if (needle === null || needle === undefined || haystack === null || haystack === undefined) return false;
  const text = (v: unknown) => (typeof v === 'string' ? v : toText(v));
  const wanted = text(needle);
  if (Array.isArray(haystack)) return haystack.some((_, i) => text(itemAt(haystack, i)) === wanted);
  if (isPlainObject(haystack)) {
    return Object.keys(haystack).some((k) => {
      if (k === wanted) return true;
      const r = readOwn(haystack, k);
      return r.found && text(r.value) === wanted;
    });
  }
  return false;
}
