import { fail } from './errors';

/**
 * Numbers as Java prints them. JavaScript has one number type, so Baton cannot know in general
 * whether Kestra would hold a value as a long or a double; where it knows (a literal written with
 * a decimal point or an exponent, arithmetic on such a value, `number` on text with a '.'), the
 * value is printed as Java prints a double: 1.0, 1.0E7, 1.5E-4.
 */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const a = Math.abs(n);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

interface DecimalPattern {
  prefix: string;
  suffix: string;
  minInt: number;
  minFrac: number;
  maxFrac: number;
  grouping: number;
  percent: boolean;
}

const patterns = new Map<string, DecimalPattern>();

function parsePattern(pattern: string): DecimalPattern {
  const cached = patterns.get(pattern);
  if (cached) return cached;
  // Only the positive subpattern matters: Java derives the negative one by prefixing '-'.
  const positive = pattern.split(';')[0];
  const m = /^([^#0,.]*)([#0,]*)(?:\.([0#]*))?([^#0,.]*)$/.exec(positive);
  if (!m || (!m[2] && m[3] === undefined)) {
    fail('type', `'${pattern}' is not a number pattern Baton supports; use Java DecimalFormat patterns such as '#,##0.00', '0.###' or '#%' (no exponent, no quoted characters)`);
  }
  const [, prefix, integer, fraction = '', suffix] = m;
  const lastComma = integer.lastIndexOf(',');
  const parsed: DecimalPattern = {
    prefix: prefix.replace(/'/g, ''),
    suffix: suffix.replace(/'/g, ''),
    minInt: (integer.match(/0/g) ?? []).length,
    minFrac: (fraction.match(/0/g) ?? []).length,
    maxFrac: fraction.length,
    grouping: lastComma < 0 ? 0 : integer.length - lastComma - 1,
    percent: (prefix + suffix).includes('%'),
  };
  if (patterns.size > 200) patterns.clear();
  patterns.set(pattern, parsed);
  return parsed;
}

/** Rounds to `digits` fraction digits, half-even on exact ties (Java's DecimalFormat default). */
function toFixedHalfEven(value: number, digits: number): string {
  const scaled = value * 10 ** digits;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && Number.isSafeInteger(floor)) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    const text = String(even).padStart(digits + 1, '0');
    return digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  }
  return value.toFixed(digits);
}

/** Pebble's numberformat filter: Java DecimalFormat patterns, English symbols. */
export function formatNumber(value: number, pattern = '#,##0.###'): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const p = parsePattern(pattern);
  const v = Math.abs(p.percent ? value * 100 : value);
  if (v >= 1e21) fail('type', 'the number is too large to format with a pattern');
  const fixed = toFixedHalfEven(v, p.maxFrac);
  let [int, frac = ''] = fixed.split('.');
  frac = frac.replace(/0+$/, '');
  if (frac.length < p.minFrac) frac = frac.padEnd(p.minFrac, '0');
  int = int.replace(/^0+/, '');
  if (int.length < p.minInt) int = int.padStart(p.minInt, '0');
  if (p.grouping > 0) int = int.replace(new RegExp(`\\B(?=(\\d{${p.grouping}})+(?!\\d))`, 'g'), ',');
  const negative = value < 0 && /[1-9]/.test(int + frac);
  const body = `${int}${frac ? `.${frac}` : ''}` || '0';
  return `${negative ? '-' : ''}${p.prefix}${body}${p.suffix}`;
}
