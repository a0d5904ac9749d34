import fs from 'node:fs';
import { pluginDefaultSchema, type PluginDefault } from '@baton/flow';
import { parse } from 'yaml';

/**
 * Reads instance-wide plugin defaults from a YAML or JSON file (a list of
 * `{type, values, forced}` entries, the same shape as a flow's pluginDefaults).
 */
export function loadInstanceDefaults(file: string | undefined): PluginDefault[] {
  if (!file) return [];
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`BATON_PLUGIN_DEFAULTS=${file} could not be read: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new Error(`BATON_PLUGIN_DEFAULTS=${file} must contain a list of {type, values, forced} entries`);
  return raw.map((entry, i) => {
    const parsed = pluginDefaultSchema.safeParse(entry);
    if (!parsed.success) throw new Error(`BATON_PLUGIN_DEFAULTS=${file}, entry ${i}: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
    return parsed.data;
  });
}
