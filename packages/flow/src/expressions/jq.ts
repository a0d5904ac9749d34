import { fail } from './errors';
import type { WorkMeter } from './evaluator';
import { compileJq, shortProgram, type J } from './jq-parse';
import { MAX_JQ_STEPS } from './limits';
import { deepEqual, isPlainObject, itemAt, readOwn, setOwn, toJson, typeName } from './values';

/**
 * Runs Kestra's `jq` filter on a subset of jq (see jq-parse.ts). No variables, `def`, `reduce`,
 * regular expressions or recursion (`..`): they are where jq programs get expensive. Work is
 * bounded by MAX_JQ_STEPS. Results are a list of every output, like Kestra's filter.
 */

/** Runs a jq program and returns all its outputs. Text input is parsed as JSON first, as Kestra does. */
function runJq(input: unknown, expression: string, meter?: WorkMeter): unknown[] {
  const program = compileJq(expression);
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch {
      fail('type', `jq '${shortProgram(expression)}': the input text is not JSON; pass a map or list, or JSON text`);
    }
  }
  return new JqRun(meter).run(program, data);
}

class JqError extends Error {}

class JqRun {
  private steps = 0;

  constructor(private readonly meter?: WorkMeter) {}

  tick(n = 1): void {
    this.steps += n;
    // The render's budget pays for jq's work too, so that many cheap-looking jq calls add up.
    this.meter?.spend(n);
    if (this.steps > MAX_JQ_STEPS) fail('limit', `the jq expression does too much work (more than ${MAX_JQ_STEPS} steps)`);
  }

  run(node: J, input: unknown): unknown[] {
    this.tick();
    switch (node.k) {
      case 'identity':
        return [input];
      case 'literal':
        return [node.value];
      case 'field':
        return this.run(node.target, input).map((t) => index(t, node.name));
      case 'index': {
        const out: unknown[] = [];
        for (const t of this.run(node.target, input)) for (const i of this.run(node.index, input)) out.push(index(t, i));
        return out;
      }
      case 'slice': {
        const from = node.from ? this.run(node.from, input)[0] : undefined;
        const to = node.to ? this.run(node.to, input)[0] : undefined;
        return this.run(node.target, input).map((t) => slice(t, from, to));
      }
      case 'iterate':
        return this.run(node.target, input).flatMap((t) => this.iterate(t));
      case 'try':
        try {
          return this.run(node.body, input);
        } catch (e) {
          if (e instanceof JqError) return [];
          throw e;
        }
      case 'array':
        return [node.body ? this.run(node.body, input) : []];
      case 'object':
        return this.object(node.entries, input);
      case 'pipe':
        return this.run(node.left, input).flatMap((v) => this.run(node.right, v));
      case 'comma':
        return [...this.run(node.left, input), ...this.run(node.right, input)];
      case 'alt': {
        let left: unknown[] = [];
        try {
          left = this.run(node.left, input).filter(jqTruthy);
        } catch (e) {
          if (!(e instanceof JqError)) throw e;
        }
        return left.length ? left : this.run(node.right, input);
      }
      case 'and':
      case 'or': {
        const out: unknown[] = [];
        for (const l of this.run(node.left, input)) {
          if (node.k === 'and' ? !jqTruthy(l) : jqTruthy(l)) out.push(node.k === 'or');
          else for (const r of this.run(node.right, input)) out.push(jqTruthy(r));
        }
        return out;
      }
      case 'binop': {
        const out: unknown[] = [];
        const rights = this.run(node.right, input);
        for (const r of rights) for (const l of this.run(node.left, input)) out.push(binop(node.op, l, r));
        this.tick(out.length);
        return out;
      }
      case 'neg':
        return this.run(node.operand, input).map((v) => {
          if (typeof v !== 'number') throw new JqError(`${typeName(v)} cannot be negated`);
          return -v;
        });
      case 'if': {
        const out: unknown[] = [];
        for (const c of this.run(node.cond, input)) {
          if (jqTruthy(c)) out.push(...this.run(node.then, input));
          else out.push(...(node.otherwise ? this.run(node.otherwise, input) : [input]));
        }
        return out;
      }
      case 'call':
        return this.call(node.name, node.args, input);
    }
  }

  private iterate(value: unknown): unknown[] {
    if (Array.isArray(value)) {
      this.tick(value.length);
      return Array.from({ length: value.length }, (_, i) => itemAt(value, i));
    }
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      this.tick(keys.length);
      return keys.map((k) => index(value, k));
    }
    throw new JqError(`cannot iterate over ${typeName(value)}`);
  }

  private object(entries: { key: J; value: J }[], input: unknown): unknown[] {
    // jq builds one object per combination of the entries' outputs.
    let partials: Record<string, unknown>[] = [{}];
    for (const entry of entries) {
      const keys = this.run(entry.key, input);
      const values = this.run(entry.value, input);
      const next: Record<string, unknown>[] = [];
      for (const partial of partials) {
        for (const key of keys) {
          if (typeof key !== 'string') throw new JqError(`object keys must be strings, not ${typeName(key)}`);
          for (const value of values) {
            this.tick();
            const copy = { ...partial };
            setOwn(copy, key, value);
            next.push(copy);
          }
        }
      }
      partials = next;
    }
    return partials;
  }

  private each(f: J, value: unknown): unknown[] {
    return this.run(f, value);
  }

  private call(name: string, args: J[], input: unknown): unknown[] {
    const [f] = args;
    switch (name) {
      case 'empty':
        return [];
      case 'values':
        return input === null ? [] : [input];
      case 'error':
        throw new JqError(f ? String(this.run(f, input)[0]) : 'error');
      case 'select':
        return this.each(f, input).some(jqTruthy) ? [input] : [];
      case 'map':
        return [this.iterate(input).flatMap((v) => this.each(f, v))];
      case 'map_values': {
        if (Array.isArray(input)) return [this.iterate(input).map((v) => this.each(f, v)[0])];
        const out: Record<string, unknown> = {};
        for (const k of keysOf(input)) {
          const r = this.each(f, index(input, k));
          if (r.length) setOwn(out, k, r[0]);
        }
        return [out];
      }
      case 'with_entries': {
        const entries = toEntries(input).flatMap((e) => this.each(f, e));
        return [fromEntries(entries)];
      }
      case 'first':
        return f ? this.each(f, input).slice(0, 1) : [index(input, 0)];
      case 'last':
        return f ? this.each(f, input).slice(-1) : [index(input, -1)];
      case 'any':
        return [(f ? this.iterate(input).flatMap((v) => this.each(f, v)) : this.iterate(input)).some(jqTruthy)];
      case 'all':
        return [(f ? this.iterate(input).flatMap((v) => this.each(f, v)) : this.iterate(input)).every(jqTruthy)];
      case 'sort_by':
      case 'unique_by':
      case 'group_by':
      case 'min_by':
      case 'max_by': {
        const keyed = this.iterate(input).map((v) => ({ v, key: this.each(f, v) }));
        this.tick(keyed.length * 10);
        keyed.sort((a, b) => compare(a.key, b.key));
        if (name === 'sort_by') return [keyed.map((e) => e.v)];
        if (name === 'min_by') return [keyed.length ? keyed[0].v : null];
        if (name === 'max_by') return [keyed.length ? keyed[keyed.length - 1].v : null];
        const groups: { key: unknown; items: unknown[] }[] = [];
        for (const e of keyed) {
          const last = groups[groups.length - 1];
          if (last && compare(last.key, e.key) === 0) last.items.push(e.v);
          else groups.push({ key: e.key, items: [e.v] });
        }
        return [name === 'group_by' ? groups.map((g) => g.items) : groups.map((g) => g.items[0])];
      }
    }
    // The rest take plain values: one output per value of their argument.
    if (args.length === 0) return [builtin(name, input, [])];
    return this.run(args[0], input).map((a) => builtin(name, input, [a]));
  }
}

function builtin(name: string, input: unknown, args: unknown[]): unknown {
  const [a] = args;
  switch (name) {
    case 'length':
      if (input === null) return 0;
      if (typeof input === 'number') return Math.abs(input);
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isPlainObject(input)) return Object.keys(input).length;
      break;
    case 'keys':
      return keysOf(input).sort(compareStrings);
    case 'keys_unsorted':
      return keysOf(input);
    case 'not':
      return !jqTruthy(input);
    case 'add':
      return listOf(input).reduce((acc: unknown, v) => (acc === undefined ? v : binop('+', acc, v)), undefined) ?? null;
    case 'tostring':
      return typeof input === 'string' ? input : toJson(input);
    case 'tonumber':
      if (typeof input === 'number') return input;
      if (typeof input === 'string' && input.trim() !== '' && Number.isFinite(Number(input))) return Number(input);
      throw new JqError(`cannot parse ${JSON.stringify(input)} as a number`);
    case 'type':
      return input === null ? 'null' : Array.isArray(input) ? 'array' : isPlainObject(input) ? 'object' : typeof input;
    case 'sort':
      return [...listOf(input)].sort(compare);
    case 'unique': {
      const sorted = [...listOf(input)].sort(compare);
      return sorted.filter((v, i) => i === 0 || compare(sorted[i - 1], v) !== 0);
    }
    case 'reverse':
      if (typeof input === 'string') return [...input].reverse().join('');
      return input === null ? [] : [...listOf(input)].reverse();
    case 'to_entries':
      return toEntries(input);
    case 'from_entries':
      return fromEntries(listOf(input));
    case 'ascii_downcase':
      return str(input, name).replace(/[A-Z]/g, (c) => c.toLowerCase());
    case 'ascii_upcase':
      return str(input, name).replace(/[a-z]/g, (c) => c.toUpperCase());
    case 'min':
    case 'max': {
      const sorted = [...listOf(input)].sort(compare);
      return sorted.length ? sorted[name === 'min' ? 0 : sorted.length - 1] : null;
    }
    case 'tojson':
      return toJson(input);
    case 'fromjson':
      try {
        return JSON.parse(str(input, name));
      } catch {
        throw new JqError('fromjson: the text is not valid JSON');
      }
    case 'floor':
    case 'ceil':
    case 'round':
      if (typeof input === 'number') return Math[name](input);
      break;
    case 'flatten':
      return listOf(input).flatMap((v) => (Array.isArray(v) ? v : [v]));
    case 'has':
      if (isPlainObject(input)) return readOwn(input, String(a)).found;
      if (Array.isArray(input) && typeof a === 'number') return a >= 0 && a < input.length;
      break;
    case 'in':
      return builtin('has', a, [input]);
    case 'join':
      return listOf(input)
        .map((v) => (v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? badJoin(v) : String(v)))
        .join(str(a, name));
    case 'startswith':
      return str(input, name).startsWith(str(a, name));
    case 'endswith':
      return str(input, name).endsWith(str(a, name));
    case 'ltrimstr':
      return typeof input === 'string' && typeof a === 'string' && input.startsWith(a) ? input.slice(a.length) : input;
    case 'rtrimstr':
      return typeof input === 'string' && typeof a === 'string' && a && input.endsWith(a) ? input.slice(0, -a.length) : input;
    case 'split':
      return str(input, name).split(str(a, name));
    case 'index':
      if (typeof input === 'string') {
        const at = input.indexOf(str(a, name));
        return at < 0 ? null : at;
      }
      break;
    case 'contains':
      return contains(input, a);
  }
  throw new JqError(`${name} cannot be applied to ${typeName(input)}`);
}

function badJoin(v: unknown): never {
  throw new JqError(`cannot join ${typeName(v)}`);
}

function str(v: unknown, fn: string): string {
  if (typeof v !== 'string') throw new JqError(`${fn} needs a string, not ${typeName(v)}`);
  return v;
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => itemAt(v, i));
  if (isPlainObject(v)) return Object.keys(v).map((k) => index(v, k));
  throw new JqError(`expected an array, not ${typeName(v)}`);
}

function keysOf(v: unknown): string[] {
  if (isPlainObject(v)) return Object.keys(v);
  if (Array.isArray(v)) return v.map((_, i) => String(i));
  throw new JqError(`${typeName(v)} has no keys`);
}

function toEntries(v: unknown): unknown[] {
  if (!isPlainObject(v)) throw new JqError(`to_entries needs an object, not ${typeName(v)}`);
  return Object.keys(v).map((key) => ({ key, value: index(v, key) }));
}

function fromEntries(entries: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of entries) {
    if (!isPlainObject(e)) throw new JqError('from_entries needs objects with key and value');
    const key = ['key', 'k', 'name', 'Name', 'Key', 'K'].map((k) => index(e, k)).find((k) => k !== null);
    const value = ['value', 'v', 'Value', 'V'].map((k) => readOwn(e, k)).find((r) => r.found);
    if (key === undefined || (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean')) {
      throw new JqError('from_entries: an entry has no usable key');
    }
    setOwn(out, String(key), value && value.found ? value.value : null);
  }
  return out;
}

function contains(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((bv) => a.some((av) => contains(av, bv)));
  if (isPlainObject(a) && isPlainObject(b)) {
    return Object.keys(b).every((k) => readOwn(a, k).found && contains(index(a, k), index(b, k)));
  }
  if (typeName(a) !== typeName(b)) throw new JqError(`${typeName(a)} and ${typeName(b)} cannot have their containment checked`);
  return deepEqual(a, b);
}

/** jq indexing: missing keys and null inputs give null; own data properties only. */
function index(target: unknown, key: unknown): unknown {
  if (target === null || target === undefined) return null;
  if (typeof key === 'string' && isPlainObject(target)) {
    const read = readOwn(target, key);
    return read.found ? read.value : null;
  }
  if (typeof key === 'number' && Array.isArray(target)) {
    const i = Math.floor(key < 0 ? target.length + key : key);
    return i >= 0 && i < target.length ? itemAt(target, i) : null;
  }
  throw new JqError(`cannot index ${typeName(target)} with ${typeof key === 'string' ? JSON.stringify(key) : typeName(key)}`);
}

function slice(target: unknown, from: unknown, to: unknown): unknown {
  if (target === null) return null;
  if (typeof target !== 'string' && !Array.isArray(target)) throw new JqError(`cannot slice ${typeName(target)}`);
  const f = typeof from === 'number' ? from : undefined;
  const t = typeof to === 'number' ? to : undefined;
  return target.slice(f, t);
}

function jqTruthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false;
}

const TYPE_ORDER: Record<string, number> = { null: 0, boolean: 1, number: 3, string: 4, list: 5, map: 6 };

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
function compare(a: unknown, b: unknown): number {
  const ta = typeName(a);
  const tb = typeName(b);
  const oa = (TYPE_ORDER[ta] ?? 7) + (a === true ? 1 : 0);
  const ob = (TYPE_ORDER[tb] ?? 7) + (b === true ? 1 : 0);
  if (oa !== ob) return oa - ob;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(itemAt(a, i), itemAt(b, i));
      if (c) return c;
    }
    return a.length - b.length;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).sort(compareStrings);
    const kb = Object.keys(b).sort(compareStrings);
    const c = compare(ka, kb);
    if (c) return c;
    for (const k of ka) {
      const cv = compare(index(a, k), index(b, k));
      if (cv) return cv;
    }
  }
  return 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function binop(op: string, l: unknown, r: unknown): unknown {
  switch (op) {
    case '==':
      return compare(l, r) === 0;
    case '!=':
      return compare(l, r) !== 0;
    case '<':
      return compare(l, r) < 0;
    case '<=':
      return compare(l, r) <= 0;
    case '>':
      return compare(l, r) > 0;
    case '>=':
      return compare(l, r) >= 0;
  }
  if (op === '+') {
    if (l === null) return r;
    if (r === null) return l;
    if (typeof l === 'number' && typeof r === 'number') return l + r;
    if (typeof l === 'string' && typeof r === 'string') return l + r;
    if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
    if (isPlainObject(l) && isPlainObject(r)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(l)) setOwn(out, k, index(l, k));
      for (const k of Object.keys(r)) setOwn(out, k, index(r, k));
      return out;
    }
  } else if (op === '-' && Array.isArray(l) && Array.isArray(r)) {
    return l.filter((v) => !r.some((x) => compare(v, x) === 0));
  } else if (typeof l === 'number' && typeof r === 'number') {
    if ((op === '/' || op === '%') && r === 0) throw new JqError(`${l} cannot be divided by zero`);
    if (op === '-') return l - r;
    if (op === '*') return l * r;
    if (op === '/') return l / r;
    if (op === '%') return Math.trunc(l) % Math.trunc(r);
  }
  throw new JqError(`${typeName(l)} and ${typeName(r)} cannot be combined with '${op}'`);
}

/** jq runtime errors become expression errors (optional `?` and `//` swallow them first). */
export function jq(input: unknown, expression: string, meter?: WorkMeter): unknown[] | null {
  if (input === null || input === undefined) return null;
  try {
    return runJq(input, expression, meter);
  } catch (e) {
    if (e instanceof JqError) fail('type', `jq '${shortProgram(expression)}': ${e.message}`);
    throw e;
  }
}
