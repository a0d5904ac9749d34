import { fail } from './errors';
import { isDate, quote } from './values';

/**
 * Dates for the `date` and `dateAdd` filters, with Java DateTimeFormatter patterns (what Kestra
 * flows use). Everything is computed from epoch milliseconds in UTC; named time zones go through
 * Intl, which is pure and available inside the Temporal sandbox.
 */

// Lookup tables keyed by user text have no prototype: 'constructor' must not resolve to a function.
const NAMED_FORMATS: Record<string, string> = Object.assign(Object.create(null), {
  // Kestra's AbstractDate formats. 'ƒ' is Baton's internal letter for ISO's optional fraction
  // (printed only when not zero, in groups of three digits, as java.time's ISO formatters do).
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_seq: 'yyyy-MM-dd HH:mm:ss',
  iso_date_time: "yyyy-MM-dd'T'HH:mm:ssƒXXX'['VV']'",
  iso_zoned_date_time: "yyyy-MM-dd'T'HH:mm:ssƒXXX'['VV']'",
  iso_offset_date_time: "yyyy-MM-dd'T'HH:mm:ssƒXXX",
  iso_date: 'yyyy-MM-ddXXX',
  iso_time: 'HH:mm:ssƒXXX',
  iso_offset_time: 'HH:mm:ssƒXXX',
  iso_local_date: 'yyyy-MM-dd',
  iso_local_date_time: "yyyy-MM-dd'T'HH:mm:ssƒ",
  iso_local_time: 'HH:mm:ssƒ',
  iso_ordinal_date: 'yyyy-DDDXXX',
  iso_instant: "yyyy-MM-dd'T'HH:mm:ssƒ'Z'",
  rfc_1123_date_time: 'EEE, d MMM yyyy HH:mm:ss RFC',
  // Baton's own, kept from earlier versions.
  iso_milli: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  sql_milli: 'yyyy-MM-dd HH:mm:ss.SSS',
});
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ISO_PATTERN = /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?(?:\[([A-Za-z0-9_/+-]+)\])?$/;

/**
 * Epoch milliseconds (with microseconds as the fraction) of a Date, an ISO 8601 string or epoch
 * seconds (Kestra reads a whole number as epoch seconds). Text without an offset is local time in
 * `timeZone` (UTC when none), as Kestra's date filters read it; `existingFormat` is a Java pattern
 * or named format the text is written in.
 */
export function toEpochMillis(value: unknown, timeZone?: string, existingFormat?: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (isDate(value)) {
    const ms = value.getTime();
    if (!Number.isNaN(ms)) return ms;
  }
  if (typeof value === 'string') {
    const ms = existingFormat ? parseWithPattern(value.trim(), existingFormat, timeZone) : parseIso(value.trim(), timeZone);
    if (ms !== undefined) return ms;
    if (existingFormat) fail('type', `${quote(value)} does not match the date format '${existingFormat}'`);
  }
  fail('type', `${quote(value)} is not a date; expected ISO 8601 text such as 2024-05-31T12:00:00Z, epoch seconds, or give existingFormat`);
}

/** Epoch ms of local wall-clock fields in a zone (the earlier instant when the clock is ambiguous). */
function fromLocal(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second: number; micros: number },
  timeZone: string | undefined,
  offsetMinutes?: number,
): number {
  const date = new Date(0);
  date.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  date.setUTCHours(fields.hour, fields.minute, fields.second, 0);
  const wall = date.getTime() + fields.micros / 1000;
  if (offsetMinutes !== undefined) return wall - offsetMinutes * 60_000;
  const first = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  return wall - zoneOffsetMinutes(first, timeZone) * 60_000;
}

function parseIso(text: string, timeZone: string | undefined): number | undefined {
  const m = ISO_PATTERN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone, region] = m;
  const fields = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s), micros: Number((frac + '000000').slice(0, 6)) };
  if (!validFields(fields)) return undefined;
  return fromLocal(fields, region ?? timeZone, zone ? parseOffset(zone) : undefined);
}

function validFields(f: { year: number; month: number; day: number; hour: number; minute: number; second: number }): boolean {
  return f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= daysInMonth(f.year, f.month) && f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

function parseOffset(zone: string): number {
  if (zone === 'Z' || zone === 'z' || /^(GMT|UTC|UT)$/i.test(zone)) return 0;
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone);
  if (!m) fail('type', `'${zone}' is not a time zone offset`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0'));
}

const SHORT_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Parses text written in a Java pattern (existingFormat). */
function parseWithPattern(text: string, format: string, timeZone: string | undefined): number | undefined {
  const named = NAMED_FORMATS[format.toLowerCase()];
  if (named && format.toLowerCase().startsWith('iso')) return parseIso(text, timeZone);
  const pattern = named === undefined ? format : named.replace('RFC', 'XX').replace('ƒ', '');
  const fields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, micros: 0 };
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let offset: number | undefined;
  let zone: string | undefined;
  let pos = 0;
  const take = (re: RegExp): string | undefined => {
    const m = re.exec(text.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    return m[0];
  };
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end === i + 1 ? "'" : pattern.slice(i + 1, end < 0 ? undefined : end);
      if (!text.startsWith(literal, pos)) return undefined;
      pos += literal.length;
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      if (text[pos] !== c) return undefined;
      pos++;
      i++;
      continue;
    }
    let n = 0;
    while (pattern[i + n] === c) n++;
    i += n;
    const digits = (min: number, max: number) => take(new RegExp(`^\\d{${min},${max}}`));
    let v: string | undefined;
    switch (c) {
      case 'y':
      case 'u':
        v = n === 2 ? digits(2, 2) : take(/^[+-]?\d{4,9}/);
        if (v === undefined) return undefined;
        fields.year = n === 2 ? 2000 + Number(v) : Number(v);
        break;
      case 'M':
      case 'L':
        if (n >= 3) {
          v = take(/^[A-Za-z]+/);
          const index = v === undefined ? -1 : SHORT_MONTHS.indexOf(v.slice(0, 3).toLowerCase());
          if (index < 0) return undefined;
          fields.month = index + 1;
        } else {
          v = digits(n, 2);
          if (v === undefined) return undefined;
          fields.month = Number(v);
        }
        break;
      case 'd':
        if ((v = digits(n, 2)) === undefined) return undefined;
        fields.day = Number(v);
        break;
      case 'H':
      case 'k':
        if ((v = digits(n, 2)) === undefined) return undefined;
        fields.hour = Number(v) % 24;
        break;
      case 'h':
      case 'K':
        if ((v = digits(n, 2)) === undefined) return undefined;
        hour12 = Number(v) % 12;
        break;
      case 'm':
        if ((v = digits(n, 2)) === undefined) return undefined;
        fields.minute = Number(v);
        break;
      case 's':
        if ((v = digits(n, 2)) === undefined) return undefined;
        fields.second = Number(v);
        break;
      case 'S':
        if ((v = digits(n, n)) === undefined) return undefined;
        fields.micros = Number((v + '000000').slice(0, 6));
        break;
      case 'a':
        if ((v = take(/^[AaPp][Mm]/)) === undefined) return undefined;
        pm = v.toLowerCase() === 'pm';
        break;
      case 'E':
        if (take(/^[A-Za-z]+/) === undefined) return undefined;
        break;
      case 'X':
      case 'x':
      case 'Z':
        if ((v = take(/^(?:Z|GMT|UTC|[+-]\d{2}(?::?\d{2})?)/)) === undefined) return undefined;
        offset = parseOffset(v);
        break;
      case 'z':
      case 'V':
        if ((v = take(/^[A-Za-z_/+-]+/)) === undefined) return undefined;
        if (/^(GMT|UTC|UT|Z)$/i.test(v)) offset = 0;
        else zone = v;
        break;
      default:
        fail('type', `date pattern '${format}' uses '${c}', which Baton cannot parse`);
    }
  }
  if (pos !== text.length) return undefined;
  if (hour12 !== undefined) fields.hour = hour12 + (pm ? 12 : 0);
  else if (pm !== undefined && fields.hour < 12 && pm) fields.hour += 12;
  if (!validFields(fields)) return undefined;
  return fromLocal(fields, zone ?? timeZone, offset);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Offset of `timeZone` from UTC at the instant `ms`, in minutes. */
function zoneOffsetMinutes(ms: number, timeZone: string | undefined): number {
  if (!timeZone || /^(UTC|GMT|Z|Etc\/UTC)$/i.test(timeZone)) return 0;
  const fixed = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? '0'));
  if (typeof Intl === 'undefined') fail('type', `time zone '${timeZone}' cannot be resolved here; use an offset such as +02:00`);
  let format: Intl.DateTimeFormat;
  try {
    format = zoneFormat(timeZone);
  } catch {
    fail('type', `unknown time zone '${timeZone}'; use an IANA name such as Europe/Paris or an offset such as +02:00`);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (zoneFormats.size > 100) zoneFormats.clear();
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** Formats with a Java-style pattern (yyyy MM dd HH mm ss SSS …) or a named format ('iso', 'sql' …). */
export function formatDate(ms: number, format: string | undefined, timeZone: string | undefined): string {
  const pattern = NAMED_FORMATS[(format ?? 'iso').toLowerCase()] ?? format ?? NAMED_FORMATS.iso;
  const zone = format?.toLowerCase() === 'iso_instant' ? undefined : timeZone;
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.round((ms - whole) * 1000));
  const offset = zoneOffsetMinutes(whole, zone);
  const local = new Date(whole + offset * 60_000);
  // Nanoseconds of the second, as nine digits (Baton keeps microseconds).
  const nanos = `${String(local.getUTCMilliseconds()).padStart(3, '0')}${String(micros).padStart(3, '0')}000`;
  const field = (letter: string, n: number): string => {
    const pad = (v: number, width = n) => String(Math.abs(v)).padStart(width, '0');
    switch (letter) {
      case 'y':
      case 'u': {
        const year = local.getUTCFullYear();
        return n === 2 ? pad(year % 100, 2) : (year < 0 ? '-' : '') + pad(year);
      }
      case 'M':
      case 'L': {
        const month = local.getUTCMonth();
        return n >= 4 ? MONTHS[month] : n === 3 ? MONTHS[month].slice(0, 3) : pad(month + 1);
      }
      case 'd':
        return pad(local.getUTCDate());
      case 'D': {
        const startOfYear = Date.UTC(local.getUTCFullYear(), 0, 1);
        return pad(Math.floor((local.getTime() - startOfYear) / 86_400_000) + 1);
      }
      case 'H':
        return pad(local.getUTCHours());
      case 'k':
        return pad(local.getUTCHours() || 24);
      case 'h':
        return pad(local.getUTCHours() % 12 || 12);
      case 'K':
        return pad(local.getUTCHours() % 12);
      case 'm':
        return pad(local.getUTCMinutes());
      case 's':
        return pad(local.getUTCSeconds());
      case 'S':
        return nanos.padEnd(n, '0').slice(0, n);
      case 'n':
        return String(Number(nanos));
      case 'ƒ': {
        // ISO's optional fraction: nothing, or 3, 6 or 9 digits.
        const trimmed = nanos.replace(/0+$/, '');
        return trimmed === '' ? '' : `.${nanos.slice(0, trimmed.length <= 3 ? 3 : trimmed.length <= 6 ? 6 : 9)}`;
      }
      case 'a':
        return local.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'E':
        return n >= 4 ? DAYS[local.getUTCDay()] : DAYS[local.getUTCDay()].slice(0, 3);
      case 'e':
        return pad(((local.getUTCDay() + 6) % 7) + 1);
      case 'G':
        return local.getUTCFullYear() > 0 ? 'AD' : 'BC';
      case 'X':
      case 'x':
      case 'Z':
        return formatOffset(offset, letter, n);
      case 'O':
        return offset === 0 ? 'GMT' : `GMT${formatOffset(offset, 'X', n === 4 ? 3 : 1).replace(/^([+-])0(\d)/, n === 4 ? '$10$2' : '$1$2')}`;
      case 'z':
        return zoneName(whole, zone, n >= 4);
      case 'V':
        return zone ?? 'Z';
      case 'R':
        // RFC 1123's zone: GMT, or the offset as +hhmm.
        return offset === 0 ? 'GMT' : formatOffset(offset, 'Z', 1);
    }
    fail('type', `date pattern '${format}' uses '${letter}', which is not supported; quote literal text, e.g. "yyyy-MM-dd'T'HH:mm"`);
  };
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      let literal = '';
      for (;;) {
        if (j >= pattern.length) fail('type', `date pattern '${format}' has an unclosed quote`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'";
            j += 2;
            continue;
          }
          break;
        }
        literal += pattern[j++];
      }
      out += literal;
      i = j + 1;
    } else if (pattern.startsWith('RFC', i) && pattern === NAMED_FORMATS.rfc_1123_date_time) {
      out += field('R', 1);
      i += 3;
    } else if (/[A-Za-zƒ]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      out += field(c, j - i);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Java's `z` (short name such as CET, EST, UTC) and `zzzz` (long name) through Intl. */
function zoneName(ms: number, timeZone: string | undefined, long: boolean): string {
  if (!timeZone || /^(Z|UTC|Etc\/UTC)$/i.test(timeZone)) return long ? 'Coordinated Universal Time' : 'UTC';
  if (/^(?:UTC|GMT)?[+-]\d/.test(timeZone)) return formatOffset(zoneOffsetMinutes(ms, timeZone), 'X', 3);
  if (typeof Intl === 'undefined') return timeZone;
  const name = (locale: string) => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: long ? 'long' : 'short' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
    } catch {
      fail('type', `unknown time zone '${timeZone}'; use an IANA name such as Europe/Paris or an offset such as +02:00`);
    }
  };
  const us = name('en-US');
  // en-US names European zones "GMT+1"; British English has the abbreviations Java prints (CET).
  if (us && /^GMT[+-]/.test(us)) return name('en-GB') ?? us;
  return us ?? timeZone;
}

function formatOffset(minutes: number, letter: string, n: number): string {
  if (minutes === 0 && letter === 'X') return 'Z';
  if (minutes === 0 && letter === 'Z' && n === 5) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
  if (letter === 'Z') return n === 5 ? `${sign}${hh}:${mm}` : n === 4 ? `GMT${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
  if (n === 1) return mm === '00' ? `${sign}${hh}` : `${sign}${hh}${mm}`;
  return n === 2 || n === 4 ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
}

const UNIT_MILLIS: Record<string, number> = Object.assign(Object.create(null), {
  MILLI: 1,
  MILLISECOND: 1,
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  HALF_DAY: 43_200_000,
});

/**
 * Adds an amount of SECONDS, MINUTES, HOURS, HALF_DAYS, DAYS, WEEKS, MONTHS or YEARS (any case,
 * singular or plural). Like Java's ZonedDateTime.plus, days and longer move the wall clock in
 * `timeZone` (so a day across a DST change is 23 or 25 hours); shorter units add fixed time.
 */
export function addToDate(ms: number, amount: number, unit: string, timeZone?: string): number {
  const u = unit.toUpperCase().replace(/S$/, '');
  const dateBased = u === 'DAY' || u === 'WEEK' || u === 'MONTH' || u === 'YEAR';
  if (!dateBased) {
    const factor = UNIT_MILLIS[u];
    if (factor === undefined) {
      fail('type', `unknown date unit '${unit}'; use one of SECONDS, MINUTES, HOURS, DAYS, WEEKS, MONTHS, YEARS`);
    }
    return ms + amount * factor;
  }
  const whole = Math.floor(ms);
  const fraction = ms - whole;
  const wall = new Date(whole + zoneOffsetMinutes(whole, timeZone) * 60_000);
  if (u === 'MONTH' || u === 'YEAR') {
    const months = u === 'YEAR' ? amount * 12 : amount;
    const day = wall.getUTCDate();
    wall.setUTCDate(1);
    wall.setUTCMonth(wall.getUTCMonth() + months);
    // Like Java's plusMonths: clamp to the last day of the target month.
    wall.setUTCDate(Math.min(day, daysInMonth(wall.getUTCFullYear(), wall.getUTCMonth() + 1)));
  } else wall.setUTCDate(wall.getUTCDate() + amount * (u === 'WEEK' ? 7 : 1));
  const fields = {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    micros: wall.getUTCMilliseconds() * 1000 + Math.round(fraction * 1000),
  };
  return fromLocal(fields, timeZone);
}

export function isoString(ms: number, timeZone?: string): string {
  if (Number.isNaN(new Date(ms).getTime())) fail('type', 'the date is out of range');
  return formatDate(ms, 'iso', timeZone);
}

/** The calendar fields as written in ISO text (no conversion to UTC), for dayOfWeek() and friends. */
export function writtenFields(value: unknown, fn: string): { year: number; month: number; day: number; hour?: number; weekday: number } {
  let text: string | undefined;
  if (typeof value === 'string') text = value.trim();
  else if (isDate(value)) text = value.toISOString();
  const m = text === undefined ? null : ISO_PATTERN.exec(text);
  if (!m) fail('type', `${fn}() needs an ISO 8601 date such as 2025-01-06 or 2025-01-06T10:00:00+02:00, not ${quote(value)}`);
  const [, y, mo, d, h] = m;
  const fields = { year: Number(y), month: Number(mo), day: Number(d), hour: 0, minute: 0, second: 0 };
  if (!validFields(fields)) fail('type', `${quote(value)} is not a valid date`);
  const weekday = new Date(Date.UTC(fields.year, fields.month - 1, fields.day)).getUTCDay();
  return { year: fields.year, month: fields.month, day: fields.day, hour: h === undefined ? undefined : Number(h), weekday };
}

export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
