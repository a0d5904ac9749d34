import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluate, filters, render } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const ctx = {
  ...kestraContext(),
  text: 'Hello World',
  users: [
    { name: 'ann', age: 31 },
    { name: 'bob', age: 25 },
  ],
};
const run = (expression: string) => evaluate(expression, ctx);

describe('text filters', () => {
  it.each([
    ["'Hello' | upper", 'HELLO'],
    ["'Hello' | lower", 'hello'],
    ["'hello world' | capitalize", 'Hello world'],
    ["'hello big-world  again' | title", 'Hello Big-world  Again'],
    ["'  padded \\n' | trim", 'padded'],
    ["'a-b-c' | replace('-', '_')", 'a_b_c'],
    ["'a-b' | replace({'a': '1', 'b': '2'})", '1-2'],
    ["'x.y' | replace('.', '')", 'xy'],
    ["'a,b,c' | split(',')", ['a', 'b', 'c']],
    ["'a,b,c' | split(',', 2)", ['a', 'b,c']],
    ["'abc' | split('')", ['a', 'b', 'c']],
    ["'Héllo, Wörld! 2024' | slugify", 'hello-world-2024'],
    ["'hello' | startsWith('he')", true],
    ["'hello' | startsWith('lo')", false],
    ["'config.yaml' | endsWith('.yaml')", true],
    ["'a.b.c' | substringBefore('.')", 'a'],
    ["'a.b.c' | substringAfter('.')", 'b.c'],
    ["'a.b.c' | substringBeforeLast('.')", 'a.b'],
    ["'a.b.c' | substringAfterLast('.')", 'c'],
    ["'abc' | substringAfter('x')", ''],
    ["'a long sentence' | abbreviate(9)", 'a long...'],
    ["'short' | abbreviate(9)", 'short'],
    ["'a\\nb' | indent(2)", 'a\n  b'],
    ["'a\\nb' | nindent(2)", '\n  a\n  b'],
    ['12 | upper', '12'],
    ['null | upper', null],
    ["'x' | raw", 'x'],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('replaces with Java regular expressions when regexp=true, refusing shapes that can hang a worker', () => {
    expect(run("'aa1bb22' | replace({'(\\\\d+)': '<$1>'}, regexp=true)")).toBe('aa<1>bb<22>');
    expect(expressionError(() => run("'aaa' | replace({'(a+)+$': 'b'}, regexp=true)")).message).toContain('exponential time');
  });

  it('explains wrong input types', () => {
    expect(expressionError(() => run('[1] | upper')).message).toBe("filter 'upper' needs text but got a list");
  });
});

describe('list and map filters', () => {
  it.each([
    ["[1, 'a', null] | join('-')", '1-a-'],
    ["['a', 'b'] | join", 'ab'],
    ["'abc' | length", 3],
    ['[1, 2] | length', 2],
    ["{'a': 1} | length", 1],
    ['null | length', 0],
    ['[3, 1, 2] | first', 3],
    ['[3, 1, 2] | last', 2],
    ["'abc' | first", 'a'],
    ["'abc' | last", 'c'],
    ['[] | first', null],
    ["{'b': 1, 'a': 2} | keys", ['b', 'a']],
    ["{'b': 1, 'a': 2} | values", [1, 2]],
    ['[1, 2, 3, 4] | slice(1, 3)', [2, 3]],
    ['[1, 2, 3, 4] | slice(-2)', [3, 4]],
    ["'hello' | slice(1, 3)", 'el'],
    ['[3, 1, 2] | sort', [1, 2, 3]],
    ["['b', 'a', 'c'] | sort", ['a', 'b', 'c']],
    ['[3, 1, 2] | rsort', [3, 2, 1]],
    ['[1, 2, 3] | reverse', [3, 2, 1]],
    ["'abc' | reverse", 'cba'],
    ["[1, 2, 1, '1', 2] | unique", [1, 2, '1']],
    ["[{'a': 1}, {'a': 1}, {'a': 2}] | unique", [{ a: 1 }, { a: 2 }]],
    ['[1, 1, 2] | distinct', [1, 2]],
    ['[[1, 2], 3, [4]] | flatten', [1, 2, 3, 4]],
    ['[1, 2, 3, 4, 5] | chunk(2)', [[1, 2], [3, 4], [5]]],
    ['[1, 2] | merge([3])', [1, 2, 3]],
    ["{'a': 1, 'b': 1} | merge({'b': 2})", { a: 1, b: 2 }],
    ['inputs.list | length', 3],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('sort refuses mixed lists and points to jq for maps', () => {
    expect(expressionError(() => run("[1, 'a'] | sort")).message).toContain("jq('sort_by(.name)')");
  });

  it('length refuses numbers', () => {
    expect(expressionError(() => run('5 | length')).message).toContain("filter 'length' needs text, a list or a map");
  });
});

describe('default', () => {
  it.each([
    ["null | default('x')", 'x'],
    ["'' | default('x')", 'x'],
    ["'   ' | default('x')", 'x'],
    ["[] | default('x')", 'x'],
    ["{} | default('x')", 'x'],
    ["'v' | default('x')", 'v'],
    ['0 | default(5)', 0],
    ["inputs.missing | default('x')", 'x'],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });
});

describe('JSON and numbers', () => {
  it.each([
    ["{'a': [1, true, null], 'b': 'x\"y'} | toJson", '{"a":[1,true,null],"b":"x\\"y"}'],
    ["{'a': 1} | json", '{"a":1}'],
    ["'x' | toJson", '"x"'],
    ['\'{"a": [1, 2]}\' | fromJson', { a: [1, 2] }],
    ["'42' | number", 42],
    ["' 3.5 ' | number", 3.5],
    ["'-1e3' | number", -1000],
    ['7 | number', 7],
    ["'7' | number('INT')", 7],
    ['-3 | abs', 3],
    ['3.14159 | round(2)', 3.14],
    ['2.5 | round', 3],
    ['-2.5 | round', -3],
    ["2.1 | round(0, 'ceil')", 3],
    ["2.9 | round(0, 'floor')", 2],
    ['5 | toString', '5'],
    ["{'a': 1} | string", '{"a":1}'],
    ['null | toString', ''],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('number refuses text that is not numeric', () => {
    const error = expressionError(() => run("'12abc' | number"));
    expect(error.message).toContain('"12abc" is not a number');
    expect(expressionError(() => run("'3.5' | number('INT')")).message).toContain('is not a whole number');
  });

  it('fromJson reports invalid JSON', () => {
    expect(expressionError(() => run("'{oops' | fromJson")).message).toContain('not valid JSON');
  });
});

describe('encodings and hashes', () => {
  it.each([
    ["'hello' | base64encode", 'aGVsbG8='],
    ["'aGVsbG8=' | base64decode", 'hello'],
    ["'aGVsbG8' | base64decode", 'hello'],
    ["'héllo ✓ 😀' | base64encode | base64decode", 'héllo ✓ 😀'],
    // Java's URLEncoder, as Pebble: space → '+', '*' kept, '~' encoded.
    ["'a b&c=d/é*~' | urlencode", 'a+b%26c%3Dd%2F%C3%A9*%7E'],
    ["'a+b%26c%3Dd%2F%C3%A9' | urldecode", 'a b&c=d/é'],
    ["'abc' | sha256", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ["'' | sha256", 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('base64 and sha256 match Node for assorted text', () => {
    for (const sample of ['', 'a', 'ab', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'ünïcødé 😀 text', 'k'.repeat(1000)]) {
      const context = { s: sample };
      expect(evaluate('s | base64encode', context)).toBe(Buffer.from(sample, 'utf8').toString('base64'));
      expect(evaluate('s | sha256', context)).toBe(createHash('sha256').update(sample, 'utf8').digest('hex'));
      expect(evaluate('s | base64encode | base64decode', context)).toBe(sample);
    }
  });

  it('rejects malformed input', () => {
    expect(expressionError(() => run("'%%%' | base64decode")).message).toContain('is not valid base64');
    expect(expressionError(() => run("'/w==' | base64decode")).message).toContain('does not decode to UTF-8');
    expect(expressionError(() => run("'%zz' | urldecode")).message).toContain('is not valid URL-encoded text');
  });
});

describe('dates', () => {
  const iso = "'2024-01-31T10:20:30.123Z'";
  it.each([
    [`${iso} | date('yyyy-MM-dd')`, '2024-01-31'],
    [`${iso} | date("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")`, '2024-01-31T10:20:30.123Z'],
    [`${iso} | date('iso')`, '2024-01-31T10:20:30.123000Z'],
    [`${iso} | date`, '2024-01-31T10:20:30.123000Z'],
    [`${iso} | date('dd/MM/yy HH:mm')`, '31/01/24 10:20'],
    [`${iso} | date('EEE d MMM yyyy, h:mm a')`, 'Wed 31 Jan 2024, 10:20 AM'],
    [`${iso} | date('EEEE MMMM')`, 'Wednesday January'],
    [`${iso} | date('HH:mm XXX', timeZone='Europe/Paris')`, '11:20 +01:00'],
    ["'2024-07-01T00:00:00Z' | date('yyyy-MM-dd HH:mm XXX', timeZone='Europe/Paris')", '2024-07-01 02:00 +02:00'],
    ["'2024-07-01T00:00:00Z' | date('yyyy-MM-dd HH:mm', timeZone='America/New_York')", '2024-06-30 20:00'],
    [`${iso} | date('HH:mm Z', timeZone='+05:30')`, '15:50 +0530'],
    ["'2013-09-08T16:19:00+02' | date('yyyy-MM-dd HH:mm')", '2013-09-08 14:19'],
    ["'2024-05-31' | date('yyyy-MM-dd HH:mm')", '2024-05-31 00:00'],
    ['0 | date', '1970-01-01T00:00:00.000000Z'],
    ["1717156800 | date('yyyy-MM-dd HH:mm')", '2024-05-31 12:00'],
    ["'2024-05-31T12:00:00Z' | timestamp", 1717156800],
    ["execution.startDate | date('yyyy')", '2024'],
    [`${iso} | date("'at' HH 'o''clock'")`, "at 10 o'clock"],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toBe(expected);
  });

  it.each([
    [`'2024-01-31T10:20:30Z' | dateAdd(1, 'DAYS')`, '2024-02-01T10:20:30.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd(-1, 'day')`, '2024-01-30T10:20:30.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd(90, 'seconds')`, '2024-01-31T10:22:00.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd(2, 'Minutes')`, '2024-01-31T10:22:30.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd(14, 'HOURS')`, '2024-02-01T00:20:30.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd(1, 'MONTHS')`, '2024-02-29T10:20:30.000000Z'],
    [`'2024-02-29T00:00:00Z' | dateAdd(1, 'YEAR')`, '2025-02-28T00:00:00.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd('2', 'WEEKS')`, '2024-02-14T10:20:30.000000Z'],
    [`'2024-01-31T10:20:30Z' | dateAdd(-1, 'DAYS') | date('yyyy-MM-dd')`, '2024-01-30'],
    [`null | dateAdd(1, 'DAYS')`, null],
  ])('%s → %j', (expression, expected) => {
    expect(run(expression)).toBe(expected);
  });

  it('explains bad dates, patterns, units and zones', () => {
    expect(expressionError(() => run("'yesterday' | date('yyyy')")).message).toContain('is not a date');
    expect(expressionError(() => run("'2024-02-30' | date('yyyy')")).message).toContain('is not a date');
    expect(expressionError(() => run("'2024-01-01' | date('yyyy-MM-ddTHH')")).message).toContain("uses 'T'");
    expect(expressionError(() => run("'2024-01-01' | dateAdd(1, 'FORTNIGHTS')")).message).toContain("unknown date unit 'FORTNIGHTS'");
    expect(expressionError(() => run("'2024-01-01' | date('yyyy', timeZone='Mars/Olympus')")).message).toContain("unknown time zone 'Mars/Olympus'");
    expect(expressionError(() => run("'x' | date('yyyy', existingFormat='MM/dd')")).message).toContain("does not match the date format 'MM/dd'");
  });
});

describe('filter registry', () => {
  it('has every filter the brief and Kestra flows rely on', () => {
    for (const name of [
      'default',
      'upper',
      'lower',
      'capitalize',
      'title',
      'trim',
      'replace',
      'split',
      'join',
      'length',
      'first',
      'last',
      'keys',
      'values',
      'toJson',
      'json',
      'number',
      'abs',
      'round',
      'date',
      'dateAdd',
      'slugify',
      'base64encode',
      'base64decode',
      'urlencode',
      'urldecode',
      'sha256',
      'jq',
      'slice',
      'sort',
      'reverse',
      'unique',
      'startsWith',
      'endsWith',
      'toString',
      'string',
      'fromJson',
    ]) {
      expect(filters.has(name), name).toBe(true);
    }
  });

  it('works inside templates with context values', () => {
    expect(render("{{ users | jq('.[] | select(.age > 30) | .name') | first | upper }}", ctx)).toBe('ANN');
  });
});
