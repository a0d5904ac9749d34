import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { EditorMarker } from '../../graph/lib/types';
import { levenshtein } from '@baton/plugin-sdk/text';

// Validates a flow's YAML syntax tree against the flow JSON Schema served by the API, in the
// analysis Web Worker, so markers appear within a few milliseconds of typing without a round
// trip. It implements the part of JSON Schema that schema uses (types, enums, properties,
// required, additionalProperties, items, $ref, allOf, anyOf/oneOf, if/then/else, string and
// number bounds) and reports positions from the tree, like the server does.
//
// The server stays the authority: it also knows instance-level plugin defaults and checks
// references between tasks, so its answer is merged in by the editor when it arrives.

export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  $defs?: Record<string, Schema>;
  [key: string]: unknown;
};

interface Issue {
  node: Node | null | undefined;
  /** The key scalar to underline instead of the value (unknown properties). */
  key?: Node;
  message: string;
}

const isExpression = (v: unknown) => typeof v === 'string' && (v.includes('{{') || v.includes('{%'));

/**
 * Prepares the served schema for the editor: required plugin properties are left to the server
 * (a plugin default — flow, namespace or instance level — may supply them, and only the server
 * knows all of those).
 */
export function editorSchema(schema: Schema): Schema {
  const copy = structuredClone(schema);
  const task = copy.$defs?.task;
  for (const branch of task?.allOf ?? []) delete branch.then?.required;
  // One `if type is X then …` branch per plugin: trying ~40 of them on each of 500 tasks is most
  // of the work. Index them by type name instead (same meaning, one lookup per task).
  if (task?.allOf?.every((b) => b.if && b.then && (b.if.properties?.type as Schema | undefined)?.enum)) {
    const byType: Record<string, Schema> = {};
    for (const b of task.allOf) for (const name of (b.if!.properties!.type as Schema).enum!) byType[String(name)] = b.then!;
    task[BY_TYPE] = byType;
    delete task.allOf;
  }
  return copy;
}

/** Custom keyword written by editorSchema: the task schema by task type. */
const BY_TYPE = 'x-baton-by-type';

export function validateAgainstSchema(root: Node | null | undefined, schema: Schema, lines: LineCounter): EditorMarker[] {
  const issues: Issue[] = [];
  const defs = schema.$defs ?? {};
  const resolve = (s: Schema): Schema => {
    let cur = s;
    for (let i = 0; cur.$ref && i < 10; i++) {
      const name = cur.$ref.replace('#/$defs/', '');
      cur = defs[name] ?? {};
    }
    return cur;
  };

  // `probing`: only whether the value matches (an `if`): no messages worth composing (the
  // did-you-mean search over every plugin type dominated the time), stop at the first problem.
  const check = (node: Node | null | undefined, raw: Schema, out: Issue[], key?: string, probing = false): void => {
    const s = resolve(raw);
    const value = isScalar(node) ? node.value : undefined;
    if (isScalar(node) && isExpression(value)) return; // checked when rendered, as on the server

    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      const actual = typeOf(node);
      const ok = types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
      if (!ok) {
        out.push({
          node,
          message:
            actual === 'null'
              ? `'${key ?? 'value'}' has no value; expected ${types.map(article).join(' or ')}`
              : `'${key ?? 'value'}' must be ${types.map(article).join(' or ')}, not ${article(actual)}`,
        });
        return;
      }
    }
    if (s.enum && !s.enum.some((e) => e === value)) {
      if (probing) {
        out.push({ node, message: '' });
        return;
      }
      const hint = typeof value === 'string' ? closest(value, s.enum.map(String)) : undefined;
      const what =
        key === 'type' && s.description === 'Plugin type'
          ? `unknown task type '${String(value)}'`
          : `'${String(value)}' is not one of ${s.enum.slice(0, 8).map(String).join(', ')}${s.enum.length > 8 ? '…' : ''}`;
      out.push({ node, message: `${what}${hint ? `; did you mean '${hint}'?` : ''}` });
    }
    if (s.const !== undefined && value !== s.const) out.push({ node, message: `must be ${JSON.stringify(s.const)}` });
    if (typeof value === 'string') {
      if (s.minLength !== undefined && value.length < s.minLength)
        out.push({ node, message: s.minLength === 1 ? `'${key ?? 'value'}' must not be empty` : `must be at least ${s.minLength} characters` });
      if (s.maxLength !== undefined && value.length > s.maxLength) out.push({ node, message: `must be at most ${s.maxLength} characters` });
      if (s.pattern) {
        try {
          if (!new RegExp(s.pattern, 'u').test(value)) out.push({ node, message: `'${value}' does not match ${s.pattern}` });
        } catch {
          // a pattern this browser cannot compile: the server still checks it
        }
      }
    }
    if (typeof value === 'number') {
      if (s.minimum !== undefined && value < s.minimum) out.push({ node, message: `must be ≥ ${s.minimum}` });
      if (s.maximum !== undefined && value > s.maximum) out.push({ node, message: `must be ≤ ${s.maximum}` });
      if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) out.push({ node, message: `must be > ${s.exclusiveMinimum}` });
      if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) out.push({ node, message: `must be < ${s.exclusiveMaximum}` });
    }
    if (isMap(node)) {
      const pairs = node.items as Pair<Node, Node>[];
      const present = new Set<string>();
      for (const pair of pairs) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined) continue;
        present.add(k);
        const propSchema = s.properties?.[k];
        if (propSchema) {
          check(pair.value, propSchema, out, k, probing);
          if (probing && out.length) return;
        } else if (s.additionalProperties === false && s.properties) {
          const hint = closest(k, Object.keys(s.properties));
          out.push({ node: pair.key, key: pair.key, message: `unknown property '${k}'${hint ? `; did you mean '${hint}'?` : ''}` });
        } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          check(pair.value, s.additionalProperties, out, k);
        }
      }
      for (const r of s.required ?? []) if (!present.has(r)) out.push({ node, message: `missing required property '${r}'` });
    }
    if (isSeq(node)) {
      const items = node.items as Node[];
      if (s.minItems !== undefined && items.length < s.minItems)
        out.push({ node, message: s.minItems === 1 ? `'${key ?? 'list'}' needs at least one item` : `needs at least ${s.minItems} items` });
      if (s.maxItems !== undefined && items.length > s.maxItems) out.push({ node, message: `has more than ${s.maxItems} items` });
      if (s.items) items.forEach((item) => check(item, s.items!, out, key, probing));
    }
    for (const sub of s.allOf ?? []) check(node, sub, out, key, probing);
    const byType = s[BY_TYPE] as Record<string, Schema> | undefined;
    if (byType && isMap(node)) {
      const typeNode = node.items.find((p) => isScalar(p.key) && p.key.value === 'type')?.value;
      const branch = isScalar(typeNode) ? byType[String(typeNode.value)] : undefined;
      if (branch) check(node, branch, out, key, probing);
    }
    if (s.if) {
      const probe: Issue[] = [];
      check(node, s.if, probe, key, true);
      if (!probe.length && s.then) check(node, s.then, out, key, probing);
      if (probe.length && s.else) check(node, s.else, out, key, probing);
    }
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) {
      const results = alternatives.map((alt) => {
        const r: Issue[] = [];
        check(node, alt, r, key, probing);
        return r;
      });
      if (!results.some((r) => r.length === 0)) {
        // Prefer the alternative whose type matched: its message is about the content.
        const typed = results.find((r, i) => !typeMismatch(node, resolve(alternatives[i])));
        if (typed) out.push(...typed);
        else out.push({ node, message: `'${key ?? 'value'}' must be ${alternatives.map((a) => describeType(resolve(a))).join(' or ')}` });
      }
    }
  };

  check(root, schema, issues);
  return issues.map((issue) => toMarker(issue, lines));
}

function toMarker(issue: Issue, lines: LineCounter): EditorMarker {
  const range = (issue.key ?? issue.node)?.range;
  const start = lines.linePos(range?.[0] ?? 0);
  const endOffset = range ? Math.max(range[0] + 1, range[1]) : 1;
  let end = lines.linePos(endOffset);
  // A whole block (a map) underlines its first line only.
  if (end.line !== start.line) end = { line: start.line, col: start.col + 1 + Math.min(40, Math.max(1, (range?.[1] ?? 0) - (range?.[0] ?? 0))) };
  return {
    startLineNumber: start.line,
    startColumn: start.col,
    endLineNumber: end.line,
    endColumn: Math.max(end.col, start.col + 1),
    message: issue.message,
    severity: 'error',
    source: 'schema',
  };
}

function typeOf(node: Node | null | undefined): string {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (!isScalar(node)) return 'null';
  const v = node.value;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

function typeMismatch(node: Node | null | undefined, s: Schema) {
  if (s.type === undefined) return false;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const actual = typeOf(node);
  return !types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

function describeType(s: Schema): string {
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' or ');
  if (s.type) return (Array.isArray(s.type) ? s.type : [s.type]).map(article).join(' or ');
  return 'a valid value';
}

function article(t: string) {
  switch (t) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'integer':
      return 'an integer';
    case 'null':
      return 'empty';
    default:
      return `a ${t}`;
  }
}

export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const cl = c.toLowerCase();
    // Task types are long: compare the last segment too (Log vs io.kestra.plugin.core.log.Log).
    const score = Math.min(levenshtein(w, cl), cl.endsWith(`.${w}`) ? 1 : Infinity);
    if (score < bestScore) [best, bestScore] = [c, score];
  }
  return bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
