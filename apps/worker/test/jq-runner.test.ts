// The real jq the worker uses for the `jq` filter: jq-wasm in a thread, with a time limit. Cases
// are what Baton's bounded subset cannot do (variables, def, reduce, regular expressions, `..`),
// from jq's manual, and the failures a flow author must be able to read.
import { afterAll, describe, expect, it } from 'vitest';
import { JqRunner } from '../src/activities/jq-runner';

const jq = new JqRunner(1_500);
afterAll(() => jq.close());

describe('real jq in a thread', () => {
  it('runs what the subset refuses: variables, def, reduce, regex, recursion', async () => {
    expect(await jq.run('{"a":[1,2,3]}', 'reduce .a[] as $x (0; . + $x)')).toEqual([6]);
    expect(await jq.run('{}', 'def double: . * 2; [1, 2] | map(double)')).toEqual([[2, 4]]);
    expect(await jq.run('{"name":"web-12"}', '.name | test("^web-[0-9]+$")')).toEqual([true]);
    expect(await jq.run('{"a":{"b":1,"c":[2]}}', '[.. | numbers]')).toEqual([[1, 2]]);
    expect(await jq.run('{"items":[{"n":"b"},{"n":"a"}]}', '.items | sort_by(.n) | map(.n) | join(",")')).toEqual(['a,b']);
    expect(await jq.run('{"s":"a-b-c"}', '.s | [splits("-")]')).toEqual([['a', 'b', 'c']]);
  });

  it("returns every output, as Kestra's filter does, and nothing for empty", async () => {
    expect(await jq.run('[1,2,3]', '.[] | select(. > 1)')).toEqual([2, 3]);
    expect(await jq.run('[]', '.[]')).toEqual([]);
  });

  it("says what is wrong with a program, in jq's words", async () => {
    await expect(jq.run('{}', '.a |||')).rejects.toThrow(/^jq '\.a \|\|\|': syntax error/);
    await expect(jq.run('{"a":"x"}', '.a + 1')).rejects.toThrow(/cannot be added/);
  });

  it('stops a program that runs away, and the next one still works', async () => {
    await expect(jq.run('0', 'def f: f; f')).rejects.toThrow(/ran longer than 1.5 s and was stopped/);
    expect(await jq.run('{"a":1}', '.a')).toEqual([1]);
  });
});
