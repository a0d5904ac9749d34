// Issue 15: an If condition that asks for a lot of work must fail fast with a clear message
// instead of running for seconds inside a workflow task (Temporal's deadlock detector kills the
// worker after 2 s). Steps are what bound workflow code, where Date.now() stands still.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_STEPS, evaluate, render } from '../../src/expressions';
import { expressionError } from './helpers';

const heavy = "range(1, 10000) | jq('.[] | select(. > 5000)') | first";
const condition = `{{ ${Array.from({ length: 60 }, () => heavy).join(' and ')} }}`;

describe('expression budget', () => {
  it('stops 60 copies of range | jq | first with a limit error naming the expression and the budget', () => {
    // The clock is left out (a loaded test machine could hit it first); steps alone must stop it.
    const error = expressionError(() => render(condition, {}, { location: { taskId: 'check', property: 'condition' }, budget: { millis: 1e9 } }));
    expect(error.kind).toBe('limit');
    expect(error.message).toContain("Task 'check', property 'condition': ");
    expect(error.message).toContain("the expression 'range(1, 10000) | jq(");
    expect(error.message).toContain(`budget of ${DEFAULT_MAX_STEPS.toLocaleString('en-US')} evaluation steps`);
  });

  it('counts steps, not time: the same render fails the same way with the clock out of the picture', () => {
    const a = expressionError(() => render(condition, {}, { budget: { millis: 1e9 } }));
    const b = expressionError(() => render(condition, {}, { budget: { millis: 1e9 } }));
    expect(a.message).toBe(b.message);
  });

  it('lets callers pass a budget', () => {
    expect(render(`{{ ${heavy} }}`, {}, { budget: { millis: 1e9 } })).toBe(5001);
    expect(expressionError(() => render(`{{ ${heavy} }}`, {}, { budget: { steps: 5_000 } })).message).toContain('budget of 5,000 evaluation steps');
    expect(expressionError(() => evaluate('range(1, 1000) | length', {}, { budget: { steps: 500 } })).kind).toBe('limit');
  });

  it('charges loops, tags and big values', () => {
    const loops = '{% for i in range(1, 1000) %}{% for j in range(1, 1000) %}{{ j }}{% endfor %}{% endfor %}';
    expect(expressionError(() => render(loops, {})).message).toContain('does too much work');
    const compare = '{% set l = range(1, 10000) %}{% for i in range(1, 1000) %}{{ l == l }}{% endfor %}';
    expect(expressionError(() => render(compare, {})).kind).toBe('limit');
    const json = '{% set l = range(1, 10000) %}{% for i in range(1, 1000) %}{% set x = l | toJson %}{% endfor %}';
    expect(expressionError(() => render(json, {}, { budget: { millis: 1e9 } })).message).toContain("'set x = l | toJson'");
  });

  it('applies the wall-clock budget as well', () => {
    // A zero-millisecond budget is spent as soon as the clock is read.
    const error = expressionError(() => render('{% for i in range(1, 5000) %}{{ i }}{% endfor %}', {}, { budget: { millis: -1 } }));
    expect(error.message).toContain('budget of -1 ms');
  });

  it('shares one budget across all the properties of one render call', () => {
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, `{{ ${heavy} }}`]));
    expect(expressionError(() => render(props, {})).message).toMatch(/Property 'p\d+'/);
  });
});
