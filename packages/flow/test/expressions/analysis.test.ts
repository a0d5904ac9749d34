import { describe, expect, it } from 'vitest';
import { checkSyntax, findFunctionCalls, findReferences } from '../../src/expressions';
import { parseTemplate } from '../../src/expressions/template';

describe('findFunctionCalls', () => {
  it('finds literal arguments anywhere in a value, keys untouched', () => {
    const props = {
      server: "{{ secret('ARGOCD_SERVER') }}",
      headers: [{ Authorization: "Bearer {{ secret('ARGOCD_TOKEN') | trim }}" }],
      "{{ secret('IN_A_KEY') }}": 'plain',
      nested: { deeper: ["{{ inputs.x ? credential('netbox') : secret('FALLBACK') }}"] },
      other: "{{ kv('not-wanted') }}",
      count: 3,
    };
    expect(findFunctionCalls(props, ['secret', 'credential'])).toEqual([
      { fn: 'secret', arg: 'ARGOCD_SERVER' },
      { fn: 'secret', arg: 'ARGOCD_TOKEN' },
      { fn: 'credential', arg: 'netbox' },
      { fn: 'secret', arg: 'FALLBACK' },
    ]);
  });

  it('reports non-literal arguments with arg undefined, and each call once', () => {
    const calls = findFunctionCalls(['{{ secret(inputs.name) }}', "{{ secret('A') }}{{ secret('A') }}", "{{ secret('B' ~ 'C') }}"], ['secret']);
    expect(calls).toEqual([
      { fn: 'secret', arg: undefined },
      { fn: 'secret', arg: 'A' },
    ]);
  });

  it('skips templates with syntax errors (render reports them)', () => {
    expect(findFunctionCalls(["{{ secret('A') ", "{{ secret('B') }}"], ['secret'])).toEqual([{ fn: 'secret', arg: 'B' }]);
  });
});

describe('findReferences', () => {
  it('returns roots with their static member paths', () => {
    expect(
      findReferences({
        a: "{{ outputs.sync.app }} {{ outputs['my-task'].value }}",
        b: ['{{ inputs.list[0].id }}', '{{ inputs.x | default(vars.fallback) }}'],
        c: '{{ trigger.date | date(format=flow.fmt) }}',
      }),
    ).toEqual([
      ['outputs', 'sync', 'app'],
      ['outputs', 'my-task', 'value'],
      ['inputs', 'list', '0', 'id'],
      ['inputs', 'x'],
      ['vars', 'fallback'],
      ['trigger', 'date'],
      ['flow', 'fmt'],
    ]);
  });

  it('stops the path at dynamic parts and visits them separately', () => {
    expect(findReferences('{{ outputs[inputs.task].value }}')).toEqual([['outputs'], ['inputs', 'task']]);
  });

  it('does not count functions, filters, tests or literals as references', () => {
    expect(findReferences("{{ now() | date('yyyy') }} {{ 'x' is defined }} {{ [1, {'k': 2}] }} {{ secret('S') }}")).toEqual([]);
    expect(findReferences('{{ x is defined and y }}')).toEqual([['x'], ['y']]);
  });

  it('deduplicates', () => {
    expect(findReferences(['{{ inputs.a }}', '{{ inputs.a ~ inputs.a }}'])).toEqual([['inputs', 'a']]);
  });
});

describe('checkSyntax', () => {
  it('returns nothing for valid templates and plain text', () => {
    expect(checkSyntax("Hello {{ inputs.name | default('x') | upper }} {# c #}")).toEqual([]);
    expect(checkSyntax('no expressions { here }')).toEqual([]);
  });

  it('reports each broken block with its offset', () => {
    const template = 'ok {{ a + }} and {{ b | uper }} then {{ c';
    const errors = checkSyntax(template);
    expect(errors.map((e) => e.offset)).toEqual([10, 24, 37]);
    expect(errors[0].message).toContain('expected a value');
    expect(errors[1].message).toContain("did you mean 'upper'?");
    expect(errors[2].message).toContain("'{{' is not closed");
    expect(template.slice(24, 28)).toBe('uper');
  });

  it.each([
    ["{{ 'abc }}", 3, 'is not closed'],
    ['{{ a b }}', 5, "unexpected 'b'"],
    ['{{ (a }}', 3, "'(' is not closed"],
    ['{{ a ] }}', 5, "unexpected ']'"],
    ['{{ }}', 0, 'is empty'],
    ['{{ a @ b }}', 5, "unexpected character '@'"],
    ['{{ x.y() }}', 6, 'methods of values cannot be called'],
    ["{% include 'other' %}", 0, 'tag is not supported'],
    ['{% raw %}never closed', 0, '{% raw %} is not closed'],
  ])('%s → offset %i', (template, offset, message) => {
    const [error] = checkSyntax(template);
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(message);
  });

  // Flowable properties run Baton's jq subset in the workflow; runnable tasks run real jq, which
  // reports its own errors when the task runs.
  it.each([
    ["{{ x | jq('.a[') }}", 10, 'invalid jq expression'],
    ["{{ x | jq('.. | .a') }}", 10, "jq recursion '..' is not supported"],
  ])('with jqSubset: %s → offset %i', (template, offset, message) => {
    const [error] = checkSyntax(template, { jqSubset: true });
    expect(error.offset).toBe(offset);
    expect(error.message).toContain(message);
    expect(checkSyntax(template)).toEqual([]);
  });
});

describe('parse cache', () => {
  it('parses a template once and reuses the tree', () => {
    const text = `{{ inputs.a ~ '${Math.random()}' }}`;
    expect(parseTemplate(text)).toBe(parseTemplate(text));
  });

  it('evicts old entries instead of growing without bound', () => {
    const first = `{{ 'first-${Math.random()}' }}`;
    const tree = parseTemplate(first);
    for (let i = 0; i < 5_001; i++) parseTemplate(`{{ ${i} }}`);
    expect(parseTemplate(first)).not.toBe(tree);
    expect(parseTemplate(first)).toEqual(tree);
  });
});
