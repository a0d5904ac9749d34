import { conformance, KESTRA, PEBBLE, type Case } from './cases';

const PEBBLE_OPS = 'PebbleTemplates/pebble pebble/src/main/java/io/pebbletemplates/pebble/utils/OperatorUtils.java';

const PV = `${KESTRA}PebbleVariableRendererTest.java`;
const vars = {
  string: 'string',
  int: 1,
  float: 1.123,
  list: ['string', 1, 1.123],
  bool: true,
  map: { string: 'string', int: 1, float: 1.123 },
};
const nested = { block: { test: { child: 'awesome' } }, inner: 'test' };
const recursive = {
  first: '1',
  second: '{{first}}',
  third: '{{second}}',
  fourth: '{{render(third, recursive=false)}}',
  map: { third: '{{third}}' },
  list: ['{{third}}'],
};

const cases: Case[] = [
  // PebbleVariableRendererTest.out: rendering into text
  { source: `${PV} out (string)`, template: '{{ string }}', vars, expected: 'string' },
  { source: `${PV} out (int)`, template: '{{ int }}', vars, expected: '1' },
  { source: `${PV} out (float)`, template: '{{ float }}', vars, expected: '1.123' },
  { source: `${PV} out (list)`, template: '{{ list }}', vars, expected: '["string",1,1.123]' },
  { source: `${PV} out (bool)`, template: '{{ bool }}', vars, expected: 'true' },
  { source: `${PV} out (map)`, template: '{{ map }}', vars, expected: '{"string":"string","int":1,"float":1.123}' },
  { source: `${PV} out (escape)`, template: '{{ list }} // {{ map }}', vars, expected: '["string",1,1.123] // {"string":"string","int":1,"float":1.123}' },
  { source: `${PV} out (empty)`, template: '{{ list[3] is defined ? bla : null }}', vars, expected: '' },
  { source: `${PV} out (concat)`, template: '{{ "apple" ~ "pear" ~ "banana" }}', vars, expected: 'applepearbanana' },
  // autoJson
  { source: `${PV} autoJson (collection)`, template: '{{ collection }}', vars: { collection: ['1', '2', '3'] }, expected: '["1","2","3"]' },
  { source: `${PV} autoJson (inta)`, template: '{{ inta }}', vars: { inta: [1, 2, 3] }, expected: '[1,2,3]' },
  // exception / firstDefined: strict variables
  { source: `${PV} exception`, template: '{{ missing is defined ? missing : missing2 }}', error: "'missing2' is not defined" },
  { source: `${PV} eval`, template: '{{ block[inner].child }}', vars: nested, expected: 'awesome' },
  { source: `${PV} firstDefined`, template: '{{ inner.bla is not defined ? block.test.child : null }}', vars: nested, expected: 'awesome' },
  { source: `${PV} firstDefined (2)`, template: '{{ block.test.child is defined ? block.test.child : inner.bla }}', vars: nested, expected: 'awesome' },
  { source: `${PV} firstDefinedEval`, template: '{{ block[missing].child is defined ? null : block[inner].child }}', vars: nested, expected: 'awesome' },
  {
    source: `${PV} firstDefinedEval (nested)`,
    template: '{{ block[missing].child is not defined ? (block[missing2].child is not defined ? block[inner].child : null) : null }}',
    vars: nested,
    expected: 'awesome',
  },
  { source: `${PV} firstDefinedEval (root)`, template: '{{ missing is defined ? null : block.test.child }}', vars: nested, expected: 'awesome' },
  { source: `${PV} get`, template: "{{ block['test'] }}", vars: nested, expected: '{"child":"awesome"}' },
  { source: `${PV} get (2)`, template: "{{ block[inner]['child'] }}", vars: nested, expected: 'awesome' },
  { source: `${PV} get (syntax)`, template: '{{ get missing }}', vars: nested, error: "unexpected 'missing'" },
  { source: `${PV} numberFormat`, template: '{{ var | numberFormat("#.##") }}', vars: { var: 1.232654 }, expected: '1.23' },
  // recursive rendering
  { source: `${PV} recursive`, template: '{{ third }}', vars: recursive, expected: '{{second}}' },
  { source: `${PV} recursive (once)`, template: '{{ render(third, recursive=false) }}', vars: recursive, expected: '{{first}}' },
  { source: `${PV} recursive (render)`, template: '{{ render(third) }}', vars: recursive, expected: '1' },
  { source: `${PV} recursive (nested recursive=false)`, template: '{{ render(fourth) }}', vars: recursive, expected: '1' },
  { source: `${PV} recursive (map)`, template: '{{ render(map, recursive=false) }}', vars: recursive, expected: '{"third":"{{second}}"}' },
  { source: `${PV} recursive (map, deep)`, template: '{{ render(map) }}', vars: recursive, expected: '{"third":"1"}' },
  { source: `${PV} recursive (list)`, template: '{{ render(list) }}', vars: recursive, expected: '["1"]' },
  { source: `${PV} recursiveRenderingAmountLimit`, template: '{{ render(first) }}', vars: { first: '{{second}}', second: '{{first}}' }, error: 'too many rendering attempts' },
  { source: `${KESTRA}functions/RenderOncerFunctionTest.java`, template: '{{ renderOnce(third) }}', vars: recursive, expected: '{{first}}' },

  // TypedObjectWriter: one value keeps its type; several are concatenated as text.
  { source: `${KESTRA}TypedObjectWriterTest.java writeInt`, template: '{{ 1 }}', typed: true, expected: 1 },
  { source: `${KESTRA}TypedObjectWriterTest.java writeInts`, template: '{{ 1 }}{{ 2 }}{{ 3 }}', typed: true, expected: '123' },
  { source: `${KESTRA}TypedObjectWriterTest.java writeDouble`, template: '{{ 1.0 }}', typed: true, expected: 1 },
  { source: `${KESTRA}TypedObjectWriterTest.java writeDoubles`, template: '{{ 1.0 }}{{ 2.0 }}{{ 3.0 }}', typed: true, expected: '1.02.03.0' },
  { source: `${KESTRA}TypedObjectWriterTest.java writeStrings`, template: "{{ 'a' }}{{ 'b' }}{{ 'c' }}", typed: true, expected: 'abc' },
  {
    source: `${KESTRA}TypedObjectWriterTest.java writeObjects`,
    template: "{{ {'a': 'b'} }}{{ {'c': 'd'} }}",
    typed: true,
    expected: undefined,
    differs: { reason: 'Kestra refuses to concatenate two maps ("Cannot concat"); Baton writes both as JSON, as it does in text', baton: '{"a":"b"}{"c":"d"}' },
  },
  { source: `${KESTRA}TypedObjectWriter.java (text around the value)`, template: '{{ 5 }}\n', typed: true, expected: '5\n' },
  { source: `${KESTRA}TypedObjectWriter.java (leading spaces)`, template: '  {{ true }}', typed: true, expected: '  true' },
  { source: `${KESTRA}TypedObjectWriter.java (comments write nothing)`, template: '{# why #}{{ [1, 2] }}', typed: true, expected: [1, 2] },
  { source: `${KESTRA}TypedObjectWriter.java (tags write nothing)`, template: '{% if true %}{{ {"a": 1} }}{% endif %}', typed: true, expected: { a: 1 } },
  { source: `${KESTRA}TypedObjectWriter.java (null is not written)`, template: '{{ null }}', typed: true, expected: null },

  // InExpressionTest, NotIn
  { source: `${KESTRA}expression/InExpressionTest.java inList`, template: "{{ state isIn ['SUCCESS', 'WARNING'] }}", vars: { state: 'SUCCESS' }, expected: 'true' },
  { source: `${KESTRA}expression/InExpressionTest.java inList (false)`, template: "{{ state isIn ['FAILED', 'KILLED'] }}", vars: { state: 'SUCCESS' }, expected: 'false' },
  {
    source: `${KESTRA}expression/InExpressionTest.java inMap (key)`,
    template: '{{ key isIn map }}',
    vars: { map: { key: 'value' }, key: 'key', value: 'value' },
    expected: 'true',
  },
  {
    source: `${KESTRA}expression/InExpressionTest.java inMap (value)`,
    template: '{{ value isIn map }}',
    vars: { map: { key: 'value' }, key: 'key', value: 'value' },
    expected: 'true',
  },
  { source: `${KESTRA}expression/NotInExpressionTest.java`, template: "{{ state notIn ['FAILED', 'KILLED'] }}", vars: { state: 'SUCCESS' }, expected: 'true' },
  // Coalescing
  { source: `${KESTRA}expression/UndefinedCoalescingExpressionTest.java nullOrUndefined`, template: "{{ null ??? 'IS NULL' }}", expected: '' },
  { source: `${KESTRA}expression/UndefinedCoalescingExpressionTest.java nullOrUndefined (2)`, template: "{{ undefined ??? 'IS UNDEFINED' }}", expected: 'IS UNDEFINED' },
  { source: `${KESTRA}expression/NullCoalescingExpressionTest.java`, template: "{{ missing ?? 'fallback' }}", expected: 'fallback' },
  { source: `${KESTRA}expression/NullCoalescingExpressionTest.java (null)`, template: "{{ nothing ?? 'fallback' }}", vars: { nothing: null }, expected: 'fallback' },
  // GreaterThanExpressionTest
  { source: `${KESTRA}expression/GreaterThanExpressionTest.java shouldCompareStrings`, template: '{{ left > right }}', vars: { left: 'b', right: 'a' }, expected: 'true' },
  { source: `${KESTRA}expression/GreaterThanExpressionTest.java shouldCompareNumbers`, template: '{{ five > three }}', vars: { five: 5, three: 3 }, expected: 'true' },
  // Numbers as Java prints them
  { source: 'Java Double.toString (literal)', template: '{{ 1.0 }} {{ 2.50 }} {{ 1e7 }} {{ 0.0001 }}', expected: '1.0 2.5 1.0E7 1.0E-4' },
  { source: 'Java Double.toString (arithmetic)', template: '{{ 1.5 * 2 }} {{ 3 * 2 }}', expected: '3.0 6' },
  {
    source: 'Java Double.toString (data)',
    template: '{{ ratio }}',
    vars: { ratio: 1 },
    expected: '1.0',
    differs: { reason: 'numbers from data (JSON) carry no int/double distinction in JavaScript; a whole number prints without .0', baton: '1' },
  },
  // RenderFunctionTest
  { source: `${KESTRA}functions/RenderFunctionTest.java shouldRenderForString`, template: '{{ render(input) }}', vars: { input: 'test' }, expected: 'test' },
  { source: `${KESTRA}functions/RenderFunctionTest.java shouldRenderForInteger`, template: '{{ render(input) }}', vars: { input: 42 }, expected: '42' },
  { source: `${KESTRA}functions/RenderFunctionTest.java shouldRenderForBoolean`, template: '{{ render(input) }}', vars: { input: true }, expected: 'true' },
  { source: `${KESTRA}functions/RenderFunctionTest.java shouldRenderForNull`, template: '{{ render(input) }}', vars: { input: null }, expected: '' },
  {
    source: `${KESTRA}functions/RenderFunctionTest.java shouldThrowOnCircularRender`,
    template: '{{ render(input) }}',
    vars: { input: '{{ render(input) }}' },
    error: 'render() is nested more than 5 levels deep',
  },
  // LogicTest (Pebble)
  { source: `${PEBBLE}LogicTest.java testUnaryOperators`, template: '{% if -2 == -+(5 - 3) %}yes{% else %}no{% endif %}', expected: 'yes' },
  {
    source: `${PEBBLE}LogicTest.java testNotUnaryOperatorWithStrictVariables (false)`,
    template: '{% if not (val) %}yes{% else %}no{% endif %}',
    vars: { val: false },
    expected: 'yes',
  },
  {
    source: `${PEBBLE}LogicTest.java testNotUnaryOperatorWithStrictVariables (true)`,
    template: '{% if not (val) %}yes{% else %}no{% endif %}',
    vars: { val: true },
    expected: 'no',
  },
  { source: `${PEBBLE}LogicTest.java testNotUnaryOperatorWithStrictVariables (missing)`, template: '{% if not (val) %}yes{% else %}no{% endif %}', error: "'val' is not defined" },
  {
    source: `${PEBBLE}LogicTest.java testNotUnaryOperatorWithStrictVariables (null)`,
    template: '{% if not (val) %}yes{% else %}no{% endif %}',
    vars: { val: null },
    error: 'null',
    differs: { reason: "'not' reads null as false (Jinja's truthiness) instead of failing", baton: 'yes' },
  },
  {
    source: `${PEBBLE}LogicTest.java testTruthinessOfNullVariableWithStrictMode`,
    template: '{% if foobar %}true{% else %}false{% endif %}',
    vars: { foobar: null },
    error: 'null value given to if statement',
  },
  { source: `${PEBBLE}LogicTest.java testBinaryOperators`, template: '{{ 8 + 5 * 4 - (6 + 10 / 2)  + 44 }}-{{ 10%3 }}', expected: '61-1' },
  {
    source: `${PEBBLE}LogicTest.java testBinaryOperators2 (int - string)`,
    template: '{{ left - right }}',
    vars: { left: 10, right: '2' },
    expected: '8',
    differs: { reason: "arithmetic does not convert text to numbers; convert with '| number'", error: "convert text to a number with '| number'" },
  },

  // Operators where Baton deliberately reads differently (README, compatibility table).
  {
    source: `${PEBBLE_OPS} add (strings)`,
    template: "{{ 'a' + 'b' }}",
    expected: 'ab',
    differs: { reason: "'+' is numeric only; text is joined with '~'", error: "join text with '~'" },
  },
  { source: `${PEBBLE_OPS} equals (Pebble's word for ==)`, template: "{{ a equals 'x' }} {{ 1 equals 2 }}", vars: { a: 'x' }, expected: 'true false' },
  // Division as Java divides: two longs truncate toward zero; a double on either side does not.
  { source: `${PEBBLE_OPS} divide (longs)`, template: '{{ 10 / 4 }}', expected: '2' },
  { source: `${PEBBLE_OPS} divide (negative longs truncate toward zero)`, template: '{{ -7 / 2 }}', expected: '-3' },
  { source: `${PEBBLE_OPS} divide (long by double)`, template: '{{ 10 / 4.0 }} {{ 10.0 / 4 }} {{ 9.0 / 3 }}', expected: '2.5 2.5 3.0' },
  { source: `${PEBBLE_OPS} divide (longs from data)`, template: '{{ a / b }}', vars: { a: 10, b: 4 }, expected: '2' },
  { source: `${PEBBLE_OPS} divide (double from data)`, template: '{{ a / b }}', vars: { a: 7.5, b: 2 }, expected: '3.75' },
  { source: `${PEBBLE_OPS} modulus (longs, sign of the dividend)`, template: '{{ -7 % 3 }} {{ 7 % -3 }}', expected: '-1 1' },
  { source: 'Java Double.toString (a double stays a double)', template: '{{ 1.0 }} {{ 1.0 + 1 }} {{ 2 * 0.5 }} {{ -0.0 }}', expected: '1.0 2.0 1.0 -0.0' },
  {
    source: `${PEBBLE_OPS} divide (a whole double from data)`,
    template: '{{ a / b }}',
    vars: { a: 10.0, b: 4 },
    expected: '2.5',
    differs: { reason: 'JSON data carries no int/double distinction: 10.0 read from data is the whole number 10, so it divides as a long', baton: '2' },
  },
  {
    source: `${PEBBLE}node/expression/UnaryNotExpressionTest.java`,
    template: '{{ not missing is defined }}',
    error: 'Root attribute [missing] does not exist or can not be accessed and strict variables is set to true.',
    differs: { reason: "'not' applies to the whole test (Jinja's reading): not (missing is defined)", baton: 'true' },
  },
];

conformance("Kestra's rendering rules", cases);
