import type { Arg, BinaryOp, Node } from './ast';
import { children } from './ast';
import { fail } from './errors';
import type { Token } from './lexer';
import { MAX_AST_DEPTH, MAX_NESTING } from './limits';

/**
 * Binding strength of binary operators, Pebble's table (higher binds tighter): filters `|` bind
 * tighter than arithmetic (`a - b | abs` is `a - (b | abs)`), `~` tighter than filters and
 * arithmetic (`'a' ~ b | upper` upper-cases the whole text; `'n=' ~ 1 + 2` is `('n=' ~ 1) + 2`),
 * Kestra's `??` and `???` tighter still; tests (`is`) bind loosely, like `contains`.
 * One deliberate difference: Pebble's `not` takes only the next operand, so `not a == b` is
 * `(not a) == b` and `not x is defined` fails when x is missing. Here `not` applies to a whole
 * comparison or test but not to `and`/`or` (as in Jinja and Python): `not a == b and c` is
 * `(not (a == b)) and c`.
 */
const BINARY_PRECEDENCE: Record<string, number> = {
  or: 10,
  '||': 10,
  and: 15,
  '&&': 15,
  contains: 20,
  is: 20,
  '==': 30,
  equals: 30,
  '!=': 30,
  '<': 30,
  '>': 30,
  '<=': 30,
  '>=': 30,
  in: 30,
  'not in': 30,
  isIn: 30,
  notIn: 30,
  '+': 40,
  '-': 40,
  '*': 60,
  '/': 60,
  '//': 60,
  '%': 60,
  '|': 100,
  '~': 110,
  '??': 120,
  '???': 120,
  '..': 120,
};
// `equals` is Pebble's word for `==` (Kestra's FlowInputOutputTest conditions use it).
const ALIASES: Record<string, BinaryOp> = { '||': 'or', '&&': 'and', equals: '==' };
/** Operand of `not` binds everything from `is`/`contains` up: `not a == b` is `not (a == b)`. */
const NOT_OPERAND_PRECEDENCE = 20;
/** Operand of unary minus is a single postfix expression: `-x | abs` is `(-x) | abs`. */
const SIGN_OPERAND_PRECEDENCE = 500;
const WORD_OPERATORS = new Set(['or', 'and', 'contains', 'in', 'is', 'not', 'isIn', 'notIn', 'equals']);

export function parseTokens(tokens: Token[], endOffset: number): Node {
  const parser = new Parser(tokens, endOffset);
  const node = parser.parseExpression();
  parser.expectEnd();
  checkDepth(node, 0);
  return node;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly endOffset: number,
  ) {}

  parseExpression(): Node {
    this.enter();
    const cond = this.parseBinary(0);
    let node = cond;
    if (this.isOp('?')) {
      this.pos++;
      const then = this.parseExpression();
      this.expectOp(':', "the ternary operator needs both branches: 'condition ? then : else'");
      const otherwise = this.parseExpression();
      node = { type: 'ternary', cond, then, otherwise, start: cond.start, end: otherwise.end };
    }
    this.depth--;
    return node;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) fail('syntax', `unexpected '${t.value}'; expected an operator or the end of the expression`, t.start);
  }

  private parseBinary(minPrecedence: number): Node {
    let left = this.parseUnary();
    for (;;) {
      const op = this.peekBinary();
      if (!op || BINARY_PRECEDENCE[op.text] < minPrecedence) return left;
      const opToken = this.tokens[this.pos];
      this.pos += op.width;
      if (op.text === '|') left = this.parseFilter(left);
      else if (op.text === 'is') left = this.parseTest(left);
      else {
        const right = this.parseBinary(BINARY_PRECEDENCE[op.text] + 1);
        const operator = (ALIASES[op.text] ?? op.text) as BinaryOp;
        left = { type: 'binary', op: operator, left, right, opStart: opToken.start, start: left.start, end: right.end };
      }
    }
  }

  private peekBinary(): { text: string; width: number } | undefined {
    const t = this.peek();
    if (!t) return undefined;
    if (t.type === 'op' && t.value in BINARY_PRECEDENCE) return { text: t.value, width: 1 };
    if (t.type === 'name' && WORD_OPERATORS.has(t.value)) {
      if (t.value === 'not') {
        const next = this.tokens[this.pos + 1];
        return next && next.type === 'name' && next.value === 'in' ? { text: 'not in', width: 2 } : undefined;
      }
      return { text: t.value, width: 1 };
    }
    return undefined;
  }

  private parseUnary(): Node {
    const t = this.peek();
    if (t && ((t.type === 'name' && t.value === 'not') || (t.type === 'op' && (t.value === '!' || t.value === '-' || t.value === '+')))) {
      this.enter();
      this.pos++;
      const isNot = t.value === 'not' || t.value === '!';
      const operand = this.parseBinary(isNot ? NOT_OPERAND_PRECEDENCE : SIGN_OPERAND_PRECEDENCE);
      this.depth--;
      // Fold `-5` into a literal so that `[-1]` and findReferences see a constant.
      if (t.value === '-' && operand.type === 'literal' && typeof operand.value === 'number') {
        return { type: 'literal', value: -operand.value, ...(operand.double ? { double: true } : {}), start: t.start, end: operand.end };
      }
      return { type: 'unary', op: isNot ? 'not' : (t.value as '-' | '+'), operand, start: t.start, end: operand.end };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Node {
    const t = this.next('a value');
    switch (t.type) {
      case 'number':
        return /[.eE]/.test(t.value)
          ? { type: 'literal', value: t.number, double: true, start: t.start, end: t.end }
          : { type: 'literal', value: t.number, start: t.start, end: t.end };
      case 'string':
        return { type: 'literal', value: t.value, start: t.start, end: t.end };
      case 'name': {
        if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true', start: t.start, end: t.end };
        if (t.value === 'null' || t.value === 'none') return { type: 'literal', value: null, start: t.start, end: t.end };
        if (this.isOp('(')) {
          const { args, end } = this.parseArgs();
          return { type: 'call', name: t.value, args, start: t.start, end };
        }
        return { type: 'var', name: t.value, start: t.start, end: t.end };
      }
      case 'op':
        if (t.value === '(') {
          const inner = this.parseExpression();
          this.expectOp(')', "add ')'");
          return inner;
        }
        if (t.value === '[') return this.parseList(t);
        if (t.value === '{') return this.parseMap(t);
    }
    fail('syntax', `unexpected '${t.value}'; expected a value (a name, text in quotes, a number, a list or a map)`, t.start);
  }

  private parsePostfix(node: Node): Node {
    for (;;) {
      const t = this.peek();
      if (!t || t.type !== 'op') return node;
      if (t.value === '.') {
        this.pos++;
        const key = this.next('a property name');
        if (key.type !== 'name' && key.type !== 'number') {
          fail('syntax', `expected a property name after '.', found '${key.value}'`, key.start);
        }
        const value = key.type === 'number' ? key.number : key.value;
        node = { type: 'member', object: node, key: { type: 'literal', value, start: key.start, end: key.end }, start: node.start, end: key.end };
      } else if (t.value === '[') {
        this.pos++;
        const key = this.parseExpression();
        const close = this.expectOp(']', "add ']'");
        node = { type: 'member', object: node, key, start: node.start, end: close.end };
      } else if (t.value === '(') {
        // Pebble lets templates call Java methods on values; that is how template injection
        // becomes code execution. Here only named functions can be called.
        fail('sandbox', "methods of values cannot be called; only functions such as now() or secret('NAME') and filters (value | upper) can", t.start);
      } else return node;
    }
  }

  private parseFilter(input: Node): Node {
    const name = this.next('a filter name after |');
    if (name.type !== 'name') fail('syntax', `expected a filter name after '|', found '${name.value}'`, name.start);
    let args: Arg[] = [];
    let end = name.end;
    if (this.isOp('(')) ({ args, end } = this.parseArgs());
    return { type: 'filter', input, name: name.value, nameStart: name.start, args, start: input.start, end };
  }

  private parseTest(input: Node): Node {
    let negated = false;
    let name = this.next("a test name after 'is'");
    if (name.type === 'name' && name.value === 'not') {
      negated = true;
      name = this.next("a test name after 'is not'");
    }
    if (name.type !== 'name') fail('syntax', `expected a test name such as 'defined' or 'empty', found '${name.value}'`, name.start);
    return { type: 'test', input, name: name.value, negated, start: input.start, end: name.end };
  }

  private parseArgs(): { args: Arg[]; end: number } {
    this.expectOp('(', '');
    const args: Arg[] = [];
    while (!this.isOp(')')) {
      const t = this.peek();
      const next = this.tokens[this.pos + 1];
      if (t && t.type === 'name' && next && next.type === 'op' && next.value === '=') {
        this.pos += 2;
        if (args.some((a) => a.name === t.value)) fail('syntax', `argument '${t.value}' is given twice`, t.start);
        args.push({ name: t.value, value: this.parseExpression() });
      } else {
        if (args.some((a) => a.name)) fail('syntax', 'positional arguments must come before named ones', t?.start ?? this.endOffset);
        args.push({ value: this.parseExpression() });
      }
      if (!this.isOp(',')) break;
      this.pos++;
    }
    const close = this.expectOp(')', "separate arguments with ',' and close the call with ')'");
    return { args, end: close.end };
  }

  private parseList(open: Token): Node {
    this.enter();
    const items: Node[] = [];
    while (!this.isOp(']')) {
      items.push(this.parseExpression());
      if (!this.isOp(',')) break;
      this.pos++;
    }
    const close = this.expectOp(']', "separate items with ',' and close the list with ']'");
    this.depth--;
    return { type: 'list', items, start: open.start, end: close.end };
  }

  private parseMap(open: Token): Node {
    this.enter();
    const entries: { key: Node; value: Node }[] = [];
    while (!this.isOp('}')) {
      const k = this.next('a map key');
      let key: Node;
      // Bare names are keys, as in Twig: {a: 1} is {'a': 1}. Use ('a' ~ x) for computed keys.
      if (k.type === 'name' || k.type === 'string') key = { type: 'literal', value: k.value, start: k.start, end: k.end };
      else if (k.type === 'number') key = { type: 'literal', value: k.value, start: k.start, end: k.end };
      else if (k.value === '(') {
        key = this.parseExpression();
        this.expectOp(')', "add ')'");
      } else fail('syntax', `expected a map key (a name or text in quotes), found '${k.value}'`, k.start);
      this.expectOp(':', "map entries are written key: value, e.g. {'name': 'web'}");
      entries.push({ key, value: this.parseExpression() });
      if (!this.isOp(',')) break;
      this.pos++;
    }
    const close = this.expectOp('}', "separate entries with ',' and close the map with '}'");
    this.depth--;
    return { type: 'map', entries, start: open.start, end: close.end };
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      fail('limit', `the expression is nested more than ${MAX_NESTING} levels deep`, this.peek()?.start ?? this.endOffset);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(expected: string): Token {
    const t = this.tokens[this.pos++];
    if (!t) fail('syntax', `the expression ends too early; expected ${expected}`, this.endOffset);
    return t;
  }

  private isOp(value: string): boolean {
    const t = this.tokens[this.pos];
    return !!t && t.type === 'op' && t.value === value;
  }

  private expectOp(value: string, hint: string): Token {
    const t = this.tokens[this.pos];
    if (!t || t.type !== 'op' || t.value !== value) {
      const found = t ? `'${t.value}'` : 'the end of the expression';
      fail('syntax', `expected '${value}' but found ${found}${hint ? `; ${hint}` : ''}`, t?.start ?? this.endOffset);
    }
    this.pos++;
    return t;
  }
}

/** Bounds the tree depth so that evaluation can never overflow the stack. */
function checkDepth(node: Node, depth: number): void {
  if (depth > MAX_AST_DEPTH) {
    fail('limit', `the expression is too complex (more than ${MAX_AST_DEPTH} nested operations); split it up`, node.start);
  }
  for (const child of children(node)) checkDepth(child, depth + 1);
}
