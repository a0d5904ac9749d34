import { fail } from './errors';
import { isDate, quote } from './values';

/**
 * Dates for the `date` and `dateAdd` filters, with Java DateTimeFormatter patterns (what Kestra
 * flows use). Everything is computed from epoch milliseconds in UTC; named time zones go through
 * Intl, which is pure and available inside the Temporal sandbox.
 */

// Lookup tables keyed by user text have no prototype: 'constructor' must not resolve to a function.
const NAMED_FORMATS: Record<string, string> = Object.assign(Object.create(null), {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_milli: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  iso_date: 'yyyy-MM-dd',
  iso_time: 'HH:mm:ss',
  sql: 'yyyy-MM-dd HH:mm:ss',
  sql_milli: 'yyyy-MM-dd HH:mm:ss.SSS',
});
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ISO_PATTERN =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?(?:\[[A-Za-z0-9_/+-]+\])?$/;

/** Epoch milliseconds of a Date, an ISO 8601 string (UTC when no offset) or epoch milliseconds. */
export function toEpochMillis(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (isDate(value)) {
    const ms = value.getTime();
    if (!Number.isNaN(ms)) return ms;
  }
  if (typeof value === 'string') {
    const ms = parseIso(value.trim());
    if (ms !== undefined) return ms;
  }
  fail('type', `${quote(value)} is not a date; expected ISO 8601 text such as 2024-05-31T12:00:00Z, or epoch milliseconds`);
}

function parseIso(text: string): number | undefined {
  const m = ISO_PATTERN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number((frac + '000').slice(0, 3)));
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  return date.getTime() - offsetMinutes * 60_000;
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
  const offset = zoneOffsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * 60_000);
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
        return pad(local.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n);
      case 'a':
        return local.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'E':
        return n >= 4 ? DAYS[local.getUTCDay()] : DAYS[local.getUTCDay()].slice(0, 3);
      case 'G':
        return local.getUTCFullYear() > 0 ? 'AD' : 'BC';
      case 'X':
      case 'x':
      case 'Z':
        return formatOffset(offset, letter, n);
      case 'z':
      case 'V':
        return timeZone ?? 'UTC';
    }
    fail('type', `date pattern '${format}' uses '${letter}', which is not supported; quote literal text, e.g. "yyyy-MM-dd'T'HH:mm"`);
  };
  let out = '';
  for (let i = 0; i < pattern.length; ) {
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
    } else if (/[A-Za-z]/.test(c)) {
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
  DAY: 86_400_000,
  WEEK: 604_800_000,
});

/** Adds an amount of SECONDS, MINUTES, HOURS, DAYS, WEEKS, MONTHS or YEARS (any case, singular or plural). */
export function addToDate(ms: number, amount: number, unit: string): number {
  const u = unit.toUpperCase().replace(/S$/, '');
  if (u === 'MONTH' || u === 'YEAR') {
    const date = new Date(ms);
    const months = u === 'YEAR' ? amount * 12 : amount;
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + months);
    // Like Java's plusMonths: clamp to the last day of the target month.
    date.setUTCDate(Math.min(day, daysInMonth(date.getUTCFullYear(), date.getUTCMonth() + 1)));
    return date.getTime();
  }
  const factor = UNIT_MILLIS[u];
  if (factor === undefined) {
    fail('type', `unknown date unit '${unit}'; use one of SECONDS, MINUTES, HOURS, DAYS, WEEKS, MONTHS, YEARS`);
  }
  return ms + amount * factor;
}

export function isoString(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) fail('type', 'the date is out of range');
  return date.toISOString();
}
