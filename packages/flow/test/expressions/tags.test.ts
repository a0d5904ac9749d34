// Tags beyond conformance: secrets, sandbox, analysis and save-time checks keep working through them.
import { describe, expect, it } from 'vitest';
import { checkSyntax, findFunctionCalls, findReferences, render, renderString, type ExpressionFunction, type RenderOptions } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const ctx = kestraContext();

function withSecret(): { options: RenderOptions; reported: string[] } {
  const reported: string[] = [];
  const secret: ExpressionFunction = Object.assign((name: unknown) => (name === 'LIST' ? ['s3cret-a', 's3cret-b'] : 'tok-Abc123'), { taints: true });
  return { reported, options: { functions: { secret }, onSecretValue: (v) => reported.push(v) } };
}

describe('secret taint through tags', () => {
  it('follows {% set %} variables', () => {
    const { options, reported } = withSecret();
    expect(render("{% set t = secret('TOKEN') | upper %}Bearer {{ t }}", ctx, options)).toBe('Bearer TOK-ABC123');
    expect(reported).toContain('TOK-ABC123');
    expect(reported).not.toContain('Bearer TOK-ABC123');
  });

  it('follows loop variables over a secret list', () => {
    const { options, reported } = withSecret();
    expect(render("{% for s in secret('LIST') %}[{{ s }}]{% endfor %}", ctx, options)).toBe('[s3cret-a][s3cret-b]');
    expect(reported).toEqual(expect.arrayContaining(['s3cret-a', 's3cret-b']));
  });

  it('follows {% filter %} bodies and macro arguments', () => {
    const filtered = withSecret();
    expect(render("{% filter upper %}token={{ secret('TOKEN') }}{% endfilter %}", ctx, filtered.options)).toBe('TOKEN=TOK-ABC123');
    expect(filtered.reported).toContain('TOKEN=TOK-ABC123');
    const macro = withSecret();
    expect(render("{% macro auth(t) %}Bearer {{ t }}{% endmacro %}{{ auth(secret('TOKEN')) }}", ctx, macro.options)).toBe('Bearer tok-Abc123');
    expect(macro.reported).toContain('Bearer tok-Abc123');
  });

  it('does not taint branches chosen by a secret condition', () => {
    const { options, reported } = withSecret();
    expect(render("{% if secret('TOKEN') | length > 3 %}long{% endif %}", ctx, options)).toBe('long');
    expect(reported).not.toContain('long');
  });
});

describe('sandbox and strictness inside tags', () => {
  it('refuses forbidden keys in tag expressions at parse time', () => {
    expect(expressionError(() => render('{% set x = inputs.__proto__ %}', ctx)).kind).toBe('sandbox');
    expect(expressionError(() => render('{% for k in inputs.constructor %}{% endfor %}', ctx)).kind).toBe('sandbox');
  });

  it('is strict about unknown variables in conditions and loops, naming what exists', () => {
    const error = expressionError(() => render('{% if inputs.enabeld %}x{% endif %}', ctx));
    expect(error.kind).toBe('missing');
    expect(error.message).toContain("did you mean 'enabled'");
    expect(expressionError(() => render('{% for x in nope %}{% endfor %}', ctx)).message).toContain("'nope' is not defined");
  });

  it('lists loop variables among the available names', () => {
    expect(expressionError(() => render('{% for item in inputs.list %}{{ iten }}{% endfor %}', ctx)).message).toContain("did you mean 'item'");
  });

  it('bounds macro recursion', () => {
    expect(expressionError(() => render('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', ctx)).message).toContain('macros call each other more than');
  });

  it('bounds tag nesting so that deep templates cannot overflow the stack', () => {
    const deep = '{% if true %}'.repeat(30_000) + 'x' + '{% endif %}'.repeat(30_000);
    expect(expressionError(() => render(deep, ctx)).message).toContain('tags are nested more than 64 levels deep');
  });

  it('reports tag syntax errors with offsets', () => {
    expect(checkSyntax('a {% if %}x{% endif %}')).toEqual([{ message: expect.stringContaining('{% if %} needs a condition'), offset: 2 }]);
    expect(checkSyntax('{% for x of y %}{% endfor %}')[0].message).toContain('{% for %} is written {% for x in list %}');
    expect(checkSyntax('{% endif %}')[0].message).toContain('without a matching opening tag');
    expect(checkSyntax('{% if a %}{% else %}{% elseif b %}{% endif %}')[0].message).toContain('after {% else %}');
    expect(checkSyntax('{% set x 1 %}')[0].message).toContain('{% set x = value %}');
    expect(checkSyntax('{% if a %}{{ b | nofilter }}{% endif %}')[0].message).toContain("unknown filter 'nofilter'");
    expect(checkSyntax('{% if a %}ok{% endif %}')).toEqual([]);
  });
});

describe('analysis sees tag expressions', () => {
  it('finds references in conditions and loops but not the template’s own names', () => {
    const template = "{% set n = inputs.count %}{% for item in outputs['my-task'].items %}{{ item.id }}{{ loop.index }}{{ n }}{% endfor %}{% if flow.id %}{% endif %}";
    expect(findReferences(template)).toEqual([
      ['inputs', 'count'],
      ['outputs', 'my-task', 'items'],
      ['flow', 'id'],
    ]);
  });

  it('finds function calls inside tags', () => {
    expect(findFunctionCalls("{% if secret('A') %}{% endif %}{% set b = secret('B') %}", ['secret'])).toEqual([
      { fn: 'secret', arg: 'A' },
      { fn: 'secret', arg: 'B' },
    ]);
  });
});

describe('rendering mixed text', () => {
  it('renders tags in multi-line text as a shell script would need it', () => {
    const script = ['#!/bin/sh', '{% for app in inputs.list -%}', 'deploy {{ app }}', '{% endfor -%}', 'echo done', ''].join('\n');
    expect(renderString(script, ctx)).toBe('#!/bin/sh\ndeploy 1\ndeploy 2\ndeploy 3\necho done\n');
  });
});
