import type { JsonSchema } from '@/modules/api/types';

/** A short, readable type for a JSON Schema property: `string`, `integer ≥ 1`, `list of string`, `"A" | "B"`. */
export function schemaType(s: JsonSchema | undefined, depth = 0): string {
  if (!s) return 'any';
  if (depth > 3) return '…';
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.map((a) => schemaType(a, depth + 1)))].join(' | ');
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t === 'array') return `list of ${schemaType(s.items, depth + 1)}`;
  if (t === 'object') {
    if (s.properties) return 'object';
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${schemaType(s.additionalProperties, depth + 1)}`;
    return 'object';
  }
  if (t === 'integer' || t === 'number') {
    const bounds = [s.minimum !== undefined ? `≥ ${s.minimum}` : '', s.maximum !== undefined && (s.maximum as number) < 9e15 ? `≤ ${s.maximum}` : ''].filter(Boolean).join(', ');
    return bounds ? `${t} ${bounds}` : t;
  }
  return t ?? 'any';
}

export interface PropertyRow {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  children?: PropertyRow[];
}

export function propertyRows(s: JsonSchema | undefined, depth = 0): PropertyRow[] {
  const props = s?.properties ?? {};
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: schemaType(p),
    required: !!s?.required?.includes(name),
    default: p.default,
    description: p.description,
    children: depth < 2 && p.properties ? propertyRows(p, depth + 1) : undefined,
  }));
}
