import { conformance, KESTRA, type Case } from './cases';

const FN = `${KESTRA}functions/`;

const cases: Case[] = [
  // IsDateBeforeFunctionTest
  { source: `${FN}IsDateBeforeFunctionTest.java shouldReturnTrueWhenDateIsBeforeReference`, template: "{{ isDateBefore('2025-01-01', '2025-01-02') }}", expected: 'true' },
  { source: `${FN}IsDateBeforeFunctionTest.java shouldReturnFalseWhenDateIsAfterReference`, template: "{{ isDateBefore('2025-01-02', '2025-01-01') }}", expected: 'false' },
  { source: `${FN}IsDateBeforeFunctionTest.java shouldReturnFalseWhenDatesAreEqual`, template: "{{ isDateBefore('2025-01-01', '2025-01-01') }}", expected: 'false' },
  {
    source: `${FN}IsDateBeforeFunctionTest.java shouldReturnTrueWhenZonedDateTimeIsBeforeReference`,
    template: "{{ isDateBefore('2025-01-01T10:00:00Z', '2025-01-01T11:00:00Z') }}",
    expected: 'true',
  },
  {
    source: `${FN}IsDateBeforeFunctionTest.java shouldReturnTrueWhenLocalDateTimeIsBeforeReference`,
    template: "{{ isDateBefore('2025-01-01T09:00:00', '2025-01-01T10:00:00') }}",
    expected: 'true',
  },
  {
    source: `${FN}IsDateBeforeFunctionTest.java shouldAccountForTimezoneOffsetWhenComparing`,
    template: "{{ isDateBefore('2025-01-01T10:00:00+02:00', '2025-01-01T09:00:00Z') }}",
    expected: 'true',
  },
  { source: `${FN}IsDateBeforeFunctionTest.java shouldSupportMixedDateAndDatetime`, template: "{{ isDateBefore('2025-01-01', '2025-01-01T01:00:00Z') }}", expected: 'true' },
  {
    source: `${FN}IsDateBeforeFunctionTest.java shouldReturnFalseWhenMixedDateAndDatetimeMapToSameInstant`,
    template: "{{ isDateBefore('2025-01-01', '2025-01-01T00:00:00Z') }}",
    expected: 'false',
  },
  {
    source: `${FN}IsDateBeforeFunctionTest.java shouldAcceptTemplateVariables`,
    template: '{{ isDateBefore(d1, d2) }}',
    vars: { d1: '2025-06-01', d2: '2025-06-30' },
    expected: 'true',
  },
  { source: `${FN}IsDateBeforeFunctionTest.java shouldThrowWhenDateArgumentIsMissing`, template: '{{ isDateBefore() }}', error: "isDateBefore() needs 'date' and 'reference'" },
  { source: `${FN}IsDateBeforeFunctionTest.java shouldThrowWhenDateIsInvalid`, template: "{{ isDateBefore('not-a-date', '2025-01-01') }}", error: 'is not a date' },
  { source: `${FN}IsDateAfterFunctionTest.java`, template: "{{ isDateAfter('2025-01-02', '2025-01-01') }}", expected: 'true' },
  { source: `${FN}IsDateBetweenFunctionTest.java`, template: "{{ isDateBetween('2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}", expected: 'true' },
  {
    source: `${FN}IsDateBetweenFunctionTest.java (bounds are exclusive)`,
    template: "{{ isDateBetween('2025-12-31T23:59:59Z', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}",
    expected: 'false',
  },
  // DayOfWeek / MonthOfYear / HourOfDay / DayOfMonth / IsWeekend
  { source: `${FN}DayOfWeekFunctionTest.java mondayReturnsMonday`, template: "{{ dayOfWeek('2025-01-06') }}", expected: 'MONDAY' },
  { source: `${FN}DayOfWeekFunctionTest.java sundayReturnsSunday`, template: "{{ dayOfWeek('2025-01-05') }}", expected: 'SUNDAY' },
  { source: `${FN}DayOfWeekFunctionTest.java datetimeStringIsAccepted`, template: "{{ dayOfWeek('2025-01-06T10:00:00+02:00') }}", expected: 'MONDAY' },
  { source: `${FN}DayOfWeekFunctionTest.java invalidDateFormatThrows`, template: "{{ dayOfWeek('not-a-date') }}", error: 'dayOfWeek() needs an ISO 8601 date' },
  { source: `${FN}MonthOfYearFunctionTest.java returnsDecember`, template: "{{ monthOfYear('2025-12-31') }}", expected: '12' },
  { source: `${FN}MonthOfYearFunctionTest.java datetimeStringIsAccepted`, template: "{{ monthOfYear('2025-03-10T08:00:00+01:00') }}", expected: '3' },
  { source: `${FN}MonthOfYearFunctionTest.java missingVariableThrows`, template: '{{ monthOfYear(dt) }}', error: "'dt' is not defined" },
  { source: `${FN}HourOfDayFunctionTest.java returnsHourFromZonedDateTimeWithOffset`, template: "{{ hourOfDay('2025-01-06T14:30:00+02:00') }}", expected: '14' },
  { source: `${FN}HourOfDayFunctionTest.java returnsHourFromLocalDateTime`, template: "{{ hourOfDay('2025-01-06T09:00:00') }}", expected: '9' },
  { source: `${FN}HourOfDayFunctionTest.java plainDateThrows`, template: "{{ hourOfDay('2025-01-06') }}", error: 'hourOfDay() needs a date with a time' },
  { source: `${FN}DayOfMonthFunctionTest.java`, template: "{{ dayOfMonth('2025-01-31') }}", expected: '31' },
  { source: `${FN}IsWeekendFunctionTest.java`, template: "{{ isWeekend('2025-01-04') }} {{ isWeekend('2025-01-06') }}", expected: 'true false' },
  // FromJsonFunctionTest / JsonFunctionTest / YamlFunction
  { source: `${FN}FromJsonFunctionTest.java`, template: '{{ fromJson(\'{"test1": 1, "test2": [1, 2]}\').test2[1] }}', expected: '2' },
  { source: `${FN}JsonFunctionTest.java`, template: '{{ json(\'{"a": "b"}\').a }}', expected: 'b' },
  { source: `${KESTRA}../../../main/java/io/kestra/core/runners/pebble/functions/YamlFunction.java`, template: "{{ yaml('a: 1\\nb:\\n  - x\\n  - y').b[1] }}", expected: 'y' },
  // NowFunction (DateFilterTest.now)
  { source: `${KESTRA}filters/DateFilterTest.java now (format)`, template: "{{ now(format='iso_local_date') | length }}", expected: '10' },
  { source: `${FN}RandomIntFunctionTest.java`, template: '{% set n = randomInt(1, 3) %}{{ n >= 1 and n < 3 }}', expected: 'true' },
  { source: `${FN}NanoIDFuntionTest.java`, template: "{{ nanoId() | length }} {{ nanoId(5, 'ab') | length }}", expected: '21 5' },
  // Functions that need Kestra's server side
  {
    source: `${FN}KvFunctionTest.java`,
    template: "{{ kv('key') }}",
    expected: 'value',
    differs: { reason: 'kv() needs a store; only functions the caller passes in (secret where tasks run) are available', error: 'function kv() is not available here' },
  },
];

conformance("Kestra's functions", cases);
