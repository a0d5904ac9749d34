import { describe, expect, it } from 'vitest';
import { evaluate, render, renderString } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const ctx = kestraContext();

describe('typed rendering of a single expression', () => {
  it.each([
    ["{{ outputs.status.app.status.health.status == 'Healthy' }}", true],
    ["{{ outputs.status.app.status.sync.status == 'OutOfSync' }}", false],
    ['{{ inputs.count }}', 5],
    ['{{- inputs.count -}}  \n', 5],
    ['{# note #}{{ inputs.count }}', 5],
    ['{{ inputs.list }}', [1, 2, 3]],
    ['{{ inputs.nothing }}', null],
    ["{{ {'a': {'b': 1}} }}", { a: { b: 1 } }],
    ['{{ [1, "two", [3], none, true] }}', [1, 'two', [3], null, true]],
    ['{{ 1.5 }}', 1.5],
  ])('%s', (template, expected) => {
    expect(render(template, ctx)).toEqual(expected);
  });

  it('returns the boolean itself, not the text "true"', () => {
    expect(render("{{ outputs.status.app.status.health.status == 'Healthy' }}", ctx)).toBe(true);
  });
});

describe('mixed text', () => {
  it.each([
    ['Hello {{ inputs.name }}!', 'Hello Web Server!'],
    ['{{ inputs.count }}{{ inputs.count }}', '55'],
    ['n={{ inputs.nothing }}.', 'n=.'],
    ['list={{ inputs.list }}', 'list=[1,2,3]'],
    ["map={{ {'a': 1, 'b': [true]} }}", 'map={"a":1,"b":[true]}'],
    ['flag={{ inputs.enabled }}', 'flag=true'],
  ])('%s', (template, expected) => {
    expect(render(template, ctx)).toBe(expected);
  });

  it('returns strings without {{ unchanged', () => {
    expect(render('plain text with } and { and #', ctx)).toBe('plain text with } and { and #');
  });

  it('renders arrays and objects deeply, leaving keys alone', () => {
    const value = { '{{ key }}': ['{{ inputs.count }}', 'x {{ inputs.application }}', 3, false, null], nested: { n: '{{ inputs.list[0] }}' } };
    expect(render(value, ctx)).toEqual({ '{{ key }}': [5, 'x web', 3, false, null], nested: { n: 1 } });
  });

  it('renderString always returns text', () => {
    expect(renderString('{{ inputs.count }}', ctx)).toBe('5');
    expect(renderString('{{ inputs.list }}', ctx)).toBe('[1,2,3]');
    expect(renderString('{{ inputs.nothing }}', ctx)).toBe('');
    expect(renderString('no expression', ctx)).toBe('no expression');
  });

  it('supports comments, whitespace control and raw blocks', () => {
    expect(render('a{# hidden #}b {{ 1 }}', ctx)).toBe('ab 1');
    expect(render('a  {{- inputs.application -}}  b', ctx)).toBe('awebb');
    expect(render('{% raw %}{{ not evaluated }}{% endraw %} {{ 1 }}', ctx)).toBe('{{ not evaluated }} 1');
  });

  it('leaves an unclosed {# as text (shell scripts use ${#array[@]})', () => {
    expect(render('echo ${#items[@]} {{ inputs.count }}', ctx)).toBe('echo ${#items[@]} 5');
  });

  it('ends an expression at }} only outside brackets, so map literals can end in }}', () => {
    expect(render("{{ {'a': {'b': 'c'}}['a'] }}", ctx)).toEqual({ b: 'c' });
    expect(render("x{{ '}}' }}y", ctx)).toBe('x}}y');
  });
});

describe('member and index access', () => {
  it.each([
    ["{{ outputs['my-task'].value }}", 42],
    ["{{ outputs['my-task']['items'][1].id }}", 'b'],
    ['{{ inputs.list[0] }}', 1],
    ['{{ inputs.list[-1] }}', 3],
    ['{{ inputs.list.1 }}', 2],
    ["{{ outputs['my-task'].items.0.size }}", 3],
    ['{{ inputs.name[0] }}', 'W'],
    ["{{ inputs['na' ~ 'me'] }}", 'Web Server'],
  ])('%s', (template, expected) => {
    expect(render(template, ctx)).toEqual(expected);
  });
});

describe('literals', () => {
  it.each([
    ["{{ 'it\\'s' }}", "it's"],
    ['{{ "double \\"quoted\\"" }}', 'double "quoted"'],
    ["{{ 'line\\nbreak' }}", 'line\nbreak'],
    ["{{ 'C:\\dir' }}", 'C:\\dir'],
    ['{{ [1, 2,] }}', [1, 2]],
    ["{{ {name: 'web', 'with-dash': 1, 2: 'two'} }}", { name: 'web', 'with-dash': 1, '2': 'two' }],
    ['{{ none }}', null],
    ['{{ null }}', null],
    ['{{ 1e3 }}', 1000],
    ['{{ -3 }}', -3],
  ])('%s', (template, expected) => {
    expect(render(template, ctx)).toEqual(expected);
  });
});

describe('operators and precedence', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2],
    ['10 / 4.0', 2.5],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['7 % 3', 1],
    ['2 - 3 - 4', -5],
    ['- inputs.count', -5],
    // Filters bind tighter than arithmetic, as in Pebble: 1 - (5 | abs).
    ['1 - 5 | abs', -4],
    ['-5 | abs', 5],
    // ~ binds tighter than filters: the whole text is upper-cased.
    ["'a' ~ 'b' | upper", 'AB'],
    ["'n=' ~ (1 + 2)", 'n=3'],
    ['1 + 1 == 2', true],
    ['1 < 2 and 2 < 3', true],
    ['1 > 2 or 3 >= 3', true],
    ['2 <= 1', false],
    ["'abc' < 'abd'", true],
    ['1 != 2', true],
    ["[1, {'a': 2}] == [1, {'a': 2}]", true],
    ["'1' == 1", false],
    ['not true or true', true],
    ['not 1 == 2', true],
    ['!false && true', true],
    ['false || !false', true],
    ["true ? 'a' : 'b'", 'a'],
    ['false ? 1 : true ? 2 : 3', 2],
    ["inputs.count > 3 ? 'big' : 'small'", 'big'],
    ['2 in [1, 2, 3]', true],
    ["'ell' in 'hello'", true],
    ["'application' in inputs", true],
    ["'z' not in ['a']", true],
    ["'missing' not in inputs", true],
    ['[1, 2] contains 2', true],
    ['1..4', [1, 2, 3, 4]],
    ['inputs.count is odd and inputs.list | length is odd', true],
    // Tests bind looser than arithmetic (Pebble): (1 + 1) is even.
    ['1 + 1 is even', true],
    // ??? (Kestra) replaces only a missing value, not null.
    ["inputs.nothing ??? 'x'", null],
    ["inputs.missing ??? 'x'", 'x'],
  ])('%s → %j', (expression, expected) => {
    expect(evaluate(expression, ctx)).toEqual(expected);
  });

  it("binds '~' tighter than '+', as Pebble does", () => {
    expect(expressionError(() => evaluate("'n=' ~ 1 + 2", ctx)).message).toContain("'+' needs two numbers");
  });

  it('and/or short-circuit: the right side is not evaluated', () => {
    expect(evaluate('false and inputs.missing.deep', ctx)).toBe(false);
    expect(evaluate('true or inputs.missing.deep', ctx)).toBe(true);
  });

  it('explains type mistakes', () => {
    expect(expressionError(() => evaluate("'web-' + 1", ctx)).message).toContain("join text with '~'");
    expect(expressionError(() => evaluate("'3' > 2", ctx)).message).toContain("'| number'");
    expect(expressionError(() => evaluate('1 / 0', ctx)).message).toContain('division by zero');
    expect(expressionError(() => evaluate('-inputs.name', ctx)).message).toContain('needs a number');
  });
});

describe('tests (is …)', () => {
  it.each([
    ['4 is even', true],
    ['3 is odd', true],
    ['3 is not even', true],
    ['null is null', true],
    ["'' is empty", true],
    ["'  ' is empty", true],
    ['[] is empty', true],
    ['{} is empty', true],
    ["'x' is not empty", true],
    ['inputs.missing is not defined', true],
    ['inputs.missing.deeper is defined', false],
    ['inputs.count is defined', true],
    // Pebble's `defined` is false for null.
    ['inputs.nothing is defined', false],
    ['inputs.list is iterable', true],
    ['inputs is map', true],
    ['inputs.missing is defined and inputs.missing > 3', false],
    ['not inputs.missing is defined', true],
  ])('%s → %j', (expression, expected) => {
    expect(evaluate(expression, ctx)).toBe(expected);
  });
});

describe('?? and default with missing values', () => {
  it.each([
    ["{{ inputs.x ?? 'a' }}", 'a'],
    ["{{ inputs.x.y.z ?? 'a' }}", 'a'],
    ["{{ inputs.nothing ?? 'a' }}", 'a'],
    ["{{ inputs.application ?? 'a' }}", 'web'],
    ["{{ inputs.x ?? inputs.y ?? 'last' }}", 'last'],
    ["{{ 0 ?? 'a' }}", 0],
    // ?? only replaces missing or null; default also replaces empty values (Pebble).
    ["{{ inputs.empty ?? 'a' }}", ''],
    ["{{ inputs.empty | default('a') }}", 'a'],
    ["{{ inputs.x | default('a') }}", 'a'],
    ["{{ undefinedRoot | default('a') }}", 'a'],
    ["{{ outputs['no-task'].value | default(3) }}", 3],
    ["{{ inputs.x | upper | default('a') }}", 'a'],
    ["{{ inputs.x ?? 'fallback' | upper }}", 'FALLBACK'],
    ['{{ inputs.count | default(1) }}', 5],
    ['{{ false | default(true) }}', false],
  ])('%s', (template, expected) => {
    expect(render(template, ctx)).toEqual(expected);
  });

  it('the fallback itself is strict', () => {
    const error = expressionError(() => render('{{ inputs.x ?? inputs.y }}', ctx));
    expect(error.message).toContain("inputs has no property 'y'");
  });
});

describe('evaluate', () => {
  it('evaluates a bare expression to a typed value', () => {
    expect(evaluate('inputs.count > 3', ctx)).toBe(true);
    expect(evaluate("outputs['my-task'].items | length", ctx)).toBe(2);
  });

  it('reports syntax errors with their offset', () => {
    const error = expressionError(() => evaluate('inputs.count >', ctx));
    expect(error.kind).toBe('syntax');
    expect(error.offset).toBe(14);
  });
});
