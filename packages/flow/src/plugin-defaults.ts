import { PluginRegistry, type PluginDefinition } from '@baton/plugin-sdk';
import type { PluginDefault } from './flow-schema';

/**
 * Where a set of plugin defaults comes from. Layers are always ordered from the top of the tree
 * down to the flow: instance (BATON_PLUGIN_DEFAULTS), tenant-wide, each namespace from the root
 * (`infra`) to the flow's own (`infra.provisioning`), then the flow's `pluginDefaults`.
 */
export interface DefaultLayer {
  /** Shown to people: `instance`, `tenant`, `namespace infra.provisioning`, `flow`. */
  source: string;
  defaults: readonly PluginDefault[];
}

/**
 * Applies plugin defaults to a task's properties. The one merge rule of Baton
 * (docs/plugin-defaults.md), from strongest to weakest:
 *
 *   forced defaults, the higher layer winning (instance > tenant > parent namespace > child > flow)
 *   > the task's own value
 *   > non-forced defaults, the closer layer winning (flow > child namespace > parent > tenant > instance).
 *
 * Forced defaults are governance: an administrator's forced value on `infra` cannot be undone by
 * `infra.team` or by a flow (Kestra behaves so for namespaces since 1.3.22). Non-forced defaults
 * are convenience: the most specific one wins.
 *
 * A default's `type` matches the type as written in the flow, the plugin's Baton id or any alias,
 * exactly or as a dotted prefix, so `io.kestra.plugin.cloudflare` reaches
 * `cloudflare.dns.records.Upsert`. Plain objects merge deeply; lists and scalars replace.
 *
 * @param layers top first (see DefaultLayer); plain lists are accepted for callers without sources.
 */
export function applyPluginDefaults(
  writtenType: string,
  definition: PluginDefinition | undefined,
  taskProps: Record<string, unknown>,
  layers: readonly (readonly PluginDefault[] | DefaultLayer)[],
): Record<string, unknown> {
  return mergeDefaults(writtenType, definition, taskProps, layers.map(asLayer)).props;
}

/** Which top-level property a default supplied, from where, and whether it was forced. */
export interface SuppliedProperty {
  name: string;
  source: string;
  forced: boolean;
}

/**
 * Like applyPluginDefaults, and also says which top-level properties came from a default rather
 * than from the task: the flow editor shows these next to the task.
 */
export function explainPluginDefaults(
  writtenType: string,
  definition: PluginDefinition | undefined,
  taskProps: Record<string, unknown>,
  layers: readonly DefaultLayer[],
): { props: Record<string, unknown>; supplied: SuppliedProperty[] } {
  return mergeDefaults(writtenType, definition, taskProps, layers);
}

function mergeDefaults(writtenType: string, definition: PluginDefinition | undefined, taskProps: Record<string, unknown>, layers: readonly DefaultLayer[]) {
  const names = [writtenType, ...(definition ? [definition.id, ...definition.aliases] : [])];
  const matches = (d: PluginDefault) => names.some((n) => PluginRegistry.typeMatches(d.type, n));
  const origin = new Map<string, SuppliedProperty>();
  let props: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const d of layer.defaults) {
      if (d.forced || !matches(d)) continue;
      props = deepMerge(props, d.values);
      for (const name of definedKeys(d.values)) origin.set(name, { name, source: layer.source, forced: false });
    }
  }
  props = deepMerge(props, taskProps);
  for (const name of definedKeys(taskProps)) origin.delete(name);
  // Forced: walk from the flow up, so the top-most forced default is merged last and wins.
  for (const layer of [...layers].reverse()) {
    for (const d of [...layer.defaults].reverse()) {
      if (!d.forced || !matches(d)) continue;
      props = deepMerge(props, d.values);
      for (const name of definedKeys(d.values)) origin.set(name, { name, source: layer.source, forced: true });
    }
  }
  return { props, supplied: [...origin.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

function asLayer(layer: readonly PluginDefault[] | DefaultLayer, index: number): DefaultLayer {
  return Array.isArray(layer) ? { source: `layer ${index}`, defaults: layer } : (layer as DefaultLayer);
}

function definedKeys(values: Record<string, unknown>): string[] {
  return Object.keys(values).filter((k) => values[k] !== undefined);
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

/**
 * The namespaces whose defaults reach a flow of `namespace`, root first:
 * `a.b.c` → [`a`, `a.b`, `a.b.c`].
 */
export function namespaceChain(namespace: string): string[] {
  const parts = namespace.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}
