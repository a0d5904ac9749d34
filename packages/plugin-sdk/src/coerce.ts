import type { z } from 'zod';

/**
 * Parses task properties as Kestra does: a number or a boolean given where the property takes
 * text (`message: 42`, or `"{{ 1 + 1 }}"` rendered to 2) is that text, not an error. Only the
 * places the schema refused are converted, and only when that makes them valid.
 */
export function parseProps<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  const first = schema.safeParse(value);
  if (first.success || typeof value !== 'object' || value === null) return first;
  let changed = false;
  const copy = jsonCopy(value);
  for (const issue of first.error.issues) {
    const at = issue.path;
    if (!at.length) continue;
    const parent = at
      .slice(0, -1)
      .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), copy);
    const key = at[at.length - 1] as PropertyKey;
    if (!parent || typeof parent !== 'object') continue;
    const current = (parent as Record<PropertyKey, unknown>)[key];
    if (typeof current === 'number' || typeof current === 'boolean') {
      (parent as Record<PropertyKey, unknown>)[key] = String(current);
      changed = true;
    }
  }
  if (!changed) return first;
  const second = schema.safeParse(copy);
  return second.success ? second : first;
}

/** Properties are JSON (YAML or rendered values): a JSON copy is a deep copy. */
function jsonCopy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
