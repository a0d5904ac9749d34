import { fail } from './errors';
import { similarNames } from './suggest';

const MAX_JQ_DEPTH = 128;

/** The program as quoted in messages: long ones are cut. */
export function shortProgram(src: string): string {
  return src.length > 60 ? `${src.slice(0, 60)}…` : src;
}

/**
 * Parser for the jq subset run by jq.ts: paths (`.a.b`, `.["x"]`, `.[0]`, `.[]`, `.[1:3]`, `?`),
 * pipes, `,`, literals, array and object construction, comparison, arithmetic, `and`/`or`, `//`,
 * `if … then … elif … else … end` and the builtins listed in BUILTIN_ARITY.
 */

export type J =
  | { k: 'identity' }
  | { k: 'literal'; value: unknown }
  | { k: 'field'; target: J; name: string }
  | { k: 'index'; target: J; index: J }
  | { k: 'slice'; target: J; from?: J; to?: J }
  | { k: 'iterate'; target: J }
  | { k: 'try'; body: J }
  | { k: 'array'; body?: J }
  | { k: 'object'; entries: { key: J; value: J }[] }
  | { k: 'pipe' | 'comma' | 'alt' | 'and' | 'or'; left: J; right: J }
  | { k: 'binop'; op: string; left: J; right: J }
  | { k: 'neg'; operand: J }
  | { k: 'call'; name: string; args: J[] }
  | { k: 'if'; cond: J; then: J; otherwise?: J };

interface Tok {
  t: 'field' | 'name' | 'str' | 'num' | 'op';
  v: string;
  pos: number;
}

const OPS = ['==', '!=', '<=', '>=', '//', '|', ',', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', ':', ';', '?', '.'];
const UNSUPPORTED_WORDS = new Set(['def', 'reduce', 'foreach', 'as', 'try', 'catch', 'label', 'import', 'include']);

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      i++;
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i])) i++;
      toks.push({ t: 'field', v: src.slice(pos + 1, i), pos });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i])) i++;
      toks.push({ t: 'name', v: src.slice(pos, i), pos });
    } else if (/\d/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      toks.push({ t: 'num', v: m[0], pos });
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          if (src[j + 1] === '(') fail('type', `jq string interpolation \\( … ) is not supported (at ${j} in '${shortProgram(src)}')`);
          j++;
        }
        j++;
      }
      if (j >= src.length) fail('type', `jq expression '${shortProgram(src)}' has an unclosed string`);
      toks.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1)) as string, pos });
      i = j + 1;
    } else if (src.startsWith('..', i)) {
      fail('type', "jq recursion '..' is not supported; use explicit paths such as .a.b");
    } else if (c === '$') {
      fail('type', 'jq variables ($name) are not supported');
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) fail('type', `unexpected '${c}' at ${i} in jq expression '${shortProgram(src)}'`);
      toks.push({ t: 'op', v: op, pos });
      i += op.length;
    }
  }
  return toks;
}

class JqParser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly src: string,
  ) {}

  parse(): J {
    const node = this.pipe();
    if (this.pos < this.toks.length) this.error(`unexpected '${this.toks[this.pos].v}'`);
    this.checkDepth(node, 0);
    return node;
  }

  /** Long chains (`.a.b.c…`, `a | b | …`) nest the tree; bound it so running it cannot overflow the stack. */
  private checkDepth(node: J, depth: number): void {
    if (depth > MAX_JQ_DEPTH) this.error(`the program is too complex (more than ${MAX_JQ_DEPTH} nested operations)`);
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object') {
          if ('k' in child) this.checkDepth(child as J, depth + 1);
          else for (const part of Object.values(child)) if (part && typeof part === 'object' && 'k' in part) this.checkDepth(part as J, depth + 1);
        }
      }
    }
  }

  private error(message: string): never {
    const at = this.toks[this.pos]?.pos ?? this.src.length;
    fail('type', `invalid jq expression '${shortProgram(this.src)}' at ${at}: ${message}`);
  }
  private peek(v: string): boolean {
    const t = this.toks[this.pos];
    return !!t && (t.t === 'op' || t.t === 'name') && t.v === v;
  }
  private expect(v: string): void {
    if (!this.peek(v)) this.error(`expected '${v}'`);
    this.pos++;
  }

  private pipe(): J {
    if (++this.depth > 64) this.error('nested too deeply');
    let left = this.comma();
    while (this.peek('|')) {
      this.pos++;
      left = { k: 'pipe', left, right: this.comma() };
    }
    this.depth--;
    return left;
  }
  private comma(): J {
    let left = this.alt();
    while (this.peek(',')) {
      this.pos++;
      left = { k: 'comma', left, right: this.alt() };
    }
    return left;
  }
  private alt(): J {
    const left = this.or();
    if (!this.peek('//')) return left;
    this.pos++;
    return { k: 'alt', left, right: this.alt() };
  }
  private or(): J {
    let left = this.and();
    while (this.peek('or')) {
      this.pos++;
      left = { k: 'or', left, right: this.and() };
    }
    return left;
  }
  private and(): J {
    let left = this.compare();
    while (this.peek('and')) {
      this.pos++;
      left = { k: 'and', left, right: this.compare() };
    }
    return left;
  }
  private compare(): J {
    const left = this.additive();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      if (this.peek(op)) {
        this.pos++;
        return { k: 'binop', op, left, right: this.additive() };
      }
    }
    return left;
  }
  private additive(): J {
    let left = this.multiplicative();
    while (this.peek('+') || this.peek('-')) {
      const op = this.toks[this.pos++].v;
      left = { k: 'binop', op, left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): J {
    let left = this.postfix();
    while (this.peek('*') || this.peek('/') || this.peek('%')) {
      const op = this.toks[this.pos++].v;
      left = { k: 'binop', op, left, right: this.postfix() };
    }
    return left;
  }

  private postfix(): J {
    let node = this.primary();
    for (;;) {
      const t = this.toks[this.pos];
      if (!t) return node;
      if (t.t === 'field') {
        this.pos++;
        node = { k: 'field', target: node, name: t.v };
      } else if (t.t === 'op' && t.v === '.' && this.toks[this.pos + 1]?.t === 'str') {
        node = { k: 'field', target: node, name: this.toks[this.pos + 1].v };
        this.pos += 2;
      } else if (t.t === 'op' && (t.v === '[' || (t.v === '.' && this.toks[this.pos + 1]?.v === '['))) {
        this.pos += t.v === '.' ? 2 : 1;
        node = this.bracket(node);
      } else if (t.t === 'op' && t.v === '?') {
        this.pos++;
        node = { k: 'try', body: node };
      } else return node;
    }
  }

  /** After '[': `[]`, `[expr]`, `[from:to]`. */
  private bracket(target: J): J {
    if (this.peek(']')) {
      this.pos++;
      return { k: 'iterate', target };
    }
    let from: J | undefined;
    if (!this.peek(':')) from = this.pipe();
    if (this.peek(':')) {
      this.pos++;
      const to = this.peek(']') ? undefined : this.pipe();
      this.expect(']');
      return { k: 'slice', target, from, to };
    }
    this.expect(']');
    return { k: 'index', target, index: from! };
  }

  private primary(): J {
    const t = this.toks[this.pos++];
    if (!t) this.error('the expression ends too early');
    switch (t.t) {
      case 'field':
        return { k: 'field', target: { k: 'identity' }, name: t.v };
      case 'num':
        return { k: 'literal', value: Number(t.v) };
      case 'str':
        return { k: 'literal', value: t.v };
      case 'name':
        return this.word(t);
    }
    switch (t.v) {
      case '.':
        if (this.toks[this.pos]?.t === 'str') return { k: 'field', target: { k: 'identity' }, name: this.toks[this.pos++].v };
        return { k: 'identity' };
      case '(': {
        const inner = this.pipe();
        this.expect(')');
        return inner;
      }
      case '[': {
        if (this.peek(']')) {
          this.pos++;
          return { k: 'array' };
        }
        const body = this.pipe();
        this.expect(']');
        return { k: 'array', body };
      }
      case '{':
        return this.object();
      case '-': {
        if (++this.depth > 64) this.error('nested too deeply');
        const operand = this.postfix();
        this.depth--;
        return { k: 'neg', operand };
      }
    }
    this.pos--;
    this.error(`unexpected '${t.v}'`);
  }

  private word(t: Tok): J {
    if (t.v === 'true' || t.v === 'false') return { k: 'literal', value: t.v === 'true' };
    if (t.v === 'null') return { k: 'literal', value: null };
    if (t.v === 'if') return this.ifThen();
    if (UNSUPPORTED_WORDS.has(t.v)) {
      this.pos--;
      this.error(`'${t.v}' is not supported`);
    }
    const args: J[] = [];
    if (this.peek('(')) {
      this.pos++;
      args.push(this.pipe());
      while (this.peek(';')) {
        this.pos++;
        args.push(this.pipe());
      }
      this.expect(')');
    }
    const arities = BUILTIN_ARITY[t.v];
    if (!arities) {
      this.pos--;
      const close = similarNames(t.v, Object.keys(BUILTIN_ARITY));
      this.error(`unknown function '${t.v}'${close.length ? `; did you mean ${close.join(' or ')}?` : ''}`);
    }
    if (!arities.includes(args.length)) this.error(`${t.v} takes ${arities.join(' or ')} argument(s), not ${args.length}`);
    return { k: 'call', name: t.v, args };
  }

  private ifThen(): J {
    const cond = this.pipe();
    this.expect('then');
    const then = this.pipe();
    let otherwise: J | undefined;
    if (this.peek('elif')) {
      this.pos++;
      otherwise = this.ifThen();
      return { k: 'if', cond, then, otherwise };
    }
    if (this.peek('else')) {
      this.pos++;
      otherwise = this.pipe();
    }
    this.expect('end');
    return { k: 'if', cond, then, otherwise };
  }

  private object(): J {
    const entries: { key: J; value: J }[] = [];
    while (!this.peek('}')) {
      const t = this.toks[this.pos++];
      if (!t) this.error("expected '}'");
      let key: J;
      if (t.t === 'name' || t.t === 'str') key = { k: 'literal', value: t.v };
      else if (t.t === 'op' && t.v === '(') {
        key = this.pipe();
        this.expect(')');
      } else {
        this.pos--;
        this.error('expected an object key');
      }
      let value: J;
      if (this.peek(':')) {
        this.pos++;
        value = this.alt();
      } else if (key.k === 'literal') value = { k: 'field', target: { k: 'identity' }, name: String(key.value) };
      else this.error("expected ':'");
      entries.push({ key, value });
      if (!this.peek(',')) break;
      this.pos++;
    }
    this.expect('}');
    return { k: 'object', entries };
  }
}

// No prototype: a program calling `constructor` must get "unknown function", not Object's constructor.
export const BUILTIN_ARITY: Record<string, number[]> = Object.assign(Object.create(null), {
  length: [0],
  keys: [0],
  keys_unsorted: [0],
  values: [0],
  not: [0],
  first: [0, 1],
  last: [0, 1],
  add: [0],
  tostring: [0],
  tonumber: [0],
  type: [0],
  sort: [0],
  unique: [0],
  reverse: [0],
  to_entries: [0],
  from_entries: [0],
  ascii_downcase: [0],
  ascii_upcase: [0],
  empty: [0],
  min: [0],
  max: [0],
  tojson: [0],
  fromjson: [0],
  floor: [0],
  ceil: [0],
  round: [0],
  any: [0, 1],
  all: [0, 1],
  flatten: [0],
  select: [1],
  map: [1],
  map_values: [1],
  has: [1],
  join: [1],
  sort_by: [1],
  unique_by: [1],
  group_by: [1],
  min_by: [1],
  max_by: [1],
  with_entries: [1],
  startswith: [1],
  endswith: [1],
  ltrimstr: [1],
  rtrimstr: [1],
  split: [1],
  contains: [1],
  index: [1],
  in: [1],
  error: [0, 1],
});

const programs = new Map<string, J>();

export function compileJq(expression: string): J {
  let program = programs.get(expression);
  if (!program) {
    program = new JqParser(lex(expression), expression).parse();
    // Programs are short in practice; long ones are parsed each time rather than pinned in memory.
    if (expression.length <= 10_000) {
      if (programs.size >= 500) programs.delete(programs.keys().next().value!);
      programs.set(expression, program);
    }
  }
  return program;
}
