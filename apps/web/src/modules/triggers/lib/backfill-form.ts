// The Backfill dialog's text fields read into the API's body; pure, so the rules are tested alone.

/** A `<input type="datetime-local">` value (the browser's local time) as an ISO instant, or undefined. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An instant as a `datetime-local` value in the browser's zone (minutes precision). */
export function isoToLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `key=value` (or `key: value`) lines into labels; an error names the line to fix. */
export function parseLabelLines(text: string): { labels?: Record<string, string>; error?: string } {
  const labels: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const m = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) return { error: `line ${i + 1}: write key=value, e.g. reason=replay after outage` };
    if (m[1]!.startsWith('system.')) return { error: `line ${i + 1}: system.* labels are set by Baton` };
    labels[m[1]!] = m[2]!;
  }
  return Object.keys(labels).length ? { labels } : {};
}

/** The inputs field: empty, or a JSON object of input id → value. */
export function parseInputsJson(text: string): { inputs?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'write a JSON object, e.g. {"region": "eu"}' };
    return { inputs: value as Record<string, unknown> };
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
}
