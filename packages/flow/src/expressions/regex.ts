import { fail } from './errors';
import { checkStringLength, formatCount } from './values';

/**
 * Java regular expressions (what Kestra's regex filters and replace(regexp=true) take) run on
 * JavaScript's engine. The common syntax is the same; Java-only constructs are translated where
 * that is exact (`\A`, `\z`, `\Z`, leading inline flags) and refused otherwise. JavaScript cannot
 * interrupt a running regex, so instead of Kestra's match timeout the input is bounded and
 * patterns with nested quantifiers (the usual catastrophic-backtracking shape) are refused.
 */
export const MAX_REGEX_INPUT = 100_000;
export const MAX_REGEX_LENGTH = 1_000;

const cache = new Map<string, RegExp>();

export function javaRegex(pattern: string, global: boolean): RegExp {
  const key = `${global ? 'g' : '-'}${pattern}`;
  const cached = cache.get(key);
  if (cached) return new RegExp(cached);
  if (pattern.length > MAX_REGEX_LENGTH) fail('limit', `the regular expression is ${formatCount(pattern.length)} characters long; the limit is ${formatCount(MAX_REGEX_LENGTH)}`);
  let source = pattern;
  let flags = global ? 'g' : '';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    if (inline[1].includes('x')) fail('type', 'the regular expression flag (?x) is not supported');
    for (const f of inline[1]) if (!flags.includes(f)) flags += f;
    source = source.slice(inline[0].length);
  }
  if (/\(\?>|[*+?}]\+|\(\?[imsx-]+[:)]|\\[GZz]|\\p\{(?:Is|In|java)/.test(source.replace(/\\\\/g, ''))) {
    // Translate the exact equivalents first, then refuse what is left.
    source = source.replace(/\\\\|\\A|\\z|\\Z/g, (m) => (m === '\\A' ? '^' : m === '\\\\' ? m : '$'));
    if (/\(\?>|[*+?}]\+|\(\?[imsx-]+[:)]|\\G|\\p\{(?:Is|In|java)/.test(source.replace(/\\\\/g, ''))) {
      fail(
        'type',
        `the regular expression '${pattern}' uses Java-only syntax (possessive quantifiers, atomic groups, inline flags inside the pattern or \\G), which Baton does not support`,
      );
    }
  } else source = source.replace(/\\\\|\\A/g, (m) => (m === '\\A' ? '^' : m));
  // (a+)+, (a*)*, (\w+\s?)+ …: refused, since they can take exponential time on a failing input.
  if (/\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/.test(source)) {
    fail('type', `the regular expression '${pattern}' repeats a group that itself repeats (like (a+)+), which can take exponential time; rewrite it without the nested repetition`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (e) {
    fail('type', `'${pattern}' is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, regex);
  return new RegExp(regex);
}

function boundInput(input: string): void {
  if (input.length > MAX_REGEX_INPUT) {
    fail('limit', `regular expressions run on text of at most ${formatCount(MAX_REGEX_INPUT)} characters; this one has ${formatCount(input.length)}`);
  }
}

/** Matcher.find(): whether the pattern occurs anywhere. */
export function regexFind(input: string, pattern: string): boolean {
  boundInput(input);
  return javaRegex(pattern, false).test(input);
}

/** The first match (or one of its groups), null when there is none. */
export function regexExtract(input: string, pattern: string, group: number): string | null {
  boundInput(input);
  const m = javaRegex(pattern, false).exec(input);
  if (!m) return null;
  if (group < 0 || group >= m.length) fail('type', `the regular expression has no group ${group}; it has ${m.length - 1}`);
  return m[group] ?? null;
}

/** Matcher.replaceAll with Java's replacement syntax: $1, ${name}, and \ to quote the next character. */
export function regexReplaceAll(input: string, pattern: string, replacement: string): string {
  boundInput(input);
  const regex = javaRegex(pattern, true);
  let size = input.length;
  const result = input.replace(regex, (...args: unknown[]) => {
    const hasGroups = typeof args[args.length - 1] === 'object';
    const groups = (hasGroups ? args[args.length - 1] : undefined) as Record<string, string> | undefined;
    const captures = args.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\') {
        if (i + 1 >= replacement.length) fail('type', 'the replacement ends with a lone backslash');
        out += replacement[++i];
      } else if (c === '$') {
        if (replacement[i + 1] === '{') {
          const close = replacement.indexOf('}', i);
          const name = replacement.slice(i + 2, close < 0 ? undefined : close);
          if (close < 0 || !groups || !(name in groups)) fail('type', `the replacement refers to a group named '${name}' that the regular expression does not have`);
          out += groups[name] ?? '';
          i = close;
        } else {
          let j = i + 1;
          while (j < replacement.length && /\d/.test(replacement[j]) && Number(replacement.slice(i + 1, j + 1)) < captures.length) j++;
          if (j === i + 1) fail('type', `'$' in the replacement must be followed by a group number; write \\$ for a dollar sign`);
          out += captures[Number(replacement.slice(i + 1, j))] ?? '';
          i = j - 1;
        }
      } else out += c;
    }
    size += out.length;
    checkStringLength(size, 'the result of the replacement');
    return out;
  });
  return result;
}
