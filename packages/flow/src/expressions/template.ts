import type { Node } from './ast';
import { fail, Failure } from './errors';
import { lexExpression } from './lexer';
import { MAX_CACHED_CHARS, MAX_CACHED_TEMPLATES, MAX_TEMPLATE_LENGTH } from './limits';
import { parseTokens } from './parser';
import { checkNode } from './static-check';
import { formatCount } from './values';

export interface TextSegment {
  kind: 'text';
  text: string;
}
export interface ExprSegment {
  kind: 'expr';
  node: Node;
  /** Offsets of `{{` and just after `}}`. */
  start: number;
  end: number;
  /** The expression between the braces, for error reports. */
  source: string;
}
export type Segment = TextSegment | ExprSegment;

export interface Template {
  source: string;
  segments: Segment[];
  /** Set when the template is one `{{ expr }}` (whitespace and comments around allowed): it renders to a typed value. */
  single?: ExprSegment;
}

/** Whether a string needs parsing at all; anything else renders as itself. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/**
 * Parse caches, keyed by source text and evicted oldest-first. Bounded by entries and by total
 * text so that a few huge templates cannot pin gigabytes. Only speed depends on them, never
 * results, so sharing them between workflows keeps replay deterministic.
 */
class ParseCache<T> {
  private readonly entries = new Map<string, T>();
  private chars = 0;

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: T): T {
    if (key.length > MAX_CACHED_CHARS / 8) return value;
    this.entries.set(key, value);
    this.chars += key.length;
    while (this.entries.size > MAX_CACHED_TEMPLATES || this.chars > MAX_CACHED_CHARS) {
      const oldest = this.entries.keys().next().value!;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
    return value;
  }
}

const templates = new ParseCache<Template>();
const expressions = new ParseCache<Node>();

/** Parses a template once; later calls with the same text reuse the tree. Throws Failure. */
export function parseTemplate(text: string): Template {
  const cached = templates.get(text);
  if (cached) return cached;
  return templates.set(text, scan(text));
}

/** Parses a bare expression (no braces), as used by evaluate(). Throws Failure. */
export function parseExpression(text: string): Node {
  const cached = expressions.get(text);
  if (cached) return cached;
  checkLength(text);
  const lexed = lexExpression(text, 0);
  if (lexed.tokens.length === 0) fail('syntax', 'the expression is empty', 0);
  const node = parseTokens(lexed.tokens, text.length);
  checkNode(node);
  return expressions.set(text, node);
}

/** Every syntax problem in a template (one per block at most), for save-time validation. */
export function templateErrors(text: string): Failure[] {
  const errors: Failure[] = [];
  scan(text, errors);
  return errors;
}

function checkLength(text: string): void {
  if (text.length > MAX_TEMPLATE_LENGTH) {
    fail('limit', `the template is ${formatCount(text.length)} characters long; the limit is ${formatCount(MAX_TEMPLATE_LENGTH)}`, 0);
  }
}

const RAW_END = /\{%-?\s*endraw\s*-?%\}/g;

/**
 * Splits a template into text and expressions. With `errors`, records a problem and skips to the
 * next `}}` instead of throwing, so that one mistake does not hide the next.
 */
function scan(text: string, errors?: Failure[]): Template {
  try {
    checkLength(text);
  } catch (e) {
    if (errors && e instanceof Failure) {
      errors.push(e);
      return { source: text, segments: [] };
    }
    throw e;
  }
  const segments: Segment[] = [];
  let textStart = 0;
  let trimNext = false;
  let i = 0;
  const flush = (end: number, trimEnd: boolean) => {
    let chunk = text.slice(textStart, end);
    if (trimNext) chunk = chunk.replace(/^\s+/, '');
    if (trimEnd) chunk = chunk.replace(/\s+$/, '');
    trimNext = false;
    if (chunk) segments.push({ kind: 'text', text: chunk });
  };
  const recover = (e: unknown, resumeAt: number) => {
    if (!errors || !(e instanceof Failure)) throw e;
    errors.push(e);
    i = textStart = resumeAt;
  };

  while (i < text.length) {
    const j = text.indexOf('{', i);
    if (j < 0 || j + 1 >= text.length) break;
    const c = text[j + 1];
    if (c === '{') {
      let p = j + 2;
      const trimLeft = text[p] === '-';
      if (trimLeft) p++;
      flush(j, trimLeft);
      try {
        const lexed = lexExpression(text, p, j);
        if (lexed.tokens.length === 0) fail('syntax', "the expression '{{ }}' is empty; put a value inside, e.g. {{ inputs.name }}", j);
        const node = parseTokens(lexed.tokens, lexed.closeStart);
        checkNode(node);
        segments.push({ kind: 'expr', node, start: j, end: lexed.end, source: text.slice(p, lexed.closeStart).trim() });
        i = textStart = lexed.end;
        trimNext = lexed.trimRight;
      } catch (e) {
        const close = text.indexOf('}}', p);
        recover(e, close < 0 ? text.length : close + 2);
      }
    } else if (c === '#') {
      // `{#` without a closing `#}` is left as text: shell scripts write ${#array[@]}.
      const close = text.indexOf('#}', j + 2);
      if (close < 0) {
        i = j + 2;
        continue;
      }
      flush(j, false);
      i = textStart = close + 2;
    } else if (c === '%') {
      const close = text.indexOf('%}', j + 2);
      if (close < 0) {
        i = j + 2;
        continue;
      }
      const tag = /^\{%-?\s*([A-Za-z_]*)/.exec(text.slice(j, j + 64))![1];
      try {
        if (tag !== 'raw') {
          fail(
            'syntax',
            `{% ${tag || '…'} %} tags are not supported; use {{ expressions }} with filters and the ternary operator, ` +
              '{# comments #}, or {% raw %}…{% endraw %} for text that contains {{',
            j,
          );
        }
        RAW_END.lastIndex = close + 2;
        const end = RAW_END.exec(text);
        if (!end) fail('syntax', '{% raw %} is not closed; add {% endraw %}', j);
        flush(j, text[j + 2] === '-');
        segments.push({ kind: 'text', text: text.slice(close + 2, end.index) });
        i = textStart = end.index + end[0].length;
      } catch (e) {
        recover(e, close + 2);
      }
    } else i = j + 1;
  }
  flush(text.length, false);

  const exprs = segments.filter((s): s is ExprSegment => s.kind === 'expr');
  const single =
    exprs.length === 1 && segments.every((s) => s.kind === 'expr' || s.text.trim() === '') && !/\{%-?\s*raw/.test(text)
      ? exprs[0]
      : undefined;
  return single ? { source: text, segments, single } : { source: text, segments };
}
