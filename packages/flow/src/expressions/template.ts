import type { Node } from './ast';
import { fail, Failure } from './errors';
import { lexExpression, type Token } from './lexer';
import { MAX_CACHED_CHARS, MAX_CACHED_TEMPLATES, MAX_NESTING, MAX_TEMPLATE_LENGTH } from './limits';
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
  /** Offsets of `{{` (or `{%`) and just after `}}` (or `%}`). */
  start: number;
  end: number;
  /** The expression between the delimiters, for error reports. */
  source: string;
}
export type Segment = TextSegment | ExprSegment;

/** `{% if %}…{% elseif %}…{% else %}…{% endif %}` */
export interface IfBlock {
  kind: 'if';
  branches: { cond: ExprSegment; body: Body }[];
  otherwise?: Body;
  start: number;
}
/** `{% for x in list %}…{% else %}…{% endfor %}` */
export interface ForBlock {
  kind: 'for';
  name: string;
  iterable: ExprSegment;
  body: Body;
  otherwise?: Body;
  start: number;
}
/** `{% set x = expr %}` */
export interface SetBlock {
  kind: 'set';
  name: string;
  value: ExprSegment;
}
/** `{% filter upper | trim %}…{% endfilter %}`: `chain` is a filter chain applied to BODY_VARIABLE. */
export interface FilterBlock {
  kind: 'filter';
  chain: ExprSegment;
  body: Body;
}
export type BodyNode = Segment | IfBlock | ForBlock | SetBlock | FilterBlock;
export type Body = BodyNode[];

/** `{% macro name(a, b='x') %}…{% endmacro %}`, callable as name(…) from the same template. */
export interface Macro {
  name: string;
  params: string[];
  defaults: (ExprSegment | undefined)[];
  body: Body;
  start: number;
}

/** The variable a `{% filter %}` chain reads its body from; users cannot write the name. */
export const BODY_VARIABLE = '\u0000body';

export interface Template {
  source: string;
  /** What renders, in order. */
  body: Body;
  /** Every expression, including those of tags, in source order (for analysis). */
  exprs: ExprSegment[];
  /** Names bound inside the template (for variables, set, macro parameters, loop). */
  locals: ReadonlySet<string>;
  macros: ReadonlyMap<string, Macro>;
}

/** Whether a string needs parsing at all; anything else renders as itself. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
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

const RAW_END = /\{%(-?)\s*end(raw|verbatim)\s*(-?)%\}/g;
/** Tags Pebble has that Baton does not: named so that the message can say so. */
const UNSUPPORTED_TAGS = new Set(['block', 'extends', 'include', 'import', 'from', 'embed', 'cache', 'parallel', 'autoescape', 'flush']);

interface TagItem {
  kind: 'tag';
  name: string;
  tokens: Token[];
  start: number;
  end: number;
  /** Offset just after the tag name, where its arguments start. */
  argsStart: number;
  closeStart: number;
  source: string;
}
type Item = Segment | TagItem;

/**
 * Splits a template into text, expressions and tags, then nests the tags. With `errors`, records
 * a problem and carries on after it instead of throwing, so that one mistake does not hide the next.
 */
function scan(text: string, errors?: Failure[]): Template {
  const empty: Template = { source: text, body: [], exprs: [], locals: new Set(), macros: new Map() };
  try {
    checkLength(text);
  } catch (e) {
    if (errors && e instanceof Failure) {
      errors.push(e);
      return empty;
    }
    throw e;
  }
  const items: Item[] = [];
  let textStart = 0;
  let trimNext = false;
  let i = 0;
  // Pebble's whitespace control: `{{-` `{%-` `{#-` strip whitespace (newlines included) before
  // the delimiter, `-}}` `-%}` `-#}` after it. Kestra turns Pebble's newline trimming off, so
  // nothing else is removed.
  const flush = (end: number, trimEnd: boolean) => {
    let chunk = text.slice(textStart, end);
    if (trimNext) chunk = chunk.replace(/^\s+/, '');
    if (trimEnd) chunk = chunk.replace(/\s+$/, '');
    trimNext = false;
    if (chunk) items.push({ kind: 'text', text: chunk });
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
        items.push({ kind: 'expr', node, start: j, end: lexed.end, source: text.slice(p, lexed.closeStart).trim() });
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
      flush(j, text[j + 2] === '-');
      i = textStart = close + 2;
      trimNext = text[close - 1] === '-' && close - 1 > j + 2;
    } else if (c === '%') {
      const close = text.indexOf('%}', j + 2);
      if (close < 0) {
        i = j + 2;
        continue;
      }
      let p = j + 2;
      const trimLeft = text[p] === '-';
      if (trimLeft) p++;
      const name = /^\s*([A-Za-z_]\w*)?/.exec(text.slice(p, p + 64))!;
      const tag = name[1] ?? '';
      const argsStart = p + name[0].length;
      try {
        if (tag === 'raw' || tag === 'verbatim') {
          const open = /^\s*(-?)%\}/.exec(text.slice(argsStart));
          if (!open) fail('syntax', `{% ${tag} %} takes no arguments`, j);
          RAW_END.lastIndex = argsStart + open[0].length;
          const end = RAW_END.exec(text);
          if (!end) fail('syntax', `{% ${tag} %} is not closed; add {% end${tag} %}`, j);
          // Kestra cuts {% raw %} blocks out before Pebble sees the template, so '-' trims nothing
          // there; Pebble's own {% verbatim %} honours whitespace control.
          const pebble = tag === 'verbatim';
          flush(j, pebble && trimLeft);
          let raw = text.slice(argsStart + open[0].length, end.index);
          if (pebble && open[1]) raw = raw.replace(/^\s+/, '');
          if (pebble && end[1]) raw = raw.replace(/\s+$/, '');
          if (raw) items.push({ kind: 'text', text: raw });
          i = textStart = end.index + end[0].length;
          trimNext = pebble && end[3] === '-';
          continue;
        }
        flush(j, trimLeft);
        if (!tag) fail('syntax', 'a tag needs a name, e.g. {% if … %}, {% for … %}, {% set … %}', j);
        if (UNSUPPORTED_TAGS.has(tag)) {
          fail('syntax', `the {% ${tag} %} tag is not supported; Baton supports if, for, set, filter, macro and raw`, j);
        }
        const lexed = lexExpression(text, argsStart, j, '%}');
        items.push({
          kind: 'tag',
          name: tag,
          tokens: lexed.tokens,
          start: j,
          end: lexed.end,
          argsStart,
          closeStart: lexed.closeStart,
          source: text.slice(p, lexed.closeStart).trim(),
        });
        i = textStart = lexed.end;
        trimNext = lexed.trimRight;
      } catch (e) {
        recover(e, close + 2);
      }
    } else i = j + 1;
  }
  flush(text.length, false);
  return build(text, items, errors) ?? empty;
}

const END_OF: Record<string, string> = { if: 'endif', for: 'endfor', filter: 'endfilter', macro: 'endmacro' };

/** Nests tags into blocks. */
function build(source: string, items: Item[], errors?: Failure[]): Template | undefined {
  const exprs: ExprSegment[] = [];
  const locals = new Set<string>();
  const macros = new Map<string, Macro>();
  let pos = 0;

  const tagExpr = (tag: TagItem, tokens: Token[], what: string): ExprSegment => {
    if (tokens.length === 0) fail('syntax', `{% ${tag.name} %} needs ${what}`, tag.start);
    const node = parseTokens(tokens, tag.closeStart);
    checkNode(node);
    const segment: ExprSegment = { kind: 'expr', node, start: tag.start, end: tag.end, source: tag.source };
    exprs.push(segment);
    return segment;
  };
  const noArgs = (tag: TagItem) => {
    if (tag.tokens.length) fail('syntax', `{% ${tag.name} %} takes no arguments; found '${tag.tokens[0].value}'`, tag.tokens[0].start);
  };
  const identifier = (tag: TagItem, token: Token | undefined, what: string): string => {
    if (!token || token.type !== 'name') fail('syntax', `{% ${tag.name} %} needs ${what}`, token?.start ?? tag.start);
    return token.value;
  };

  /** Parses items until one of `stops` (a tag name); returns the body and the stopping tag. */
  let depth = 0;
  const body = (stops: string[], opener?: TagItem): { body: Body; stop?: TagItem } => {
    // Nesting is bounded so that neither this parser nor the renderer can overflow the stack.
    if (opener && ++depth > MAX_NESTING) fail('limit', `tags are nested more than ${MAX_NESTING} levels deep`, opener.start);
    try {
      return bodyItems(stops, opener);
    } finally {
      if (opener) depth--;
    }
  };
  const bodyItems = (stops: string[], opener?: TagItem): { body: Body; stop?: TagItem } => {
    const out: Body = [];
    while (pos < items.length) {
      const item = items[pos++];
      if (item.kind === 'text') {
        out.push(item);
        continue;
      }
      if (item.kind === 'expr') {
        exprs.push(item);
        out.push(item);
        continue;
      }
      if (stops.includes(item.name)) return { body: out, stop: item };
      const node = tag(item);
      if (node) out.push(node);
    }
    if (opener) fail('syntax', `{% ${opener.name} %} is not closed; add {% ${END_OF[opener.name]} %}`, opener.start);
    return { body: out };
  };

  const tag = (t: TagItem): BodyNode | undefined => {
    switch (t.name) {
      case 'if': {
        const branches: IfBlock['branches'] = [];
        let cond = tagExpr(t, t.tokens, 'a condition, e.g. {% if inputs.enabled %}');
        let otherwise: Body | undefined;
        let inElse = false;
        for (;;) {
          const part = body(['elseif', 'elif', 'else', 'endif'], t);
          const stop = part.stop!;
          if (inElse) {
            if (stop.name !== 'endif') fail('syntax', `{% ${stop.name} %} after {% else %}; close the if with {% endif %}`, stop.start);
            otherwise = part.body;
          } else branches.push({ cond, body: part.body });
          if (stop.name === 'endif') {
            noArgs(stop);
            break;
          }
          if (stop.name === 'else') {
            noArgs(stop);
            inElse = true;
          } else cond = tagExpr(stop, stop.tokens, 'a condition');
        }
        return otherwise ? { kind: 'if', branches, otherwise, start: t.start } : { kind: 'if', branches, start: t.start };
      }
      case 'for': {
        const name = identifier(t, t.tokens[0], 'a variable and a list: {% for item in list %}');
        const inToken = t.tokens[1];
        if (!inToken || inToken.type !== 'name' || inToken.value !== 'in') {
          fail('syntax', `{% for %} is written {% for ${name} in list %}`, inToken?.start ?? t.start);
        }
        const iterable = tagExpr(t, t.tokens.slice(2), 'a list after in');
        locals.add(name);
        locals.add('loop');
        const first = body(['else', 'endfor'], t);
        let otherwise: Body | undefined;
        if (first.stop!.name === 'else') {
          noArgs(first.stop!);
          otherwise = body(['endfor'], t).body;
        }
        return otherwise ? { kind: 'for', name, iterable, body: first.body, otherwise, start: t.start } : { kind: 'for', name, iterable, body: first.body, start: t.start };
      }
      case 'set': {
        const name = identifier(t, t.tokens[0], 'a name and a value: {% set name = value %}');
        const eq = t.tokens[1];
        if (!eq || eq.type !== 'op' || eq.value !== '=') fail('syntax', `{% set %} is written {% set ${name} = value %}`, eq?.start ?? t.start);
        locals.add(name);
        return { kind: 'set', name, value: tagExpr(t, t.tokens.slice(2), 'a value after =') };
      }
      case 'filter': {
        if (!t.tokens.length) fail('syntax', '{% filter %} needs a filter, e.g. {% filter upper %}', t.start);
        const at = t.tokens[0].start;
        const tokens: Token[] = [{ type: 'name', value: BODY_VARIABLE, start: at, end: at }, { type: 'op', value: '|', start: at, end: at }, ...t.tokens];
        const chain = tagExpr(t, tokens, 'a filter');
        return { kind: 'filter', chain, body: body(['endfilter'], t).body };
      }
      case 'macro': {
        const name = identifier(t, t.tokens[0], 'a name and parameters: {% macro name(a, b) %}');
        const node = parseTokens(t.tokens, t.closeStart);
        if (node.type !== 'call') fail('syntax', `{% macro %} is written {% macro ${name}(a, b='default') %}`, t.start);
        const params: string[] = [];
        const defaults: (ExprSegment | undefined)[] = [];
        for (const arg of node.args) {
          if (arg.name === undefined) {
            if (arg.value.type !== 'var') fail('syntax', 'macro parameters are names, optionally with a default: name=value', arg.value.start);
            params.push(arg.value.name);
            defaults.push(undefined);
          } else {
            checkNode(arg.value);
            params.push(arg.name);
            defaults.push({ kind: 'expr', node: arg.value, start: t.start, end: t.end, source: t.source });
          }
        }
        if (macros.has(name)) fail('syntax', `macro '${name}' is defined twice`, t.start);
        const macroBody = body(['endmacro'], t).body;
        for (const p of params) locals.add(p);
        macros.set(name, { name, params, defaults, body: macroBody, start: t.start });
        return undefined;
      }
      case 'else':
      case 'elseif':
      case 'elif':
      case 'endif':
      case 'endfor':
      case 'endfilter':
      case 'endmacro':
        fail('syntax', `{% ${t.name} %} without a matching opening tag`, t.start);
    }
    fail('syntax', `unknown tag {% ${t.name} %}; Baton supports if, elseif, else, for, set, filter, macro and raw`, t.start);
  };

  const out: Body = [];
  while (pos < items.length) {
    try {
      out.push(...body([]).body);
    } catch (e) {
      if (!errors || !(e instanceof Failure)) throw e;
      errors.push(e);
      return undefined;
    }
  }
  return { source, body: out, exprs, locals, macros };
}
