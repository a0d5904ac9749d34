import { describe, expect, it, vi } from 'vitest';
import { evaluate, namespaceFileUri, render, type ExpressionFunction } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const ctx = kestraContext();

describe('built-in functions', () => {
  it('fromJson and json parse JSON text', () => {
    expect(evaluate('fromJson(\'{"a": [1, {"b": null}]}\')', ctx)).toEqual({ a: [1, { b: null }] });
    expect(evaluate("json('[1, 2]')", ctx)).toEqual([1, 2]);
    expect(expressionError(() => evaluate("fromJson('nope')", ctx)).message).toContain('not valid JSON');
  });

  it('now() is the current time, formatted as Kestra formats it', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-05-31T12:34:56.789Z'));
    try {
      expect(evaluate('now()', ctx)).toBe('2024-05-31T12:34:56.789000Z');
      expect(evaluate("now(timeZone='Europe/Paris')", ctx)).toBe('2024-05-31T14:34:56.789000+02:00');
      expect(evaluate("now(format='iso_local_date')", ctx)).toBe('2024-05-31');
      expect(evaluate("now() | dateAdd(1, 'HOURS') | date('HH:mm')", ctx)).toBe('13:34');
    } finally {
      vi.useRealTimers();
    }
  });

  it('uuid() is a v4 UUID and differs between calls', () => {
    const a = evaluate('uuid()', ctx) as string;
    const b = evaluate('uuid()', ctx) as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('range() is inclusive, as in Pebble, with an optional step', () => {
    expect(evaluate('range(1, 4)', ctx)).toEqual([1, 2, 3, 4]);
    expect(evaluate('range(0, 10, 5)', ctx)).toEqual([0, 5, 10]);
    expect(evaluate('range(3, 1, -1)', ctx)).toEqual([3, 2, 1]);
    expect(evaluate('range(3, 1)', ctx)).toEqual([]);
    expect(evaluate('range(0, 9999) | length', ctx)).toBe(10_000);
    expect(expressionError(() => evaluate('range(0, 5, 0)', ctx)).message).toContain('cannot be 0');
  });

  it('max() and min() take numbers or one list', () => {
    expect(evaluate('max(3, 9, 2)', ctx)).toBe(9);
    expect(evaluate('min(3, 9, 2)', ctx)).toBe(2);
    expect(evaluate('max(inputs.list)', ctx)).toBe(3);
    expect(expressionError(() => evaluate("max(1, 'a')", ctx)).message).toContain('compares numbers');
  });

  it('render() renders text as a template with the same context', () => {
    const context = { ...ctx, vars: { greeting: 'Hello {{ inputs.application }}', nested: '{{ vars.greeting }}!' } };
    expect(render('{{ render(vars.greeting) }}', context)).toBe('Hello web');
    // recursive by default, like Kestra: the result is rendered again while it changes.
    expect(render('{{ render(vars.nested) }}', context)).toBe('Hello web!');
    expect(render('{{ render(vars.nested, recursive=false) }}', context)).toBe('Hello {{ inputs.application }}!');
    expect(render('{{ render(5) }}', context)).toBe(5);
  });

  it('render() is depth-limited: self-referencing templates fail cleanly', () => {
    const context = { loop: { t: '{{ render(loop.t) }}' } };
    const error = expressionError(() => render('{{ render(loop.t) }}', context));
    expect(error.kind).toBe('limit');
    expect(error.message).toContain('render() is nested more than');
  });
});

describe('provided functions', () => {
  it('are called with positional arguments, named ones as a final map', () => {
    const kv: ExpressionFunction = vi.fn((...args: unknown[]) => JSON.stringify(args));
    expect(render("{{ kv('key', namespace='infra') }}", ctx, { functions: { kv } })).toBe('["key",{"namespace":"infra"}]');
  });

  it('may override built-ins (e.g. a fixed now() in tests)', () => {
    expect(render('{{ now() }}', ctx, { functions: { now: () => 'fixed' } })).toBe('fixed');
  });

  it('missing context functions say they are not available here', () => {
    const error = expressionError(() => render("{{ secret('X') }}", ctx, { location: { taskId: 't1', property: 'token' } }));
    expect(error.kind).toBe('function');
    expect(error.message).toMatch(/^Task 't1', property 'token': function secret\(\) is not available here: /);
  });

  it('unknown functions list similar names', () => {
    const error = expressionError(() => render('{{ nwo() }}', ctx));
    expect(error.message).toContain('unknown function nwo(); did you mean now()?');
    const custom = expressionError(() => render("{{ credentail('c') }}", ctx, { functions: { credential: () => 'x' } }));
    expect(custom.message).toContain('did you mean credential()?');
  });

  it('errors thrown by a function name the call and keep the cause', () => {
    const cause = new Error('secret ARGOCD_TOKEN not found in namespace infra');
    const secret = () => {
      throw cause;
    };
    const error = expressionError(() => render("{{ secret('ARGOCD_TOKEN') }}", ctx, { functions: { secret } }));
    expect(error.kind).toBe('function');
    expect(error.message).toBe("secret('ARGOCD_TOKEN') failed: secret ARGOCD_TOKEN not found in namespace infra");
  });

  it('must be synchronous', () => {
    const secret = async () => 'x';
    expect(expressionError(() => render("{{ secret('A') }}", ctx, { functions: { secret } })).message).toContain('returned a Promise');
  });
});

// Kestra's FileURIFunctionTest (core/src/test/java/io/kestra/core/runners/pebble/functions/FileURIFunctionTest.java).
describe('fileURI() (namespace files)', () => {
  const fileURI = (path: unknown) => namespaceFileUri('my.namespace', path);
  it('is the kestra:// URI of a file of the namespace', () => {
    expect(render('{{ fileURI(fileA) }}', { fileA: 'test' }, { functions: { fileURI } })).toBe('kestra:///my/namespace/_files/test');
    expect(render("{{ fileURI(path='dir/a.sql') }}", {}, { functions: { fileURI } })).toBe('kestra:///my/namespace/_files/dir/a.sql');
  });
  it('needs a path', () => {
    expect(() => render('{{ fileURI() }}', {}, { functions: { fileURI } })).toThrow("The 'fileURI' function expects an argument 'path'");
  });
});
