// Formatting helpers shared by pages: durations, relative times, dates.

export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function durationBetween(start?: string, end?: string, now = Date.now()): number | undefined {
  if (!start) return undefined;
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : now;
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : b - a;
}

export function relativeTime(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = now - Date.parse(iso);
  const abs = Math.abs(diff);
  const suffix = diff >= 0 ? 'ago' : 'from now';
  // Small negative differences are clock skew between this browser and the server: "just now".
  if (abs < 45_000) return 'just now';
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min ${suffix}`;
  if (abs < 86_400_000) return `${Math.round(abs / 3_600_000)} h ${suffix}`;
  if (abs < 30 * 86_400_000) return `${Math.round(abs / 86_400_000)} d ${suffix}`;
  return new Date(iso).toLocaleDateString();
}

export function dateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function timeOfDay(iso: string | undefined, ms = true): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${ms ? `.${pad(d.getMilliseconds(), 3)}` : ''}`;
}

/** Flow labels come as a map or Kestra's list of {key, value}. */
export function labelList(labels: unknown): { key: string; value: string }[] {
  if (Array.isArray(labels)) return labels.filter((l) => l && typeof l === 'object').map((l) => ({ key: String(l.key), value: String(l.value) }));
  if (labels && typeof labels === 'object') return Object.entries(labels).map(([key, value]) => ({ key, value: String(value) }));
  return [];
}
