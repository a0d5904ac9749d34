import { fail } from './errors';
import { MAX_DATA_DEPTH } from './limits';
import { isDate, isPlainObject, itemAt, readOwn, setOwn, toText } from './values';

/**
 * YAML for Kestra's `yaml` filter (value → YAML text, like Jackson's YAML writer with minimal
 * quotes and indented arrays) and `yaml()` function (YAML text → value). Plain JS: the `yaml`
 * package cannot be imported by workflow code. The parser reads the block and flow styles flows
 * use (maps, lists, plain and quoted scalars, | and > blocks, comments); anchors, aliases, tags
 * and multiple documents are refused with a message.
 */

const PLAIN_UNSAFE =
  /^$|^[\s\-?:,[\]{}#&*!|>'"%@`]|[\s]$|: |\s#|^(?:true|false|yes|no|on|off|y|n|null|~)$|^[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?$|^[-+]?\.(?:inf|nan)$|^0x|^0o|[\n\r\t\u0000-\u001f]/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value !== value ? '.NaN' : value > 0 ? '.inf' : '-.inf';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = isDate(value) ? toText(value) : String(value);
  return PLAIN_UNSAFE.test(text) ? JSON.stringify(text) : text;
}

export function toYaml(value: unknown): string {
  const lines: string[] = [];
  const walk = (v: unknown, indent: string, depth: number): void => {
    if (depth > MAX_DATA_DEPTH) fail('limit', `the value is nested more than ${MAX_DATA_DEPTH} levels deep`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) item(itemAt(v, i), `${indent} - `, `${indent}   `, depth);
    } else if (isPlainObject(v)) {
      for (const key of Object.keys(v)) {
        const r = readOwn(v, key);
        entry(scalar(key), r.found ? r.value : null, indent, depth);
      }
    }
  };
  const isBlock = (v: unknown) => (Array.isArray(v) && v.length > 0) || (isPlainObject(v) && Object.keys(v).length > 0);
  const inline = (v: unknown) => (Array.isArray(v) ? '[]' : isPlainObject(v) ? '{}' : scalar(v));
  const entry = (key: string, v: unknown, indent: string, depth: number) => {
    if (!isBlock(v)) lines.push(`${indent}${key}: ${inline(v)}`);
    else {
      lines.push(`${indent}${key}:`);
      walk(v, Array.isArray(v) ? indent : `${indent}  `, depth + 1);
    }
  };
  const item = (v: unknown, first: string, rest: string, depth: number) => {
    if (!isBlock(v)) return lines.push(`${first}${inline(v)}`);
    const start = lines.length;
    walk(v, rest, depth + 1);
    // The first line of a nested block goes right after the dash.
    lines[start] = first + lines[start].slice(rest.length);
  };
  if (!isBlock(value)) return `${inline(value)}\n`;
  walk(value, '', 0);
  return `${lines.join('\n')}\n`;
}

interface Line {
  indent: number;
  text: string;
  number: number;
}

export function parseYaml(source: string): unknown {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    if (/^(---|\.\.\.)\s*$/.test(raw)) {
      if (lines.length) fail('type', 'yaml() reads one YAML document; this text has several');
      return;
    }
    const text = stripComment(raw).replace(/\s+$/, '');
    if (text.trim() === '') {
      lines.push({ indent: -1, text: '', number: i + 1 });
      return;
    }
    if (/^\t/.test(raw)) fail('type', `YAML line ${i + 1} is indented with a tab; use spaces`);
    lines.push({ indent: raw.length - raw.trimStart().length, text: text.trim(), number: i + 1 });
  });
  let pos = 0;
  const skipBlank = () => {
    while (pos < lines.length && lines[pos].indent < 0) pos++;
  };

  const block = (indent: number, depth: number): unknown => {
    if (depth > MAX_DATA_DEPTH) fail('limit', `the YAML is nested more than ${MAX_DATA_DEPTH} levels deep`);
    skipBlank();
    if (pos >= lines.length) return null;
    const line = lines[pos];
    if (line.text.startsWith('- ') || line.text === '-') return sequence(line.indent, depth);
    if (mapKey(line.text)) return mapping(line.indent, depth);
    pos++;
    return value(line.text, line, indent, depth);
  };

  const sequence = (indent: number, depth: number): unknown[] => {
    const out: unknown[] = [];
    for (;;) {
      skipBlank();
      const line = lines[pos];
      if (!line || line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) return out;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        pos++;
        out.push(nested(indent, depth));
      } else {
        // "- key: v" starts a map whose keys line up after the dash.
        const inner = indent + (line.text.length - rest.length);
        lines[pos] = { indent: inner, text: rest, number: line.number };
        out.push(rest.startsWith('- ') || mapKey(rest) ? block(inner, depth + 1) : (pos++, value(rest, line, inner, depth)));
      }
    }
  };

  const mapping = (indent: number, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (;;) {
      skipBlank();
      const line = lines[pos];
      if (!line || line.indent !== indent) return out;
      const key = mapKey(line.text);
      if (!key) fail('type', `YAML line ${line.number}: expected 'key: value'`);
      if (key.key === '<<') fail('type', `YAML line ${line.number}: merge keys (<<) are not supported`);
      pos++;
      const rest = key.rest;
      const v = rest === '' ? nested(indent, depth, true) : value(rest, line, indent, depth);
      setOwn(out, key.key, v);
    }
  };

  /** The block under a `key:` or `-` line: more indented, or a list at the same indent under a key. */
  const nested = (indent: number, depth: number, underKey = false): unknown => {
    skipBlank();
    const next = lines[pos];
    if (!next) return null;
    if (next.indent > indent || (underKey && next.indent === indent && (next.text.startsWith('- ') || next.text === '-'))) return block(next.indent, depth + 1);
    return null;
  };

  const value = (text: string, line: Line, indent: number, depth: number): unknown => {
    if (/^[&*!]/.test(text)) fail('type', `YAML line ${line.number}: anchors, aliases and tags are not supported`);
    if (/^[|>][-+]?\d*$/.test(text)) return blockScalar(text, indent);
    if (text.startsWith('[') || text.startsWith('{')) {
      // A flow collection may continue on the following lines.
      let flow = text;
      while (!balanced(flow) && pos < lines.length) flow += ` ${lines[pos++].text}`;
      const parser = new FlowParser(flow, line.number);
      const v = parser.value(depth);
      parser.end();
      return v;
    }
    if (text.startsWith('"') || text.startsWith("'")) {
      const parser = new FlowParser(text, line.number);
      const v = parser.value(depth);
      parser.end();
      return v;
    }
    // Plain multi-line scalars: continuation lines more indented than the key.
    let plain = text;
    while (pos < lines.length && lines[pos].indent > indent && !mapKey(lines[pos].text)) plain += ` ${lines[pos++].text}`;
    return resolvePlain(plain);
  };

  const blockScalar = (header: string, indent: number): string => {
    const folded = header[0] === '>';
    const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
    const raw = source.split(/\r?\n/);
    const body: string[] = [];
    let blockIndent = -1;
    while (pos < lines.length) {
      const line = lines[pos];
      const original = raw[line.number - 1];
      if (line.indent >= 0 && line.indent <= indent) break;
      if (original.trim() !== '' && blockIndent < 0) blockIndent = original.length - original.trimStart().length;
      body.push(original);
      pos++;
    }
    const content = body.map((l) => l.slice(Math.max(0, blockIndent)));
    let text = folded ? content.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : content.join('\n');
    if (chomp === 'strip') text = text.replace(/\n+$/, '');
    else if (chomp === 'clip') text = text.replace(/\n+$/, '') + '\n';
    else text += '\n';
    return text;
  };

  const result = block(0, 0);
  skipBlank();
  if (pos < lines.length) fail('type', `YAML line ${lines[pos].number}: unexpected indentation`);
  return result;
}

function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[{,-]/.test(line[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

function mapKey(text: string): { key: string; rest: string } | undefined {
  let key: string;
  let rest: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const parser = new FlowParser(text, 0);
    let k: unknown;
    try {
      k = parser.quoted();
    } catch {
      return undefined;
    }
    const after = text.slice(parser.pos);
    const m = /^\s*:(\s+|$)/.exec(after);
    if (!m) return undefined;
    key = String(k);
    rest = after.slice(m[0].length).trim();
  } else {
    const m = /^([^\s[\]{},#&*!|>'"%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(\s+|$)/.exec(text);
    if (!m) return undefined;
    key = m[1];
    rest = text.slice(m[0].length).trim();
  }
  return { key, rest };
}

function balanced(text: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth <= 0;
}

function resolvePlain(text: string): unknown {
  if (/^(?:null|Null|NULL|~)$/.test(text) || text === '') return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

class FlowParser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly line: number,
  ) {}

  private error(message: string): never {
    fail('type', `YAML line ${this.line}: ${message}`);
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  end(): void {
    this.space();
    if (this.pos < this.text.length) this.error(`unexpected '${this.text.slice(this.pos, this.pos + 10)}' after the value`);
  }

  value(depth: number): unknown {
    if (depth > MAX_DATA_DEPTH) fail('limit', `the YAML is nested more than ${MAX_DATA_DEPTH} levels deep`);
    this.space();
    const c = this.text[this.pos];
    if (c === '[') {
      this.pos++;
      const out: unknown[] = [];
      for (;;) {
        this.space();
        if (this.text[this.pos] === ']') {
          this.pos++;
          return out;
        }
        out.push(this.value(depth + 1));
        this.space();
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] !== ']') this.error("expected ',' or ']' in a flow list");
      }
    }
    if (c === '{') {
      this.pos++;
      const out: Record<string, unknown> = {};
      for (;;) {
        this.space();
        if (this.text[this.pos] === '}') {
          this.pos++;
          return out;
        }
        const key = this.text[this.pos] === '"' || this.text[this.pos] === "'" ? String(this.quoted()) : this.plain(true);
        this.space();
        if (this.text[this.pos] !== ':') this.error("expected ':' in a flow map");
        this.pos++;
        setOwn(out, key, this.value(depth + 1));
        this.space();
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] !== '}') this.error("expected ',' or '}' in a flow map");
      }
    }
    if (c === '"' || c === "'") return this.quoted();
    return resolvePlain(this.plain(false));
  }

  quoted(): string {
    const q = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (q === "'" && c === "'") {
        if (this.text[this.pos] === "'") {
          out += "'";
          this.pos++;
          continue;
        }
        return out;
      }
      if (q === '"' && c === '"') return out;
      if (q === '"' && c === '\\') {
        const e = this.text[this.pos++];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', ' ': ' ' };
        if (e in simple) out += simple[e];
        else if (e === 'u' || e === 'x') {
          const width = e === 'u' ? 4 : 2;
          const hex = this.text.slice(this.pos, this.pos + width);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) this.error('invalid escape in a double-quoted string');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += width;
        } else this.error(`unknown escape \\${e} in a double-quoted string`);
        continue;
      }
      out += c;
    }
    this.error(`a ${q === '"' ? 'double' : 'single'}-quoted string is not closed`);
  }

  private plain(key: boolean): string {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === ',' || c === ']' || c === '}' || (key && c === ':')) break;
      if (c === ':' && /\s/.test(this.text[this.pos + 1] ?? ' ')) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos).trim();
  }
}
