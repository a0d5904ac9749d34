// A small XML parser that keeps line and column of every element, so an error in a domain
// definition points at its line. It covers what libvirt's XML uses: elements, attributes, text,
// comments, CDATA, the XML declaration and processing instructions, and the predefined and numeric
// entities. A DOCTYPE is refused (libvirt does not use one, and it would allow entity tricks).
// Zod-free and I/O-free: the definitions (web app) may import it too.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (concatenated, not trimmed). */
  text: string;
  line: number;
  column: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let pos = 0;
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const where = (at: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo] + 1 };
  };
  const fail = (reason: string, at = pos): never => {
    const { line, column } = where(at);
    throw new XmlSyntaxError(reason, line, column);
  };
  const decode = (raw: string, at: number) =>
    raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (match, entity: string | undefined, offset: number) => {
      if (!entity) return fail("'&' must start an entity such as &amp;", at + offset);
      if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
      return ENTITIES[entity] ?? fail(`unknown entity &${entity};`, at + offset);
    });
  const readName = () => {
    NAME.lastIndex = pos;
    const m = NAME.exec(source);
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos])) pos++;
  };
  /** Skips comments, processing instructions and white space between markup. */
  const skipMisc = (allowText: boolean): void => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('comment is not closed (-->)');
        pos = end + 3;
      } else if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos + 2);
        if (end < 0) fail('processing instruction is not closed (?>)');
        pos = end + 2;
      } else if (source.startsWith('<!DOCTYPE', pos)) {
        fail('a DOCTYPE is not allowed in a domain definition');
      } else if (!allowText && pos < source.length && source[pos] !== '<') {
        fail('text outside the root element');
      } else return;
    }
  };

  const parseElement = (): XmlElement => {
    const start = pos;
    pos++; // '<'
    const name = readName();
    const { line, column } = where(start);
    const el: XmlElement = { name, attrs: {}, children: [], text: '', line, column };
    for (;;) {
      const before = pos;
      skipSpace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      if (pos >= source.length) fail(`element <${name}> is not closed`, start);
      if (pos === before) fail(`expected white space, '>' or '/>' in <${name}>`);
      const attrAt = pos;
      const attr = readName();
      skipSpace();
      if (source[pos] !== '=') fail(`attribute ${attr} of <${name}> needs a value (${attr}="...")`);
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail(`the value of attribute ${attr} must be quoted`);
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail(`the value of attribute ${attr} is not closed`);
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail(`'<' is not allowed in the value of attribute ${attr}`, pos + 1 + raw.indexOf('<'));
      if (attr in el.attrs) fail(`attribute ${attr} appears twice in <${name}>`, attrAt);
      el.attrs[attr] = decode(raw, pos + 1);
      pos = end + 1;
    }
    // Content: text, children, comments, CDATA, until the matching close tag.
    for (;;) {
      if (pos >= source.length) fail(`element <${name}> opened here is never closed (</${name}>)`, start);
      if (source.startsWith('</', pos)) {
        const closeAt = pos;
        pos += 2;
        const closing = readName();
        skipSpace();
        if (source[pos] !== '>') fail(`expected '>' after </${closing}`);
        pos++;
        if (closing !== name) fail(`</${closing}> does not close <${name}> (opened at line ${line}, column ${column})`, closeAt);
        return el;
      }
      if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos + 4);
        if (end < 0) fail('comment is not closed (-->)');
        pos = end + 3;
      } else if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos + 9);
        if (end < 0) fail('CDATA section is not closed (]]>)');
        el.text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos + 2);
        if (end < 0) fail('processing instruction is not closed (?>)');
        pos = end + 2;
      } else if (source[pos] === '<') {
        el.children.push(parseElement());
      } else {
        const next = source.indexOf('<', pos);
        const end = next < 0 ? source.length : next;
        el.text += decode(source.slice(pos, end), pos);
        pos = end;
      }
    }
  };

  if (source.charCodeAt(0) === 0xfeff) pos = 1;
  skipMisc(false);
  if (source[pos] !== '<') fail(pos >= source.length ? 'the document is empty' : 'expected the root element');
  const root = parseElement();
  skipMisc(false);
  if (pos < source.length) fail('only one root element is allowed');
  return root;
}

/** First child element called `name`. */
export const child = (el: XmlElement | undefined, name: string) => el?.children.find((c) => c.name === name);
export const children = (el: XmlElement | undefined, name: string) => el?.children.filter((c) => c.name === name) ?? [];
export const textOf = (el: XmlElement | undefined) => el?.text.trim() ?? '';

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** Writes an element tree back as XML (indented; text-only elements stay on one line). */
export function serializeXml(el: XmlElement, indent = ''): string {
  const attrs = Object.entries(el.attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  const text = el.text.trim();
  if (!el.children.length && !text) return `${indent}<${el.name}${attrs}/>`;
  if (!el.children.length) return `${indent}<${el.name}${attrs}>${escapeText(text)}</${el.name}>`;
  const inner = el.children.map((c) => serializeXml(c, `${indent}  `)).join('\n');
  return `${indent}<${el.name}${attrs}>${text ? escapeText(text) : ''}\n${inner}\n${indent}</${el.name}>`;
}
