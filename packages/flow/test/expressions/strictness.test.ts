import { describe, expect, it } from 'vitest';
import { evaluate, render } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const ctx = kestraContext();

describe('missing variables and properties', () => {
  it('names the task, the property, the missing path and what exists', () => {
    const error = expressionError(() => render("{{ outputs.status.ap == 'Healthy' }}", ctx, { location: { taskId: 'gate', property: 'conditions[0]' } }));
    expect(error.message).toContain("Task 'gate', property 'conditions[0]': outputs.status has no property 'ap'; it has: app, syncStatus, healthStatus");
    expect(error.message).toContain("did you mean 'app'?");
    expect(error.kind).toBe('missing');
    expect(error.location).toEqual({ taskId: 'gate', property: 'conditions[0]' });
    expect(error.expression).toBe("outputs.status.ap == 'Healthy'");
    expect(error.offset).toBe(18);
  });

  it('builds the property path while rendering deeply', () => {
    const props = { conditions: ['{{ true }}', '{{ outputs.status.nope }}'] };
    const error = expressionError(() => render(props, ctx, { location: { taskId: 'gate' } }));
    expect(error.message.startsWith("Task 'gate', property 'conditions[1]': outputs.status has no property 'nope'")).toBe(true);

    const nested = { spec: { 'dns-name': { 'a.b': '{{ inputs.nope }}' } } };
    const deep = expressionError(() => render(nested, ctx, { location: { taskId: 'dns', property: 'record' } }));
    expect(deep.location).toEqual({ taskId: 'dns', property: "record.spec.dns-name['a.b']" });
  });

  it('unknown root variables list the available ones', () => {
    const error = expressionError(() => render('{{ inptus.count }}', ctx, { location: { taskId: 't' } }));
    expect(error.message).toBe("Task 't': 'inptus' is not defined; did you mean 'inputs'? variables available here: flow, execution, inputs, outputs");
  });

  it('quotes the path as written, including bracket access', () => {
    expect(expressionError(() => render("{{ outputs['my-task'].valeu }}", ctx)).message).toBe(
      "outputs['my-task'] has no property 'valeu'; it has: value, items (did you mean 'value'?)",
    );
  });

  it('reports out-of-range indexes and properties of null', () => {
    expect(expressionError(() => render('{{ inputs.list[5] }}', ctx)).message).toBe('inputs.list has no item at index 5; it has 3 item(s)');
    expect(expressionError(() => render('{{ inputs.nothing.x }}', ctx)).message).toContain("inputs.nothing is null, so it has no property 'x'; use '??' or '| default(…)'");
    expect(expressionError(() => render('{{ inputs.list.name }}', ctx)).message).toContain('inputs.list is a list; use an index');
    expect(expressionError(() => render('{{ inputs.count.x }}', ctx)).message).toBe("inputs.count is a number, which has no property 'x'");
  });

  it('errors have no location prefix when none is given', () => {
    const error = expressionError(() => evaluate('inputs.x', ctx));
    expect(error.message).toBe("inputs has no property 'x'; it has: application, count, name, list, enabled, nothing, empty");
    expect(error.location).toBeUndefined();
  });
});

describe('unknown filters and tests', () => {
  it('lists similar names', () => {
    const error = expressionError(() => render('{{ inputs.name | uper }}', ctx));
    expect(error.kind).toBe('syntax');
    expect(error.message).toBe("unknown filter 'uper'; did you mean 'upper'?");
    expect(error.offset).toBe(17);
    expect(expressionError(() => render('{{ 1 is evn }}', ctx)).message).toContain("unknown test 'evn'; did you mean 'even'?");
  });

  it('checks filter arguments before running', () => {
    expect(expressionError(() => render('{{ 1 | replace }}', ctx)).message).toContain("filter 'replace' needs 'replace_pairs'");
    expect(expressionError(() => render("{{ 'a' | upper('x') }}", ctx)).message).toContain("filter 'upper' takes no arguments");
    expect(expressionError(() => render("{{ 'a' | date(fmt='yyyy') }}", ctx)).message).toContain(
      "filter 'date' has no argument 'fmt'; its arguments are: format, timeZone, existingFormat, locale",
    );
  });
});

describe('syntax errors', () => {
  it('carry the offset into the template and a hint', () => {
    const error = expressionError(() => render('name: {{ inputs.name | }}', ctx));
    expect(error.kind).toBe('syntax');
    expect(error.offset).toBe(23);
    expect(error.message).toContain('expected a filter name');

    const unclosed = expressionError(() => render('a {{ inputs.name', ctx));
    expect(unclosed.offset).toBe(2);
    expect(unclosed.message).toContain("add '}}'");

    const ternary = expressionError(() => render("{{ true ? 'a' }}", ctx));
    expect(ternary.message).toContain("the ternary operator needs both branches: 'condition ? then : else'");
  });

  it('refuses unsupported tags with an explanation', () => {
    const error = expressionError(() => render("{% include 'header' %}yes", ctx));
    expect(error.message).toContain('the {% include %} tag is not supported');
    expect(error.offset).toBe(0);
    expect(expressionError(() => render('x {% frobnicate %}', ctx)).message).toContain('unknown tag {% frobnicate %}');
  });
});
