// A small XML reader for vim25 SOAP answers: elements, attributes, text and the five entities. The
// answers are machine-written and well-formed; anything else fails with the offset of the problem.

export interface XmlElement {
  /** Local name (the namespace prefix is dropped: vim25 answers use one namespace). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const top = stack[stack.length - 1]!;
    const between = source.slice(last, m.index);
    if (between.includes('<')) throw new Error(`malformed XML near offset ${last + between.indexOf('<')}`);
    top.text += decodeEntities(between);
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      top.text += m[5];
      continue;
    }
    if (!m[2]) continue; // declaration or comment
    const name = localName(m[2]);
    if (m[1]) {
      if (top.name !== name) throw new Error(`malformed XML: </${m[2]}> closes <${top.name}> at offset ${m.index}`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[localName(a[1]!)] = decodeEntities(a[2] ?? a[3] ?? '');
    const el: XmlElement = { name, attrs, children: [], text: '' };
    top.children.push(el);
    if (!m[4]) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`malformed XML: <${stack[stack.length - 1]!.name}> is never closed`);
  return root;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Text of a descendant reached by names, e.g. textAt(info, 'error', 'localizedMessage'). */
export function textAt(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let cur = el;
  for (const name of path) cur = child(cur, name);
  return cur?.text.trim();
}

/** `<tag>` … `</tag>` with escaped text; undefined values are left out (optional SOAP arguments). */
export function element(name: string, value: string | number | boolean | undefined, attrs: Record<string, string> = {}): string {
  if (value === undefined) return '';
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return `<${name}${a}>${typeof value === 'string' ? escapeXml(value) : String(value)}</${name}>`;
}
