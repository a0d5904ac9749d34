import { afterEach, describe, expect, it } from 'vitest';
import { checkSyntax, evaluate, render } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const ctx = kestraContext();

afterEach(() => {
  // Nothing an expression does may reach Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
});

describe('known template-injection escapes fail cleanly', () => {
  it.each([
    ["{{ constructor.constructor('return process')() }}", 'sandbox'],
    ["{{ inputs.constructor.constructor('return process')() }}", 'sandbox'],
    ["{{ ''.constructor }}", 'sandbox'],
    ["{{ {}['__proto__'] }}", 'sandbox'],
    ['{{ inputs.__proto__.polluted }}', 'sandbox'],
    ["{{ inputs['__proto__'] }}", 'sandbox'],
    ["{{ inputs['__pro' ~ 'to__'] }}", 'sandbox'],
    ["{{ inputs['constr' ~ 'uctor'] }}", 'sandbox'],
    ['{{ inputs.list.constructor }}', 'sandbox'],
    ['{{ inputs.__defineGetter__ }}', 'sandbox'],
    ["{{ {'__proto__': {'polluted': 1}} }}", 'sandbox'],
    ["{{ {('__pro' ~ 'to__'): {'polluted': 1}} }}", 'sandbox'],
    ['{{ inputs.name.toUpperCase() }}', 'sandbox'],
    ['{{ this }}', 'missing'],
    ['{{ globalThis.process }}', 'missing'],
    ['{{ process.env }}', 'missing'],
    ["{{ Function('return 1')() }}", 'sandbox'],
    ["{{ Function('return 1') }}", 'function'],
    ['{{ toString() }}', 'function'],
    ['{{ hasOwnProperty() }}', 'function'],
    ['{{ constructor() }}', 'function'],
    ["{{ require('fs') }}", 'function'],
    ["{{ eval('1') }}", 'function'],
  ])('%s → %s', (template, kind) => {
    const error = expressionError(() => render(template, ctx, { functions: {} }));
    expect(error.kind).toBe(kind);
  });

  it('explains why a forbidden key is refused', () => {
    expect(expressionError(() => render('{{ inputs.__proto__.polluted }}', ctx)).message).toBe("'__proto__' cannot be accessed from expressions (it leads to code, not data)");
  });

  it('reports forbidden literal keys at save time too', () => {
    expect(checkSyntax('{{ inputs.__proto__ }}')).toEqual([{ message: expect.stringContaining("'__proto__' cannot be accessed"), offset: 10 }]);
  });

  it('a JSON document with a __proto__ key stays data and pollutes nothing', () => {
    const polluter = '\'{"__proto__": {"polluted": 1}, "ok": 2}\'';
    const parsed = evaluate(`fromJson(${polluter})`, ctx) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(evaluate(`fromJson(${polluter}).ok`, ctx)).toBe(2);
    expect(expressionError(() => evaluate(`fromJson(${polluter})['__proto__']`, ctx)).kind).toBe('sandbox');
    const merged = evaluate(`{'a': 1} | merge(fromJson(${polluter}))`, ctx) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.ok).toBe(2);
    const jq = evaluate(`fromJson(${polluter}) | jq('{"__proto__": {"polluted": 1}}') | first`, ctx) as Record<string, unknown>;
    expect(Object.getPrototypeOf(jq)).toBe(Object.prototype);
  });
});

describe('names that exist on Object.prototype', () => {
  it.each([
    ["'2024-01-01' | date('constructor')", "uses 'c'"],
    ["'2024-01-01' | dateAdd(1, 'constructor')", "unknown date unit 'constructor'"],
    ["x | jq('constructor')", "unknown function 'constructor'"],
    ["x | jq('.constructor') | first", null],
    ['1 | constructor', "unknown filter 'constructor'"],
    ['1 is toString', "unknown test 'toString'"],
  ])('%s', (expression, expected) => {
    const run = () => evaluate(expression, { x: {} });
    if (expected === null) expect(run()).toBeNull();
    else expect(expressionError(run).message).toContain(expected);
  });
});

describe('values that are not plain data', () => {
  it('never invokes getters', () => {
    let called = false;
    const inputs = {
      plain: 1,
      get token() {
        called = true;
        return 'leaked';
      },
    };
    const error = expressionError(() => render('{{ inputs.token }}', { inputs }));
    expect(error.kind).toBe('sandbox');
    expect(error.message).toContain('computed property (a getter)');
    expect(expressionError(() => render('{{ inputs | toJson }}', { inputs })).kind).toBe('sandbox');
    expect(called).toBe(false);
    expect(render('{{ inputs.plain }}', { inputs })).toBe(1);
  });

  it('refuses properties of class instances, maps and functions', () => {
    class Client {
      secret = 'x';
    }
    const context = { client: new Client(), map: new Map([['a', 1]]), fn: () => 1, when: new Date('2024-05-31T12:00:00Z') };
    expect(expressionError(() => render('{{ client.secret }}', context)).message).toContain('client is an object; expressions can only read properties of maps and lists');
    expect(expressionError(() => render("{{ map['a'] }}", context)).kind).toBe('sandbox');
    expect(expressionError(() => render('{{ fn.call }}', context)).kind).toBe('sandbox');
    expect(expressionError(() => render('{{ fn }}', context)).message).toContain('is a function, not a value');
    expect(expressionError(() => render('x{{ fn }}', context)).message).toContain('a function cannot be converted to JSON');
    // Dates are values: they render as ISO 8601 but expose no methods.
    expect(render('at {{ when }}', context)).toBe('at 2024-05-31T12:00:00.000Z');
    expect(expressionError(() => render('{{ when.getTime }}', context)).kind).toBe('sandbox');
  });

  it('functions in the context are not callable', () => {
    let called = false;
    const context = { run: () => (called = true) };
    expect(expressionError(() => render('{{ run() }}', context)).kind).toBe('function');
    expect(called).toBe(false);
  });
});

describe('bounds', () => {
  it('range() and .. are capped at 10,000 items', () => {
    expect(expressionError(() => render('{{ range(0, 1e9) }}', ctx)).message).toBe('range(0, 1000000000) would produce 1,000,000,001 items; the limit is 10,000');
    expect(expressionError(() => render('{{ 0..1000000 }}', ctx)).kind).toBe('limit');
  });

  it('deeply nested parentheses, lists and operators fail before evaluation', () => {
    for (const template of [
      `{{ ${'('.repeat(500)}1${')'.repeat(500)} }}`,
      `{{ ${'['.repeat(500)}1${']'.repeat(500)} }}`,
      `{{ ${'not '.repeat(5000)}true }}`,
      `{{ ${'-'.repeat(5000)}1 }}`,
      `{{ ${'true ? '.repeat(200)}1${' : 0'.repeat(200)} }}`,
      `{{ 1${' + 1'.repeat(100_000)} }}`,
      `{{ 'a'${' | upper'.repeat(1000)} }}`,
    ]) {
      const error = expressionError(() => render(template, ctx));
      expect(error.kind).toBe('limit');
      expect(checkSyntax(template)[0]?.message).toMatch(/nested more than 64 levels|too complex/);
    }
  });

  it('moderate nesting still works', () => {
    expect(render(`{{ ${'('.repeat(30)}1${')'.repeat(30)} }}`, ctx)).toBe(1);
    expect(render(`{{ 1${' + 1'.repeat(100)} }}`, ctx)).toBe(101);
  });

  it('templates longer than 1 MB are refused', () => {
    const huge = `{{ 1 }}${'x'.repeat(1_000_001)}`;
    expect(expressionError(() => render(huge, ctx)).message).toContain('the limit is 1,000,000');
    expect(checkSyntax(huge)).toHaveLength(1);
  });

  it('strings built by expressions are capped at 1 MB', () => {
    const context = { big: 'x'.repeat(300_000), small: 'ab' };
    expect(expressionError(() => render('{{ big ~ big ~ big ~ big }}', context)).kind).toBe('limit');
    expect(expressionError(() => render('{{ big }}{{ big }}{{ big }}{{ big }}', context)).kind).toBe('limit');
    expect(expressionError(() => render("{{ big | replace('x', 'xxxx') }}", context)).kind).toBe('limit');
    expect(expressionError(() => render('{{ range(1, 10000) | join(big) }}', context)).kind).toBe('limit');
    expect(expressionError(() => render('{{ [big, big, big, big] | toJson }}', context)).kind).toBe('limit');
    // Exponential growth is stopped at the first step over the limit.
    const doubling = `{{ small${" | replace('a', 'aa') | replace('b', 'bb')".repeat(40)} }}`;
    expect(expressionError(() => render(doubling, context)).kind).toBe('limit');
  });

  it('deep data and cycles fail cleanly instead of overflowing the stack', () => {
    const deepJson = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(expressionError(() => render('{{ fromJson(doc) | toJson }}', { doc: deepJson })).kind).toBe('limit');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(expressionError(() => render('x {{ data }}', { data: cyclic })).kind).toBe('limit');
    const other: Record<string, unknown> = { name: 'loop' };
    other.self = other;
    expect(expressionError(() => render('{{ data == other }}', { data: cyclic, other })).kind).toBe('limit');
    expect(render('{{ data.self.self.name }}', { data: cyclic })).toBe('loop');
  });

  it('expensive jq programs hit a work budget quickly', () => {
    const started = Date.now();
    const error = expressionError(() => render("{{ range(1, 5000) | jq('[{a: .[], b: .[]}] | length') }}", ctx));
    expect(error.kind).toBe('limit');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
