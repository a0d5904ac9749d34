import { PluginRegistry, type PluginDefinition } from '@baton/plugin-sdk';
import type { PluginDefault } from './flow-schema';

/**
 * Applies plugin defaults to a task's properties.
 *
 * Precedence, from strongest to weakest:
 *   forced flow default > forced namespace default > task value > flow default > namespace default.
 * `layers` are ordered weakest first: [namespaceDefaults, flowDefaults]. A default's `type` matches
 * the type as written in the flow, the plugin's Baton id or any alias, exactly or as a dotted prefix,
 * so `io.kestra.plugin.cloudflare` reaches `cloudflare.dns.records.Upsert` tasks.
 * Plain objects merge deeply; arrays and scalars replace.
 */
export function applyPluginDefaults(
  writtenType: string,
  definition: PluginDefinition | undefined,
  taskProps: Record<string, unknown>,
  layers: readonly (readonly PluginDefault[])[],
): Record<string, unknown> {
  const names = [writtenType, ...(definition ? [definition.id, ...definition.aliases] : [])];
  const matches = (d: PluginDefault) => names.some((n) => PluginRegistry.typeMatches(d.type, n));
  let result: Record<string, unknown> = {};
  for (const layer of layers) for (const d of layer) if (!d.forced && matches(d)) result = deepMerge(result, d.values);
  result = deepMerge(result, taskProps);
  for (const layer of layers) for (const d of layer) if (d.forced && matches(d)) result = deepMerge(result, d.values);
  return result;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(out[key]) && isPlainObject(value) ? deepMerge(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}
