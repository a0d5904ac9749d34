import type { JsonSchema, PluginDoc } from '@/modules/api/types';

// The namespace plugin-defaults form works on rows of text fields, so a half-typed number or
// JSON object is never lost; it becomes the API's `{type, values, forced}` list on save.

export interface PluginDefault {
  type: string;
  values: Record<string, unknown>;
  forced?: boolean;
}

export interface FormProperty {
  name: string;
  /** What the person typed: plain text for strings, JSON for anything else. */
  text: string;
}

export interface FormEntry {
  type: string;
  forced: boolean;
  properties: FormProperty[];
}

/**
 * How a property is edited: a text box, a number, a yes/no, a choice, JSON for objects and lists,
 * and `any` (a property whose schema says nothing, like Return's `format`): JSON when it parses,
 * otherwise the text as typed.
 */
export type FieldKind = { kind: 'string' } | { kind: 'number' } | { kind: 'boolean' } | { kind: 'enum'; options: string[] } | { kind: 'json' } | { kind: 'any' };

export function fieldKind(schema: JsonSchema | undefined): FieldKind {
  if (!schema) return { kind: 'any' };
  if (schema.enum && schema.enum.every((e) => typeof e === 'string')) return { kind: 'enum', options: schema.enum as string[] };
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts?.length) {
    // `string | expression` style unions edit as their first simple alternative.
    const simple = alts.map(fieldKind).find((k) => k.kind !== 'json' && k.kind !== 'any');
    return simple ?? { kind: 'json' };
  }
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (t === undefined) return { kind: 'any' };
  if (t === 'string') return { kind: 'string' };
  if (t === 'integer' || t === 'number') return { kind: 'number' };
  if (t === 'boolean') return { kind: 'boolean' };
  return { kind: 'json' };
}

/** Plugins a default's type reaches: the exact id or an alias, or every plugin under a dotted prefix. */
export function pluginsForType(type: string, plugins: readonly PluginDoc[]): PluginDoc[] {
  const t = type.trim();
  if (!t) return [];
  const matches = (name: string) => name === t || name.startsWith(t.endsWith('.') ? t : `${t}.`);
  return plugins.filter((p) => [p.id, ...p.aliases].some(matches));
}

/** Properties (with their schemas) the matching plugins have, by name. */
export function propertiesForType(type: string, plugins: readonly PluginDoc[]): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const p of pluginsForType(type, plugins)) {
    for (const [name, schema] of Object.entries(p.props.properties ?? {})) if (!out.has(name)) out.set(name, schema as JsonSchema);
  }
  return out;
}

export function toForm(defaults: readonly PluginDefault[]): FormEntry[] {
  return defaults.map((d) => ({
    type: d.type,
    forced: d.forced === true,
    properties: Object.entries(d.values).map(([name, value]) => ({ name, text: typeof value === 'string' ? value : JSON.stringify(value) })),
  }));
}

export interface FormProblem {
  entry: number;
  property?: string;
  message: string;
}

/**
 * The API's list from the form, or what is wrong with the form. Strings stay as typed; other
 * kinds parse as JSON (numbers, booleans, objects, lists); an empty field is left out.
 */
export function fromForm(entries: readonly FormEntry[], plugins: readonly PluginDoc[]): { defaults?: PluginDefault[]; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const defaults = entries.map((entry, i): PluginDefault => {
    if (!entry.type.trim()) problems.push({ entry: i, message: 'choose the plugin type (or a dotted prefix such as io.kestra.plugin.core.http)' });
    const schemas = propertiesForType(entry.type, plugins);
    const values: Record<string, unknown> = {};
    for (const p of entry.properties) {
      if (!p.name.trim() || p.text === '') continue;
      const kind = fieldKind(schemas.get(p.name));
      if (kind.kind === 'string' || kind.kind === 'enum' || p.text.includes('{{')) {
        values[p.name] = p.text;
        continue;
      }
      try {
        values[p.name] = JSON.parse(p.text);
      } catch {
        if (kind.kind === 'any') {
          values[p.name] = p.text;
          continue;
        }
        problems.push({ entry: i, property: p.name, message: `${p.name}: ${kind.kind === 'json' ? 'write JSON, e.g. {"key": "value"} or ["a", "b"]' : `not a ${kind.kind}`}` });
      }
    }
    return { type: entry.type.trim(), values, ...(entry.forced ? { forced: true } : {}) };
  });
  return problems.length ? { problems } : { defaults, problems };
}

export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

/** A line diff (longest common subsequence) between two revisions' YAML, for the history view. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 4_000_000) return [...a.map((text) => ({ kind: 'removed' as const, text })), ...b.map((text) => ({ kind: 'added' as const, text }))];
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ kind: 'removed', text: a[i++] });
    else out.push({ kind: 'added', text: b[j++] });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++] });
  while (j < b.length) out.push({ kind: 'added', text: b[j++] });
  return out;
}
