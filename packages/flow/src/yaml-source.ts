import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

export type PathSegment = string | number;

/** A problem found in a flow, pointing at the YAML that caused it. */
export interface FlowError {
  /** Dotted path such as `tasks[2].retry.maxAttempt`; empty for the whole document. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/**
 * Parsed YAML that remembers where every node came from, so validation errors found on the
 * plain JavaScript value can be reported at a line and column.
 */
export class YamlSource {
  readonly value: unknown;
  readonly syntaxErrors: FlowError[];
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(readonly text: string) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.syntaxErrors = this.doc.errors.map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return { path: '', line: pos.line, column: pos.col, message: `YAML syntax error: ${e.message.split('\n')[0]}` };
    });
    this.value = this.syntaxErrors.length ? undefined : this.toJS();
  }

  /**
   * The plain value. Aliases are expanded with a cap (the yaml package refuses documents whose
   * aliases would expand past it: a "billion laughs" bomb), and a document nested so deeply that
   * converting it exhausts the stack is refused too; both become errors at a line and column.
   */
  private toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      if (error instanceof RangeError) {
        this.syntaxErrors.push({ path: '', line: 1, column: 1, message: 'the YAML is nested too deeply to read; flatten it' });
        return undefined;
      }
      if (!/alias/i.test((error as Error).message)) throw error;
      let at = { line: 1, column: 1 };
      visit(this.doc, {
        Alias: (_key, node) => {
          if (node.range) at = this.position(node.range[0]);
          return visit.BREAK;
        },
      });
      this.syntaxErrors.push({ ...at, path: '', message: `YAML aliases expand too much (${(error as Error).message}); write the values out or use fewer aliases` });
      return undefined;
    }
  }

  /** Line and column of the node at `path`, or of its closest existing ancestor. */
  locate(path: readonly PathSegment[], preferKey = false): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let found: { line: number; column: number } = { line: 1, column: 1 };
    const at = (n: unknown) => {
      const range = (n as Node | undefined)?.range;
      return range ? this.position(range[0]) : undefined;
    };
    found = at(node) ?? found;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
        if (!pair) break;
        const isLast = i === path.length - 1;
        // For a wrong key the key itself is the useful place; for a wrong value, the value.
        const keyPos = at(pair.key);
        const valuePos = at(pair.value);
        found = (isLast && preferKey ? keyPos : (valuePos ?? keyPos)) ?? found;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!item) break;
        found = at(item) ?? found;
        node = item;
      } else {
        break;
      }
    }
    return found;
  }

  /** Offset inside the source of a scalar string at `path` (for expression errors). */
  scalarOffset(path: readonly PathSegment[]): number | undefined {
    const node = this.doc.getIn(path, true) as Node | undefined;
    return node?.range?.[0];
  }

  position(offset: number): { line: number; column: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  error(path: readonly PathSegment[], message: string, preferKey = false): FlowError {
    return { path: formatPath(path), ...this.locate(path, preferKey), message };
  }
}
