import { createHash } from 'node:crypto';
import { conformance, KESTRA, PEBBLE, type Case } from './cases';

const CF = `${PEBBLE}CoreFiltersTest.java`;
const KF = `${KESTRA}filters/`;
const words = ['zebra', 'apple', ' cat', '123', 'Apple', 'cat'];
const second = {
  string: 'string',
  int: 1,
  float: 1.123,
  list: ['string', 1, 1.123],
  bool: true,
  map: { string: 'string', int: 1, float: 1.123 },
};

const pebble: Case[] = [
  { source: `${CF} testAbs`, template: '{{ -5 | abs }}', expected: '5' },
  { source: `${CF} testAbsDouble`, template: '{{ -5.2 | abs }}', expected: '5.2' },
  { source: `${CF} testChainedFiltersWithNullInput`, template: '{{ null | upper | lower }}', expected: '' },
  { source: `${CF} testLower`, template: "{{ 'TEMPLATE' | lower }}", expected: 'template' },
  { source: `${CF} testUpper`, template: "{{ 'template' | upper }}", expected: 'TEMPLATE' },
  { source: `${CF} testUpperWithNullInput`, template: '{{ null | upper }}', expected: '' },
  { source: `${CF} testDateWithNullInput`, template: '{{ null | date("MM/dd/yyyy") }}', expected: '' },
  {
    source: `${CF} testDateWithNumberInput`,
    template: '{{ dateAsNumber | date("MM/dd/yyyy") }}',
    vars: { dateAsNumber: 1518004210000 },
    expected: '02/07/2018',
    differs: { reason: "Kestra's date filter (which replaces Pebble's) reads whole numbers as epoch seconds", baton: '08/21/50073' },
  },
  { source: `${CF} testUrlEncode`, template: "{{ 'The string ü@foo-bar' | urlencode }}", expected: 'The+string+%C3%BC%40foo-bar' },
  { source: `${CF} testUrlEncodeWithNullInput`, template: '{{ null | urlencode }}', expected: '' },
  {
    source: `${CF} testNumberFormatFilterWithFormat`,
    template: 'You owe me {{ 10000.235166 | numberformat(currencyFormat) }}.',
    vars: { currencyFormat: '$#,###,###,##0.00' },
    expected: 'You owe me $10,000.24.',
  },
  {
    source: `${CF} testNumberFormatFilterWithNamedArgument`,
    template: 'You owe me {{ 10000.235166 | numberformat(format=currencyFormat) }}.',
    vars: { currencyFormat: '$#,###,###,##0.00' },
    expected: 'You owe me $10,000.24.',
  },
  { source: `${CF} testNumberFormatFilterWithNullInput`, template: '{{ null | numberformat(currencyFormat) }}', vars: { currencyFormat: '$#,###,###,##0.00' }, expected: '' },
  { source: `${CF} testNumberFormatFilterWithLocale`, template: '{{ 1000000 | numberformat }}', expected: '1,000,000' },
  { source: `${CF} testAbbreviate`, template: "{{ 'This is a test of the abbreviate filter' | abbreviate(16) }}", expected: 'This is a tes...' },
  { source: `${CF} testAbbreviateWithNamedArguments`, template: "{{ 'This is a test of the abbreviate filter' | abbreviate(length=16) }}", expected: 'This is a tes...' },
  { source: `${CF} testAbbreviateWithNullInput`, template: '{{ null | abbreviate(16) }}', expected: '' },
  { source: `${CF} testAbbreviateWithSmallLength`, template: '{{ text | abbreviate(2)}}', vars: { text: '1234567' }, expected: '12' },
  { source: `${CF} testCapitalize`, template: "{{ 'this should be capitalized.' | capitalize }}", expected: 'This should be capitalized.' },
  {
    source: `${CF} testCapitalizeWithLeadingWhitespace`,
    template: "{{ ' \\nthis should be capitalized.' | capitalize }}",
    expected: ' \nThis should be capitalized.',
  },
  { source: `${CF} testCapitalizeWithNullInput`, template: '{{ null | capitalize }}', expected: '' },
  { source: `${CF} testCapitalizeWithEmptyString`, template: "{{ '' | capitalize }}", expected: '' },
  {
    source: `${CF} testSortFilter`,
    template: '{% for word in words|sort %}{{ word }} {% endfor %}',
    vars: { words },
    expected: ' cat 123 Apple apple cat zebra ',
  },
  { source: `${CF} testRsortFilter`, template: '{% for word in words|rsort %}{{ word }} {% endfor %}', vars: { words }, expected: 'zebra cat apple Apple 123  cat ' },
  { source: `${CF} testReverseFilter`, template: '{% for word in words|reverse %}{{ word }} {% endfor %}', vars: { words: ['one', 'two', 'three'] }, expected: 'three two one ' },
  { source: `${CF} testTitle`, template: "{{ null | title }} {{ 'test' | title }} {{ 'test test' | title }} {{ 'TEST TEST' | title }}", expected: ' Test Test Test TEST TEST' },
  { source: `${CF} testTitleWithLeadingWhitespace`, template: "{{ ' \\ntest' | title }}", expected: ' \nTest' },
  { source: `${CF} testTrim`, template: "{{ '        \t\tThis should be trimmed. \t\t' | trim }}", expected: 'This should be trimmed.' },
  { source: `${CF} testTrimWithNullInput`, template: '{{ null | trim }}', expected: '' },
  {
    source: `${CF} testDefault`,
    template: "{{ obj|default('ONE') }} {{ null|default('TWO') }} {{ '  ' |default('THREE') }} {{ 4 |default('FOUR') }}",
    vars: { obj: null },
    expected: 'ONE TWO THREE 4',
  },
  { source: `${CF} testDefaultFilterWithStrictMode`, template: "{{ name | default('test') }}", expected: 'test' },
  { source: `${CF} testDefaultWithNamedArguments`, template: "{{ obj|default(default='ONE') }}", vars: { obj: null }, expected: 'ONE' },
  { source: `${CF} testFirst`, template: '{{ names | first }}', vars: { names: ['Alex', 'Joe', 'Bob'] }, expected: 'Alex' },
  { source: `${CF} testFirstWithNullInput`, template: '{{ names | first }}', vars: { names: null }, expected: '' },
  { source: `${CF} testFirstWithStringInput`, template: '{{ name | first }}', vars: { name: 'Alex' }, expected: 'A' },
  { source: `${CF} testFirstWithEmptyCollection`, template: '{{ names | first }}', vars: { names: [] }, expected: '' },
  { source: `${CF} testJoin`, template: "{{ names | join(',') }}", vars: { names: ['Alex', 'Joe', 'Bob'] }, expected: 'Alex,Joe,Bob' },
  { source: `${CF} testJoinWithoutGlue`, template: '{{ names | join }}', vars: { names: ['Alex', 'Joe', 'Bob'] }, expected: 'AlexJoeBob' },
  { source: `${CF} testJoinWithNumbers`, template: "{{ numbers | join(',') }}", vars: { numbers: [1, 2, 3] }, expected: '1,2,3' },
  { source: `${CF} testJoinWithNullInput`, template: "{{ null | join(',') }}", expected: '' },
];

const kestra: Case[] = [
  // RegexFilterTest
  { source: `${KF}RegexFilterTest.java regexMatchMatches`, template: "{{ 'hello world' | regexMatch(regex='hello.*') }}", expected: 'true' },
  { source: `${KF}RegexFilterTest.java regexMatchDoesNotMatch`, template: "{{ 'hello world' | regexMatch(regex='^\\\\d+$') }}", expected: 'false' },
  { source: `${KF}RegexFilterTest.java regexMatchPartialMatch`, template: "{{ 'order-12345-done' | regexMatch(regex='\\\\d+') }}", expected: 'true' },
  { source: `${KF}RegexFilterTest.java regexMatchNullInput`, template: "{{ null | regexMatch(regex='.*') }}", expected: 'false' },
  { source: `${KF}RegexFilterTest.java regexReplaceSimple`, template: "{{ 'hello world' | regexReplace(regex='world', replacement='java') }}", expected: 'hello java' },
  { source: `${KF}RegexFilterTest.java regexReplaceAllOccurrences`, template: "{{ 'aa1bb2cc3' | regexReplace(regex='\\\\d', replacement='-') }}", expected: 'aa-bb-cc-' },
  {
    source: `${KF}RegexFilterTest.java regexReplaceWithCaptureGroup`,
    template: "{{ 'aa1bb2cc3' | regexReplace(regex='(\\\\d)', replacement='[$1]') }}",
    expected: 'aa[1]bb[2]cc[3]',
  },
  { source: `${KF}RegexFilterTest.java regexReplaceNoMatch`, template: "{{ 'hello' | regexReplace(regex='\\\\d+', replacement='X') }}", expected: 'hello' },
  { source: `${KF}RegexFilterTest.java regexReplaceNullInput`, template: "{{ null | regexReplace(regex='.*', replacement='x') }}", expected: '' },
  { source: `${KF}RegexFilterTest.java regexExtractFullMatch`, template: "{{ 'order-12345-done' | regexExtract(regex='\\\\d+') }}", expected: '12345' },
  { source: `${KF}RegexFilterTest.java regexExtractCaptureGroup`, template: "{{ 'order-12345-done' | regexExtract(regex='order-(\\\\d+)', group=1) }}", expected: '12345' },
  { source: `${KF}RegexFilterTest.java regexExtractFirstMatchOnly`, template: "{{ 'abc-123-def-456' | regexExtract(regex='\\\\d+') }}", expected: '123' },
  { source: `${KF}RegexFilterTest.java regexExtractNoMatch`, template: "{{ 'hello' | regexExtract(regex='\\\\d+') }}", expected: '' },
  { source: `${KF}RegexFilterTest.java regexExtractNullInput`, template: "{{ null | regexExtract(regex='\\\\d+') }}", expected: '' },
  // IndentFilterTest / NindentFilterTest
  { source: `${KF}IndentFilterTest.java indentNull`, template: '{{ null | indent(2) }}', expected: '' },
  { source: `${KF}IndentFilterTest.java indentEmpty`, template: "{{ '' | indent(2) }}", expected: '' },
  { source: `${KF}IndentFilterTest.java indentEmptyLines`, template: '{{ "\\n\\n" | indent(2) }}', expected: '\n  \n  ' },
  { source: `${KF}IndentFilterTest.java indentString`, template: "{{ 'string' | indent(2) }}", expected: 'string' },
  { source: `${KF}IndentFilterTest.java indentInteger`, template: '{{ 1 | indent(2) }}', expected: '1' },
  { source: `${KF}IndentFilterTest.java indentStringWithCRLF`, template: '{{ "first line\\r\\nsecond line" | indent(2) }}', expected: 'first line\r\n  second line' },
  { source: `${KF}IndentFilterTest.java indentStringWithLF`, template: '{{ "first line\\nsecond line" | indent(2) }}', expected: 'first line\n  second line' },
  { source: `${KF}IndentFilterTest.java indentStringWithCR`, template: '{{ "first line\\rsecond line" | indent(2) }}', expected: 'first line\r  second line' },
  { source: `${KF}IndentFilterTest.java indentWithTab`, template: '{{ "first line\\nsecond line" | indent(2, "\\t") }}', expected: 'first line\n\t\tsecond line' },
  { source: `${KF}NindentFilterTest.java nindentString`, template: "{{ 'string' | nindent(2) }}", expected: '\n  string' },
  { source: `${KF}NindentFilterTest.java nindentEmptyLines`, template: '{{ "\\n\\n" | nindent(2) }}', expected: '\n  \n  \n  ' },
  // KeysFilterTest, ValuesFilterTest
  { source: `${KF}KeysFilterTest.java map (list)`, template: '{{ vars.second.list | keys }}', vars: { vars: { second } }, expected: '[0,1,2]' },
  { source: `${KF}KeysFilterTest.java map`, template: '{{ vars.second | keys }}', vars: { vars: { second } }, expected: '["string","int","float","list","bool","map"]' },
  { source: `${KF}ValuesFilterTest.java map`, template: '{{ vars.second.map | values }}', vars: { vars: { second } }, expected: '["string",1,1.123]' },
  // YamlFilterTest
  { source: `${KF}YamlFilterTest.java map (string)`, template: '{{ vars.second.string | yaml }}', vars: { vars: { second } }, expected: 'string\n' },
  { source: `${KF}YamlFilterTest.java map (int)`, template: '{{ vars.second.int | yaml }}', vars: { vars: { second } }, expected: '1\n' },
  { source: `${KF}YamlFilterTest.java map (float)`, template: '{{ vars.second.float | yaml }}', vars: { vars: { second } }, expected: '1.123\n' },
  { source: `${KF}YamlFilterTest.java map (list)`, template: '{{ vars.second.list | yaml }}', vars: { vars: { second } }, expected: ' - string\n - 1\n - 1.123\n' },
  { source: `${KF}YamlFilterTest.java map (bool)`, template: '{{ vars.second.bool | yaml }}', vars: { vars: { second } }, expected: 'true\n' },
  { source: `${KF}YamlFilterTest.java map (map)`, template: '{{ vars.second.map | yaml }}', vars: { vars: { second } }, expected: 'string: string\nint: 1\nfloat: 1.123\n' },
  // EscapeCharFilterTest
  { source: `${KF}EscapeCharFilterTest.java single`, template: "{{ \"Can't be here\" | escapeChar('single') }}", expected: "Can\\'t be here" },
  { source: `${KF}EscapeCharFilterTest.java double`, template: "{{ 'Can\"t be here' | escapeChar('double') }}", expected: 'Can\\"t be here' },
  { source: `${KF}EscapeCharFilterTest.java shell`, template: "{{ \"Can't be here\" | escapeChar('shell') }}", expected: "Can'\\''t be here" },
  { source: `${KF}EscapeCharFilterTest.java list`, template: "{{ [\"a'b\", 1] | escapeChar('single') }}", expected: '["a\\\\\'b","1"]' },
  {
    source: `${KF}EscapeCharFilterTest.java invalid type`,
    template: "{{ 'x' | escapeChar('other') }}",
    error: "expects the value of 'type' to be either 'single', 'double', or 'shell'",
  },
  // ReplaceFilterTest
  { source: `${KF}ReplaceFilterTest.java replace`, template: "{{ 'hello world' | replace({'world': 'kestra'}) }}", expected: 'hello kestra' },
  { source: `${KF}ReplaceFilterTest.java regexp`, template: "{{ 'a1b22' | replace({'\\\\d+': '#'}, regexp=true) }}", expected: 'a#b#' },
  { source: `${KF}ReplaceFilterTest.java map input`, template: "{{ {'k': 'a-b', 'n': ['a-c']} | replace({'-': '_'}) }}", expected: '{"k":"a_b","n":["a_c"]}' },
  // Md5 / Sha1 / Sha512
  { source: `${KF}Md5FilterTest.java`, template: "{{ 'hello' | md5 }}", expected: createHash('md5').update('hello').digest('hex') },
  { source: `${KF}Sha1FilterTest.java`, template: "{{ 'hello' | sha1 }}", expected: createHash('sha1').update('hello').digest('hex') },
  { source: `${KF}Sha512FilterTest.java`, template: "{{ 'hello' | sha512 }}", expected: createHash('sha512').update('hello').digest('hex') },
  // CondenseStringFilterTest
  { source: `${KF}CondenseStringFilterTest.java`, template: '{{ "a\\nb\\nc" | condense }}', expected: 'abc' },
  // NumberFilterTest: Kestra picks Float/Integer/Long/BigDecimal; Baton has one number type.
  {
    source: `${KF}NumberFilterTest.java run`,
    template: '{{ "12.3" | number | className }}',
    expected: 'java.lang.Float',
    differs: { reason: 'there are no Java classes: className does not exist', error: "unknown filter 'className'" },
  },
  { source: `${KF}NumberFilterTest.java (value)`, template: '{{ "12.3" | number }}', expected: '12.3' },
  // DateFilterTest
  {
    source: `${KF}DateFilterTest.java dateStringFormat`,
    template:
      '{{ "July 24, 2001" | date("yyyy-MM-dd", existingFormat="MMMM dd, yyyy") }}\n{{ "2013-09-08T17:19:12+02:00" | date(timeZone="Europe/Paris") }}\n{{ "2013-09-08T17:19:12" | date(timeZone="Europe/Paris") }}\n{{ "2013-09-08" | date(timeZone="Europe/Paris") }}\n',
    expected: '2001-07-24\n2013-09-08T17:19:12.000000+02:00\n2013-09-08T17:19:12.000000+02:00\n2013-09-08T00:00:00.000000+02:00\n',
  },
  {
    source: `${KF}DateFilterTest.java dateFormat`,
    template:
      '{{ zoned | date(format="iso", timeZone="Europe/Paris") }}\n{{ zoned | date(format="iso_sec", timeZone="Europe/Paris") }}\n{{ zoned | date(format="yyyy-MM-dd HH:mm:ss.SSSSSSXXX", timeZone="UTC") }}',
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: '2013-09-08T17:19:12.123456+02:00\n2013-09-08T17:19:12+02:00\n2013-09-08 15:19:12.123456Z',
  },
  {
    source: `${KF}DateFilterTest.java timestamp`,
    template: '{{ zoned | timestamp(timeZone="Europe/Paris") }}',
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: '1378653552',
  },
  {
    source: `${KF}DateFilterTest.java timestampCompare`,
    template: "{{ (zoned | timestamp) > (zoned | dateAdd(-1, 'DAYS') | timestamp) }}",
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: 'true',
  },
  {
    source: `${KF}DateFilterTest.java dateRfc`,
    template: "{{ 'Tue, 08 Feb 2022 19:38:26 GMT' | date(existingFormat='rfc_1123_date_time', timeZone=\"Europe/Paris\") }}",
    expected: '2022-02-08T20:38:26.000000+01:00',
  },
  {
    source: `${KF}DateFilterTest.java instantNano`,
    template: '{{ zoned | timestampNano(timeZone="Europe/Paris") }}',
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: '1378653552123456000',
  },
  {
    source: `${KF}DateFilterTest.java instantMicro`,
    template: '{{ zoned | timestampMicro(timeZone="Europe/Paris") }}',
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: '1378653552000123456',
    differs: {
      reason: "Kestra's timestampMicro prints seconds followed by the nano-of-second (a Kestra bug); Baton prints microseconds since the epoch",
      baton: '1378653552123456',
    },
  },
  {
    source: `${KF}DateFilterTest.java instantMilli`,
    template: '{{ zoned | timestampMilli(timeZone="Europe/Paris") }}',
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: '1378653552123',
  },
  {
    source: `${KF}DateFilterTest.java add`,
    template: '{{ zoned | dateAdd(-1,"DAYS",timeZone="Europe/Paris")}}',
    vars: { zoned: '2013-09-08T16:19:12.123456+01:00' },
    expected: '2013-09-07T17:19:12.123456+02:00',
  },
  {
    source: `${KF}DateAddFilterTest.java (days move the wall clock across DST, as ZonedDateTime.plus)`,
    template: "{{ '2024-03-30T12:00:00+01:00' | dateAdd(1, 'DAYS', timeZone='Europe/Paris') }}",
    expected: '2024-03-31T12:00:00.000000+02:00',
  },
  {
    source: `${KF}DateAddFilterTest.java (hours are fixed time)`,
    template: "{{ '2024-03-30T12:00:00+01:00' | dateAdd(24, 'HOURS', timeZone='Europe/Paris') }}",
    expected: '2024-03-31T13:00:00.000000+02:00',
  },
  { source: `${KF}DateFilterTest.java (z pattern letter)`, template: "{{ '2024-01-15T10:00:00Z' | date('HH:mm z', timeZone='Europe/Paris') }}", expected: '11:00 CET' },
];

const kestraMore: Case[] = [
  // ToJsonFilterTest
  { source: `${KF}ToJsonFilterTest.java toJsonFilter (string)`, template: '{{ vars.second.string | toJson }}', vars: { vars: { second } }, expected: '"string"' },
  { source: `${KF}ToJsonFilterTest.java toJsonFilter (float)`, template: '{{ vars.second.float | toJson }}', vars: { vars: { second } }, expected: '1.123' },
  { source: `${KF}ToJsonFilterTest.java toJsonFilter (list)`, template: '{{ vars.second.list | toJson }}', vars: { vars: { second } }, expected: '["string",1,1.123]' },
  { source: `${KF}ToJsonFilterTest.java toJsonFilter (empty object)`, template: '{{ {"empty_object":{}} | toJson }}', expected: '{"empty_object":{}}' },
  { source: `${KF}ToJsonFilterTest.java toJsonFilter (null)`, template: '{{ null | toJson }}', expected: 'null' },
  { source: `${KF}ToJsonFilterTest.java exception`, template: '{{ | toJson }}', error: 'expected a value' },
  { source: `${KF}ToJsonFilterTest.java exception (2)`, template: '{{ {not: json} | toJson }}', error: "'json' is not defined" },
  // SlugifyFilterTest, SubstringFilterTest, ChunkFilterTest
  { source: `${KF}SlugifyFilterTest.java out`, template: '{{ "Test\t\t\ntest*" | slugify }}', expected: 'test-test' },
  { source: `${KF}SubstringFilterTest.java substringBefore`, template: "{{ 'a.b.c' | substringBefore('.') }}", expected: 'a' },
  { source: `${KF}SubstringFilterTest.java substringAfter`, template: "{{ 'a.b.c' | substringAfter(separator='.') }}", expected: 'b.c' },
  { source: `${KF}SubstringFilterTest.java substringBeforeLast`, template: "{{ 'a.b.c' | substringBeforeLast(separator='.') }}", expected: 'a.b' },
  { source: `${KF}SubstringFilterTest.java substringAfterLast`, template: "{{ 'a.b.c' | substringAfterLast('.') }}", expected: 'c' },
  { source: `${KF}ChunkFilterTest.java out`, template: '{{ list | chunk(2) }}', vars: { list: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, expected: '[[1,2],[3,4],[5,6],[7,8],[9]]' },
  { source: `${KF}ChunkFilterTest.java exception`, template: '{{ test | chunk(2) }}', vars: { test: 1 }, error: "filter 'chunk' needs a list" },
  // DistinctFilterTest, FlattenFilterTest, StartsWith/EndsWith
  { source: `${KF}DistinctFilterTest.java`, template: "{{ ['a', 'b', 'a', 1, 1] | distinct }}", expected: '["a","b",1]' },
  { source: `${KF}FlattenFilterTest.java`, template: '{{ [[1, 2], [3], 4] | flatten }}', expected: '[1,2,3,4]' },
  { source: `${KF}StartsWithFilterTest.java`, template: "{{ 'kestra.io' | startsWith('kestra') }}", expected: 'true' },
  { source: `${KF}EndsWithFilterTest.java`, template: "{{ 'kestra.io' | endsWith('.io') }}", expected: 'true' },
  { source: `${KF}ShFilterTest.java bashShellFormat`, template: "echo '{{ shellVar | sh }}'", vars: { shellVar: "foo' bar'baz" }, expected: "echo 'foo'\\'' bar'\\''baz'" },
  {
    source: `${KF}UniqFilterTest.java testUniqFilter`,
    template: '{{ inputList | uniq }}',
    vars: { inputList: [1, 2, 2, 3, 1, 4, 4] },
    expected: '[1, 2, 3, 4]',
    differs: { reason: "lists in text are JSON everywhere (Kestra's own renderer does the same; the test uses a bare Pebble engine)", baton: '[1,2,3,4]' },
  },
  // JqFilterTest
  { source: `${KF}JqFilterTest.java fromString`, template: '{{ [1, 2, 3] | jq(".[0]") | first }}', expected: '1' },
  { source: `${KF}JqFilterTest.java fromString (2)`, template: '{{ my_vars | jq(".test[0]") }}', vars: { my_vars: { test: [1, 2, 3] } }, expected: '[1]' },
  {
    source: `${KF}JqFilterTest.java simple`,
    template: '{{  render(first) | jq(".second.third") }}',
    vars: { first: { second: { third: '{{third}}' } }, end: 'awesome', third: '{{end}}' },
    expected: '["awesome"]',
  },
  { source: `${KF}JqFilterTest.java map`, template: '{{ vars | jq(".second.list") | first }}', vars: { vars: { second } }, expected: '["string",1,1.123]' },
  { source: `${KF}JqFilterTest.java list`, template: '{{ vars | jq(".second[]") }}', vars: { vars: { second: [1, 2, 3] } }, expected: '[1,2,3]' },
  {
    source: `${KF}JqFilterTest.java object`,
    template: '{% set object = vars | jq(".object") %}{{object[0].key}}',
    vars: { vars: { object: { key: 'value' }, array: ['arrayValue'] } },
    expected: 'value',
  },
  {
    source: `${KF}JqFilterTest.java object (array)`,
    template: '{% set array = vars | jq(".array") %}{{array[0][0]}}',
    vars: { vars: { object: { key: 'value' }, array: ['arrayValue'] } },
    expected: 'arrayValue',
  },
];

conformance('Pebble core filters', pebble);
conformance("Kestra's filters (more)", kestraMore);
conformance("Kestra's filters", kestra);
