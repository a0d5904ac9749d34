import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/expressions';
import { expressionError } from './helpers';

const data = {
  a: { b: 1, 'x-y': 'dash' },
  items: [
    { name: 'web', status: 'Healthy', replicas: 3 },
    { name: 'db', status: 'Degraded', replicas: 1 },
    { name: 'cache', status: 'Healthy', replicas: 2 },
  ],
  tags: ['b', 'a', 'b'],
  nothing: null,
};

const jq = (program: string, input: unknown = data) => evaluate(`input | jq(program)`, { input, program });

describe('jq filter', () => {
  it.each([
    ['.', [data]],
    ['.a.b', [1]],
    ['.a["x-y"]', ['dash']],
    ['.a."x-y"', ['dash']],
    ['.items[0].name', ['web']],
    ['.items[-1].name', ['cache']],
    ['.items[].name', ['web', 'db', 'cache']],
    ['.items | .[] | .replicas', [3, 1, 2]],
    ['.missing', [null]],
    ['.missing.deeper', [null]],
    ['.items[5]', [null]],
    ['.items[] | select(.status == "Healthy") | .name', ['web', 'cache']],
    ['.items[] | select(.status != "Healthy") | .name', ['db']],
    ['.items[] | select(.replicas > 1 and .replicas < 3) | .name', ['cache']],
    ['.items[] | select(.replicas >= 3 or .name == "db") | .name', ['web', 'db']],
    ['.items | map(.replicas)', [[3, 1, 2]]],
    ['.items | map(select(.replicas > 1) | .name)', [['web', 'cache']]],
    ['.items | length', [3]],
    ['.a | keys', [['b', 'x-y']]],
    ['"literal"', ['literal']],
    ['42', [42]],
    ['.a.b, .a."x-y"', [1, 'dash']],
    ['[.items[].name]', [['web', 'db', 'cache']]],
    ['{n: .a.b, s: .a."x-y"}', [{ n: 1, s: 'dash' }]],
    ['.items[0] | {name}', [{ name: 'web' }]],
    ['.nothing // "fallback"', ['fallback']],
    ['.items | map(.replicas) | add', [6]],
    ['.items[1:]| map(.name)', [['db', 'cache']]],
    ['.tags | unique', [['a', 'b']]],
    ['.tags | sort | reverse', [['b', 'b', 'a']]],
    ['.items | sort_by(.replicas) | map(.name)', [['db', 'cache', 'web']]],
    ['.items | map(.name) | join(",")', ['web,db,cache']],
    ['.items[0] | has("name")', [true]],
    ['.items[0] | to_entries | map(.key)', [['name', 'status', 'replicas']]],
    ['.items[] | if .replicas > 2 then "big" elif .replicas > 1 then "mid" else "small" end', ['big', 'small', 'mid']],
    ['.items[0].replicas + 1', [4]],
    ['.a.b | tostring', ['1']],
    ['.items[] | select(.name | startswith("c")) | .name', ['cache']],
    ['.items | first | .name', ['web']],
    ['.a.b | type', ['number']],
    ['.items[] | select(.name == "db") | not', [false]],
    ['.nothing.x?', [null]],
    ['.a.b.c?', []],
    ['.items | map(.replicas) | max', [3]],
  ])('%s', (program, expected) => {
    expect(jq(program)).toEqual(expected);
  });

  it('parses JSON text input, as Kestra does, and passes null through', () => {
    expect(jq('.a', '{"a": [1, 2]}')).toEqual([[1, 2]]);
    expect(jq('.', null)).toBe(null);
    expect(expressionError(() => jq('.a', 'not json')).message).toContain('the input text is not JSON');
  });

  it('is used with first, like in Kestra flows', () => {
    expect(evaluate("body | jq('.items[0].name') | first", { body: data })).toBe('web');
  });

  it('refuses programs nested deeply enough to overflow the stack', () => {
    expect(expressionError(() => jq(`.a${'.b'.repeat(10_000)}`)).message).toContain('the program is too complex');
    expect(expressionError(() => jq(`${'-'.repeat(10_000)}1`)).message).toContain('nested too deeply');
    expect(jq(`.a${' | .'.repeat(50)}`)).toEqual([data.a]);
  });

  it('explains runtime errors and unsupported features', () => {
    expect(expressionError(() => jq('.items.name')).message).toContain('cannot index list with "name"');
    expect(expressionError(() => jq('.a.b | .[]')).message).toContain('cannot iterate over number');
    expect(expressionError(() => jq('.a | $x')).message).toContain('variables ($name) are not supported');
    expect(expressionError(() => jq('reduce .[] as $x (0; . + $x)')).message).toContain('not supported');
    expect(expressionError(() => jq('.items | lenght')).message).toContain('did you mean length?');
    expect(expressionError(() => jq('.items | test("a")')).message).toContain("unknown function 'test'");
  });
});
