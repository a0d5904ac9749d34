// Time-range presets for the executions filter; `custom` keeps explicit bounds.
export const RANGES = [
  { id: 'all', label: 'Any time', ms: 0 },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { id: 'custom', label: 'Custom…', ms: 0 },
] as const;

export type RangeId = (typeof RANGES)[number]['id'];

export function rangeBounds(range: RangeId, from?: string, to?: string, now = Date.now()): { startDate?: string; endDate?: string } {
  if (range === 'custom') {
    const iso = (v?: string) => (v ? new Date(v).toISOString() : undefined);
    return { startDate: iso(from), endDate: iso(to) };
  }
  const r = RANGES.find((x) => x.id === range);
  // Rounded to the minute so the query key (and the cache) is stable while the page is open.
  return r && r.ms ? { startDate: new Date(Math.floor((now - r.ms) / 60_000) * 60_000).toISOString() } : {};
}
