import { fail } from './errors';

export type TokenType = 'name' | 'number' | 'string' | 'op';

export interface Token {
  type: TokenType;
  /** Operator text, name, or the decoded string literal. */
  value: string;
  /** Parsed value of a number literal. */
  number?: number;
  /** Offsets into the whole template. */
  start: number;
  end: number;
}

export interface LexedExpression {
  tokens: Token[];
  /** Offset just after the closing `}}` (or the end of a bare expression). */
  end: number;
  /** Offset of the closing delimiter (`}}` or `-}}`). */
  closeStart: number;
  /** The block ended with `-}}`: strip whitespace after it. */
  trimRight: boolean;
}

// Longest first, so `==` wins over `=`.
const OPERATORS = [
  '???',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '//',
  '..',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '!',
  '|',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '=',
];
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/**
 * Tokenizes one expression starting at `pos`. Inside a template (`blockStart` given) it stops at
 * `}}` — but only outside brackets, so a map literal such as `{'a': {'b': 1}}` can end in `}}`,
 * as in Pebble. Offsets are absolute so that errors point into the template.
 */
export function lexExpression(src: string, pos: number, blockStart?: number, closer: '}}' | '%}' = '}}'): LexedExpression {
  const inTemplate = blockStart !== undefined;
  const opener = closer === '}}' ? '{{' : '{%';
  const tokens: Token[] = [];
  const brackets: Token[] = [];
  let i = pos;
  for (;;) {
    while (i < src.length && isSpace(src.charCodeAt(i))) i++;
    if (i >= src.length) {
      if (inTemplate) fail('syntax', `'${opener}' is not closed; add '${closer}' at the end of the ${closer === '}}' ? 'expression' : 'tag'}`, blockStart);
      if (brackets.length) {
        const open = brackets[brackets.length - 1];
        fail('syntax', `'${open.value}' is not closed`, open.start);
      }
      return { tokens, end: i, closeStart: i, trimRight: false };
    }
    if (inTemplate && (src.startsWith(closer, i) || (src[i] === '-' && src.startsWith(closer, i + 1)))) {
      if (brackets.length === 0) {
        const trimRight = src[i] === '-';
        return { tokens, end: i + (trimRight ? 3 : 2), closeStart: i, trimRight };
      }
      // Inside `{ … }` a `}}` may close nested maps; inside ( or [ it is the block's end.
      const open = brackets[brackets.length - 1];
      if (open.value !== '{' || closer === '%}') fail('syntax', `'${open.value}' is not closed; add '${closerOf(open.value)}'`, open.start);
    }
    const start = i;
    const c = src[i];
    if (isDigit(c)) {
      // After '.', digits are a list index (`a.0.1` is a[0][1]), never a fraction.
      const afterDot = tokens.length > 0 && tokens[tokens.length - 1].type === 'op' && tokens[tokens.length - 1].value === '.';
      while (i < src.length && isDigit(src[i])) i++;
      if (!afterDot) {
        if (src[i] === '.' && isDigit(src[i + 1] ?? '')) {
          i++;
          while (i < src.length && isDigit(src[i])) i++;
        }
        if ((src[i] === 'e' || src[i] === 'E') && /^[eE][+-]?\d/.test(src.slice(i, i + 3))) {
          i += src[i + 1] === '+' || src[i + 1] === '-' ? 2 : 1;
          while (i < src.length && isDigit(src[i])) i++;
        }
      }
      const text = src.slice(start, i);
      tokens.push({ type: 'number', value: text, number: Number(text), start, end: i });
      continue;
    }
    if (isNameStart(c)) {
      while (i < src.length && isNamePart(src[i])) i++;
      tokens.push({ type: 'name', value: src.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      const interpolated = c === '"' ? lexInterpolation(src, i) : undefined;
      if (interpolated) {
        tokens.push(...interpolated.tokens);
        i = interpolated.end;
        continue;
      }
      const { value, end } = lexString(src, i);
      tokens.push({ type: 'string', value, start, end });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) fail('syntax', `unexpected character '${c}'`, i);
    const token: Token = { type: 'op', value: op, start, end: i + op.length };
    if (op === '(' || op === '[' || op === '{') brackets.push(token);
    else if (op in CLOSERS) {
      const open = brackets.pop();
      if (!open) fail('syntax', `unexpected '${op}' without a matching '${CLOSERS[op]}'`, i);
      if (open.value !== CLOSERS[op]) {
        fail('syntax', `'${open.value}' at offset ${open.start} is closed by '${op}'; expected '${closerOf(open.value)}'`, i);
      }
    }
    tokens.push(token);
    i += op.length;
  }
}

/**
 * Pebble's string interpolation: "Hello #{name}" is ("Hello " ~ (name)). Only double-quoted
 * strings interpolate; the expression may hold strings (and interpolations) of its own. Returns
 * undefined when the string has no `#{`.
 */
function lexInterpolation(src: string, start: number): { tokens: Token[]; end: number } | undefined {
  const end = skipString(src, start);
  const body = src.slice(start + 1, end - 1);
  if (!body.includes('#{')) return undefined;
  const op = (value: string, at: number): Token => ({ type: 'op', value, start: at, end: at });
  const tokens: Token[] = [op('(', start)];
  let literal = '';
  let literalStart = start;
  let first = true;
  const join = (at: number) => {
    if (!first) tokens.push(op('~', at));
    first = false;
  };
  let i = start + 1;
  while (i < end - 1) {
    if (src[i] === '#' && src[i + 1] === '{') {
      if (literal) {
        join(literalStart);
        tokens.push({ type: 'string', value: literal, start: literalStart, end: i });
        literal = '';
      }
      const close = skipBraces(src, i + 2, i) - 1;
      const inner = lexExpression(src.slice(0, close), i + 2);
      if (inner.tokens.length === 0) fail('syntax', "'#{ }' is empty; put an expression inside, e.g. #{name}", i);
      join(i);
      tokens.push(op('(', i), ...inner.tokens, op(')', close));
      i = close + 1;
      literalStart = i;
      continue;
    }
    if (src[i] === '\\' && i + 1 < end - 1) {
      const decoded = lexString(`"${src.slice(i, i + (src[i + 1] === 'u' ? 6 : 2))}"`, 0).value;
      literal += decoded;
      i += src[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6)) ? 6 : 2;
      continue;
    }
    literal += src[i++];
  }
  if (literal) {
    join(literalStart);
    tokens.push({ type: 'string', value: literal, start: literalStart, end: end - 1 });
  }
  // Joining with '' keeps the result text even when the string is a single #{number}.
  tokens.push(op('~', end - 1), { type: 'string', value: '', start: end - 1, end: end - 1 }, op(')', end - 1));
  return { tokens, end };
}

/** Offset just after the closing quote of the string starting at `start`, interpolations included. */
function skipString(src: string, start: number): number {
  const q = src[start];
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === q) return i + 1;
    else if (q === '"' && c === '#' && src[i + 1] === '{') i = skipBraces(src, i + 2, i);
    else i++;
  }
  fail('syntax', `text starting with ${q} is not closed; add a closing ${q}`, start);
}

/** Offset just after the `}` that closes an interpolation opened at `open`. */
function skipBraces(src: string, from: number, open: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'") {
      i = skipString(src, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    i++;
  }
  fail('syntax', "'#{' is not closed; add '}'", open);
}

function closerOf(open: string): string {
  return open === '(' ? ')' : open === '[' ? ']' : '}';
}

function lexString(src: string, start: number): { value: string; end: number } {
  const q = src[start];
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === q) return { value: out, end: i + 1 };
    if (c === '\\' && i + 1 < src.length) {
      const e = src[i + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (e === q || e === '\\') out += e;
      else if (Object.prototype.hasOwnProperty.call(ESCAPES, e)) out += ESCAPES[e];
      // Unknown escapes keep the backslash, so Windows paths and regex-like text survive.
      else out += c + e;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  fail('syntax', `text starting with ${q} is not closed; add a closing ${q}`, start);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11 || code === 0xa0;
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNamePart(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}
