import { closest, propsJsonSchema, PluginRegistry, type PluginDefinition } from '@baton/plugin-sdk';
import { stringify } from 'yaml';
import { pluginDefaultSchema, type PluginDefault } from './flow-schema';
import { YamlSource, type FlowError } from './yaml-source';

/**
 * A namespace's plugin defaults as people write them: the same list as a flow's `pluginDefaults`
 * (Kestra's namespace tab uses this shape, so exports round-trip between the two).
 *
 *   - type: io.kestra.plugin.ee.netbox
 *     values:
 *       site: dc1
 *     forced: false
 */
export interface PluginDefaultsDocumentResult {
  defaults?: PluginDefault[];
  errors: FlowError[];
}

const propertyNamesCache = new WeakMap<PluginDefinition, Set<string>>();

function propertyNames(definition: PluginDefinition): Set<string> {
  let names = propertyNamesCache.get(definition);
  if (!names) {
    const schema = propsJsonSchema(definition) as { properties?: Record<string, unknown> };
    names = new Set(Object.keys(schema.properties ?? {}));
    propertyNamesCache.set(definition, names);
  }
  return names;
}

/** Plugins reached by a default's `type` (exact or dotted prefix of the id or any alias). */
export function pluginsMatching(registry: PluginRegistry, type: string): PluginDefinition[] {
  return registry.list().filter((d) => [d.id, ...d.aliases].some((name) => PluginRegistry.typeMatches(type, name)));
}

/**
 * Parses and checks a plugin-defaults document. Every problem comes back with its line and
 * column: a type that reaches no plugin, a property that none of the reached plugins has (with
 * the closest name as a hint), a malformed entry. Nothing is thrown for user input.
 */
export function parsePluginDefaultsDocument(text: string, registry: PluginRegistry): PluginDefaultsDocumentResult {
  const yaml = new YamlSource(text);
  if (yaml.syntaxErrors.length) return { errors: yaml.syntaxErrors };
  const doc = yaml.value ?? [];
  if (!Array.isArray(doc)) {
    return { errors: [yaml.error([], 'plugin defaults are a YAML list of {type, values, forced} entries; start each entry with "- type:"')] };
  }
  const errors: FlowError[] = [];
  const defaults: PluginDefault[] = [];
  doc.forEach((raw, i) => {
    const parsed = pluginDefaultSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = [i, ...(issue.path as (string | number)[])];
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) errors.push(yaml.error([...path, key], `unknown key '${key}'; an entry has type, values and forced`, true));
        } else if (issue.code === 'invalid_type' && (raw as Record<string, unknown> | null)?.[String(issue.path[0])] === undefined) {
          errors.push(yaml.error([i], `missing required key '${String(issue.path[0])}'`));
        } else {
          errors.push(yaml.error(path, issue.message));
        }
      }
      return;
    }
    const entry = parsed.data;
    const plugins = pluginsMatching(registry, entry.type);
    if (!plugins.length) {
      const hint = registry.suggest(entry.type)[0] ?? closest(entry.type, registry.names());
      errors.push(yaml.error([i, 'type'], `no plugin type matches '${entry.type}'${hint ? `; did you mean '${hint}'?` : ''}`));
      return;
    }
    const known = new Set(plugins.flatMap((p) => [...propertyNames(p)]));
    for (const key of Object.keys(entry.values)) {
      if (known.has(key)) continue;
      const hint = closest(key, known);
      errors.push(yaml.error([i, 'values', key], `'${entry.type}' has no property '${key}'${hint ? `; did you mean '${hint}'?` : ''}`, true));
    }
    defaults.push(entry);
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return errors.length ? { errors } : { defaults, errors: [] };
}

/** The YAML people export to Git (and import back). */
export function pluginDefaultsToYaml(defaults: readonly PluginDefault[]): string {
  if (!defaults.length) return '[]\n';
  return stringify(defaults.map((d) => ({ type: d.type, values: d.values, ...(d.forced ? { forced: true } : {}) })));
}
