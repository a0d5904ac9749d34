import { conformance, KESTRA, PEBBLE, type Case } from './cases';

const users = [{ username: 'Alex' }, { username: 'Bob' }, { username: 'John' }];

const cases: Case[] = [
  // CoreTagsTest
  { source: `${PEBBLE}CoreTagsTest.java testIf`, template: '{% if false or steve == true  %}yes{% else %}no{% endif %}', vars: { steve: false }, expected: 'no' },
  {
    source: `${PEBBLE}CoreTagsTest.java testIfThenElse`,
    template: '{% if alpha %}alpha{% elseif beta %}beta{% else %}gamma{% endif %}',
    vars: { alpha: true, beta: false },
    expected: 'alpha',
  },
  {
    source: `${PEBBLE}CoreTagsTest.java testIfThenElse (beta)`,
    template: '{% if alpha %}alpha{% elseif beta %}beta{% else %}gamma{% endif %}',
    vars: { alpha: false, beta: true },
    expected: 'beta',
  },
  { source: `${PEBBLE}CoreTagsTest.java testIfWithDirectProperty`, template: '{% if variable %}yes{% else %}no{% endif %}', vars: { variable: true }, expected: 'yes' },
  {
    source: `${PEBBLE}CoreTagsTest.java testIfWhenInvalidOrNoEndifTag`,
    template: '{% if variable %}smth{ endif %}',
    vars: { variable: true },
    error: '{% if %} is not closed; add {% endif %}',
  },
  {
    source: `${PEBBLE}CoreTagsTest.java testFor`,
    template:
      '{% for user in users %}{% if loop.first %}[{{ loop.length }}]{% endif %}{% if loop.last %}[{{ loop.length }}]{% endif %}{{ loop.index }}{{ loop.revindex }}{{ user.username }}{% endfor %}',
    vars: { users },
    expected: '[3]02Alex11Bob[3]20John',
  },
  {
    source: `${PEBBLE}CoreTagsTest.java testForWithMap`,
    template: '{% for entry in data %}{{ entry.key }} {{ entry.value }}{% endfor %}',
    vars: { data: { One: 1, Two: 2, Three: 3 } },
    expected: 'One 1Two 2Three 3',
  },
  { source: `${PEBBLE}CoreTagsTest.java testForSequenceNumber`, template: '{% for i in 0..5 %}{{i}}{% endfor %}', expected: '012345' },
  { source: `${PEBBLE}CoreTagsTest.java testForSequenceNumberException`, template: "{% for i in 'a'..5 %}{{i}}{% endfor %}", error: "range's start must be a number" },
  { source: `${PEBBLE}CoreTagsTest.java testForWhenInvalidOrNoEndforTag`, template: "{% for i in 'a'..5 %}{{i}}% endfor %}", error: '{% for %} is not closed; add {% endfor %}' },
  { source: `${PEBBLE}CoreTagsTest.java testFilterTag`, template: '{% filter upper %}hello{% endfilter %}', expected: 'HELLO' },
  {
    source: `${PEBBLE}CoreTagsTest.java testChainedFilterTag`,
    template: '{% filter lower | escape %}HELLO<br>{% endfilter %}',
    expected: 'hello&lt;br&gt;',
  },
  {
    source: `${PEBBLE}CoreTagsTest.java testForIteratingOverProperty`,
    template: '{% for user in classroom.users %}{{ user.username }}{% endfor %}',
    vars: { classroom: { users: users.slice(0, 2) } },
    expected: 'AlexBob',
  },
  { source: `${PEBBLE}CoreTagsTest.java testForWithNullIterable`, template: '{% for user in users %}{{ loop.index }}{% endfor %}', vars: { users: null }, expected: '' },
  {
    source: `${PEBBLE}CoreTagsTest.java testForWithArray`,
    template: '{% for user in users %}{{ user }}{% endfor %}',
    vars: { users: ['User 1', 'User 2', 'User 3'] },
    expected: 'User 1User 2User 3',
  },
  { source: `${PEBBLE}CoreTagsTest.java testForWithArrayOfPrimitives`, template: '{% for num in ints %}{{ num }}{% endfor %}', vars: { ints: [1, 2, 3] }, expected: '123' },
  {
    source: `${PEBBLE}CoreTagsTest.java multipleForLoops`,
    template: '{% for user in users %}{{ user.username }}{% endfor %}{% for user in users %}{{ user.username }}{% endfor %}',
    vars: { users: users.slice(0, 2) },
    expected: 'AlexBobAlexBob',
  },
  { source: `${PEBBLE}CoreTagsTest.java testForElse`, template: '{% for user in users %}{{ user.username }}{% else %}yes{% endfor %}', vars: { users: [] }, expected: 'yes' },
  { source: `${PEBBLE}CoreTagsTest.java testSet`, template: '{% set name = "alex"  %}{{ name }}', expected: 'alex' },
  {
    source: `${PEBBLE}CoreTagsTest.java testCache`,
    template: "{% cache 'test' %}{% if foobar %}true{% else %}false{% endif %}{% endcache %}",
    vars: { foobar: true },
    expected: 'true',
    differs: { reason: 'the cache tag is refused: a render must not depend on earlier renders (Temporal replay)', error: 'the {% cache %} tag is not supported' },
  },
  // IfNode (strict variables): null is an error, lists and maps are refused.
  {
    source: `${PEBBLE}node/IfNode.java (strict null)`,
    template: '{% if nothing %}yes{% endif %}',
    vars: { nothing: null },
    error: 'null value given to if statement and strict variables is set to true',
  },
  {
    source: `${PEBBLE}node/IfNode.java (Unsupported value type)`,
    template: '{% if items %}yes{% endif %}',
    vars: { items: [1] },
    error: 'an if needs a boolean, a number or text',
  },
  { source: `${PEBBLE}node/IfNode.java (String → non-empty is true)`, template: "{% if 'false' %}yes{% endif %}", expected: 'yes' },
  { source: `${PEBBLE}node/IfNode.java (Number → not 0)`, template: '{% if 0 %}yes{% else %}no{% endif %}', expected: 'no' },
  // ForNode: the loop scope is pushed once for the whole loop; set inside it does not leak out.
  { source: `${PEBBLE}node/ForNode.java (scope)`, template: '{% for x in [1, 2] %}{% set y = x %}{% endfor %}{{ y is defined }}', expected: 'false' },
  { source: `${PEBBLE}node/ForNode.java (not iterable)`, template: '{% for x in 5 %}{{ x }}{% endfor %}', error: '{% for %} needs a list or a map' },

  // WhitespaceControlTest
  { source: `${PEBBLE}WhitespaceControlTest.java testWindowsNewlineCharacter`, template: '{{ "" }}\r\n', expected: '\r\n' },
  { source: `${PEBBLE}WhitespaceControlTest.java testLeadingWhitespaceControlModifier`, template: '<li>    \t{{- foo }}</li>', vars: { foo: 'bar' }, expected: '<li>bar</li>' },
  { source: `${PEBBLE}WhitespaceControlTest.java testTrailingWhitespaceControlModifier`, template: '<li>{{ foo -}}   \t</li>', vars: { foo: 'bar' }, expected: '<li>bar</li>' },
  { source: `${PEBBLE}WhitespaceControlTest.java testLeadingWhitespaceTrimWithoutOutsideText`, template: '{{- foo -}}', vars: { foo: 'bar' }, expected: 'bar' },
  {
    source: `${PEBBLE}WhitespaceControlTest.java testLeadingAndTrailingWhitespaceControlModifier`,
    template: '{{ foo }} <li>   {{- foo -}}   \t</li> {{ foo }}',
    vars: { foo: 'bar' },
    expected: 'bar <li>bar</li> bar',
  },
  {
    source: `${PEBBLE}WhitespaceControlTest.java testWhitespaceControlModifierRemovesNewlines`,
    template: '<li>\n{{- foo -}}\n</li>',
    vars: { foo: 'bar' },
    expected: '<li>bar</li>',
  },
  {
    source: `${PEBBLE}WhitespaceControlTest.java testWhitespaceTrimWithExecuteDelimiter`,
    template: '<li>    \t{%- if true %} success {% else %} fail {% endif -%}   \t</li>',
    expected: '<li> success </li>',
  },
  { source: `${PEBBLE}WhitespaceControlTest.java testLeadingWhitespaceTrimWithCommentDelimiter`, template: '<li>    \t{#- comment #}</li>', expected: '<li></li>' },
  { source: `${PEBBLE}WhitespaceControlTest.java testTrailingWhitespaceTrimWithCommentDelimiter`, template: '<li>{# comment -#}   \t</li>', expected: '<li></li>' },
  {
    source: `${PEBBLE}WhitespaceControlTest.java testLeadingWhitespaceTrimWithVerbatimTag`,
    template: '<li> {%- verbatim %}{{ bar }} {%- endverbatim %}</li>',
    expected: '<li>{{ bar }}</li>',
  },
  {
    source: `${PEBBLE}WhitespaceControlTest.java testTrailingWhitespaceTrimWithVerbatimTag`,
    template: '<li>{% verbatim -%} {{ bar }}{% endverbatim -%} </li>',
    expected: '<li>{{ bar }}</li>',
  },
  // Kestra sets newLineTrimming(false): the newline after a tag stays.
  {
    source: `${KESTRA}../../../main/java/io/kestra/core/runners/pebble/PebbleEngineFactory.java newLineTrimming(false)`,
    template: '{% if true %}\nyes\n{% endif %}\n',
    expected: '\nyes\n\n',
  },

  // MacroTest
  {
    source: `${PEBBLE}MacroTest.java (basic macro)`,
    template: '{% macro input(type, name) %}<input type="{{ type }}" name="{{ name }}">{% endmacro %}{{ input("text", "user") }}',
    expected: '<input type="text" name="user">',
  },
  {
    source: `${PEBBLE}MacroTest.java (default arguments)`,
    template: "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}{% endmacro %}{{ greet('Bob') }}/{{ greet('Al', greeting='Hi') }}",
    expected: 'Hello, Bob/Hi, Al',
  },
  {
    source: `${PEBBLE}MacroTest.java (macros do not see the context)`,
    template: '{% macro m() %}{{ foo }}{% endmacro %}{{ m() }}',
    vars: { foo: 'bar' },
    error: 'a macro sees only its parameters',
  },

  // Kestra PebbleVariableRendererTest raw
  { source: `${KESTRA}PebbleVariableRendererTest.java raw`, template: 'See some code {% raw %}{{ var }}{% endraw %}', vars: { var: '1' }, expected: 'See some code {{ var }}' },
  {
    source: `${KESTRA}PebbleVariableRendererTest.java raw (no spaces)`,
    template: 'See some code {%raw%}{{ var }}{%endraw%}',
    vars: { var: '1' },
    expected: 'See some code {{ var }}',
  },
  {
    source: `${KESTRA}PebbleVariableRendererTest.java raw (trim)`,
    template: 'See some code {%-  raw%}{{ var }}{%endraw -%}',
    vars: { var: '1' },
    expected: 'See some code {{ var }}',
  },
  {
    source: `${KESTRA}PebbleVariableRendererTest.java raw (twice)`,
    template: 'See some code {% raw %}{{ var }}{% endraw %} and some other code {% raw %}{{ var2 }}{% endraw %}',
    vars: { var: '1' },
    expected: 'See some code {{ var }} and some other code {{ var2 }}',
  },
  {
    source: `${KESTRA}PebbleVariableRendererTest.java macro`,
    template: '{% block "post" %} content {% endblock %}{{ block("post") }}',
    expected: ' content  content ',
    differs: { reason: 'block/extends/include are refused: a flow property is one template, with nothing to inherit from', error: 'the {% block %} tag is not supported' },
  },
];

conformance('Pebble tags and whitespace control', cases);
