/** Parsed expression tree. `start`/`end` are offsets into the template, for errors and analysis. */
export type Node =
  /** `double`: a number written with a decimal point or exponent, printed as Java prints a double. */
  | { type: 'literal'; value: unknown; double?: boolean; start: number; end: number }
  | { type: 'list'; items: Node[]; start: number; end: number }
  | { type: 'map'; entries: { key: Node; value: Node }[]; start: number; end: number }
  | { type: 'var'; name: string; start: number; end: number }
  /** `a.b` (key is a string literal), `a[expr]` */
  | { type: 'member'; object: Node; key: Node; start: number; end: number }
  | { type: 'call'; name: string; args: Arg[]; start: number; end: number }
  | { type: 'filter'; input: Node; name: string; nameStart: number; args: Arg[]; start: number; end: number }
  | { type: 'test'; input: Node; name: string; negated: boolean; start: number; end: number }
  | { type: 'unary'; op: UnaryOp; operand: Node; start: number; end: number }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node; opStart: number; start: number; end: number }
  | { type: 'ternary'; cond: Node; then: Node; otherwise: Node; start: number; end: number };

export interface Arg {
  /** Named argument (`date(format='yyyy')`), else positional. */
  name?: string;
  value: Node;
}

export type UnaryOp = 'not' | '-' | '+';
export type BinaryOp =
  'or' | 'and' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in' | 'contains' | 'isIn' | 'notIn' | '+' | '-' | '*' | '/' | '//' | '%' | '~' | '??' | '???' | '..';

export function children(node: Node): Node[] {
  switch (node.type) {
    case 'literal':
    case 'var':
      return [];
    case 'list':
      return node.items;
    case 'map':
      return node.entries.flatMap((e) => [e.key, e.value]);
    case 'member':
      return [node.object, node.key];
    case 'call':
      return node.args.map((a) => a.value);
    case 'filter':
      return [node.input, ...node.args.map((a) => a.value)];
    case 'test':
      return [node.input];
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'ternary':
      return [node.cond, node.then, node.otherwise];
  }
}

/** Visits every node, parents before children. */
export function walk(node: Node, visit: (node: Node) => void): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    visit(n);
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}
