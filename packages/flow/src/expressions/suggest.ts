/** Names close to `name` (typos, wrong case, prefixes), best first. */
export function similarNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    let score: number;
    if (c === lower) score = 0;
    else if (lower.length >= 3 && (c.startsWith(lower) || lower.startsWith(c))) score = 1;
    else {
      // Allow about one typo per three letters, at least two (covers swapped letters), at most three.
      const limit = Math.min(3, Math.max(2, Math.floor(lower.length / 3)));
      const d = distance(lower, c, limit);
      if (d > limit) continue;
      score = 1 + d;
    }
    scored.push({ candidate, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : 1));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** "did you mean 'x'?" or '' */
export function didYouMean(name: string, candidates: Iterable<string>, format = (s: string) => `'${s}'`): string {
  const close = similarNames(name, candidates);
  return close.length ? `did you mean ${close.map(format).join(' or ')}?` : '';
}

/** A readable, bounded list of names for error messages. */
export function listNames(names: string[], max = 20): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length - max} more)` : shown;
}
