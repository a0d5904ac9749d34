import { conformance, PEBBLE, type Case } from './cases';

const SI = `${PEBBLE}StringInterpolationTest.java`;
const CT = `${PEBBLE}CoreTestsTest.java`;

const interpolation: Case[] = [
  { source: `${SI} testSimpleVariableInterpolation`, template: '{{ "Hello, #{name}" }}', vars: { name: 'joe' }, expected: 'Hello, joe' },
  { source: `${SI} testExpressionInterpolation`, template: '{{ "1 plus 2 equals #{1 + 2}" }}', expected: '1 plus 2 equals 3' },
  { source: `${SI} testUnclosedInterpolation`, template: '{{ " #{ 1 +" }}', error: 'is not closed' },
  { source: `${SI} testDoubleClosedInterpolation`, template: '{{ "#{3}}" }}', expected: '3}' },
  { source: `${SI} testFunctionInInterpolation`, template: '{{ "Maximum: #{ max(5, 10) } " }}', expected: 'Maximum: 10 ' },
  { source: `${SI} testVerbatimInterpolation`, template: '{% verbatim %}{{ "Sum: #{ 1 + 2 }" }}{% endverbatim %}', expected: '{{ "Sum: #{ 1 + 2 }" }}' },
  { source: `${SI} testInterpolationWithEscapedQuotes`, template: '{{ "The cow says: #{"\\"moo\\""}" }}', expected: 'The cow says: "moo"' },
  {
    source: `${SI} testNestedInterpolation0`,
    template: '{{ "Nested: #{ outer + " #{ inner }" }" }}',
    vars: { outer: 'OUTER', inner: 'INNER' },
    expected: 'Nested: OUTER INNER',
    differs: { reason: "'+' is numeric only; text is joined with '~'", error: "join text with '~'" },
  },
  {
    source: `${SI} testNestedInterpolation0 (with ~)`,
    template: '{{ "Nested: #{ outer ~ " #{ inner }" }" }}',
    vars: { outer: 'OUTER', inner: 'INNER' },
    expected: 'Nested: OUTER INNER',
  },
  { source: `${SI} testNestedInterpolation1`, template: `{{ "#{"#{"#{'hi'}"}"}" }}`, expected: 'hi' },
  { source: `${SI} testInterpolationWhitespace0`, template: '{{ "Outer: #{3+4}" }}', expected: 'Outer: 7' },
  { source: `${SI} testInterpolationWhitespace4`, template: '{{ "Outer:  #{ 3 + 4 }  " }}', expected: 'Outer:  7  ' },
  { source: `${SI} testStringWithNumberSigns`, template: '{{ "#bang #crash }!!" }}', expected: '#bang #crash }!!' },
  { source: `${SI} testStringWithNumberSignsAndInterpolation`, template: `{{ "The cow said ##{'moo'}#" }}`, expected: 'The cow said #moo#' },
  { source: `${SI} testWhitespaceBetweenNumberSignAndCurlyBrace`, template: '{{ "Green eggs and # {ham}" }}', expected: 'Green eggs and # {ham}' },
  { source: `${SI} testStringInsideInterpolation`, template: '{{ "Outer: #{ "inner" }" }}', expected: 'Outer: inner' },
  { source: `${SI} testSingleQuoteNoInterpolation`, template: "{{ '#{3}'}}", expected: '#{3}' },
  { source: `${SI} testSingleQuoteInsideInterpolation (with ~)`, template: `{{ "The cow says: #{'moo' ~ '#{moo}'}" }}`, expected: 'The cow says: moo#{moo}' },
  { source: `${SI} testSequentialInterpolations0`, template: '{{ "#{1+1}#{2+2}" }}', expected: '24' },
  {
    source: `${SI} testSequentialInterpolations1`,
    template: `{{ "The #{'cow'} says #{'moo'} and jumps #{'over'} the #{'moon'}"}}`,
    expected: 'The cow says moo and jumps over the moon',
  },
  { source: `${SI} testVariableContainingInterplationSyntax`, template: '{{ "Hey #{name}" }}', vars: { name: '#{1+1}' }, expected: 'Hey #{1+1}' },
  { source: `${SI} testNewlineInInterpolation`, template: '{{ "Sum = #{ \'egg\negg\'}" }}', expected: 'Sum = egg\negg' },
];

const tests: Case[] = [
  { source: `${CT} testEven`, template: '{% if 2 is even %}yes{% else %}no{% endif %}', expected: 'yes' },
  {
    source: `${CT} testEvenWithNull`,
    template: '{% if null is even %}yes{% else %}no{% endif %}',
    expected: 'no',
    differs: { reason: "'even' on null is a type error rather than false", error: 'needs a number but got null' },
  },
  { source: `${CT} testOdd`, template: '{% if 2 is odd %}yes{% else %}no{% endif %}', expected: 'no' },
  { source: `${CT} testNull`, template: '{% if null is null %}yes{% else %}no{% endif %}', expected: 'yes' },
  { source: `${CT} testNotNull`, template: '{% if "test" is not null %}yes{% else %}no{% endif %}', expected: 'yes' },
  { source: `${CT} testEmpty`, template: '{% if "" is empty %}yes{% else %}no{% endif %}', expected: 'yes' },
  { source: `${CT} testEmpty (blank)`, template: '{% if "  " is empty %}yes{% else %}no{% endif %}', expected: 'yes' },
  { source: `${CT} testEmpty (list)`, template: '{% if [] is empty %}yes{% else %}no{% endif %}', expected: 'yes' },
  { source: `${CT} testIterable`, template: '{% if [1] is iterable %}yes{% else %}no{% endif %}', expected: 'yes' },
  { source: `${CT} testMap`, template: "{% if {'a': 1} is map %}yes{% else %}no{% endif %}", expected: 'yes' },
  { source: `${CT} testDefined`, template: '{% if missing is defined %}yes{% else %}no{% endif %}', expected: 'no' },
  {
    source: `${PEBBLE}../../../../main/java/io/pebbletemplates/pebble/extension/escaper/EscapeFilter.java html`,
    template: '{{ \'<a href="x">\' | escape }}',
    expected: '&lt;a href=&quot;x&quot;&gt;',
  },
  { source: `${PEBBLE}TernaryExpressionTest.java`, template: '{{ true ? "a" : "b" }}{{ false ? "a" : "b" }}', expected: 'ab' },
];

conformance("Pebble's string interpolation", interpolation);
conformance("Pebble's tests", tests);
