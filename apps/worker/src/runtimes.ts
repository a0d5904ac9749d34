import type { Db } from '@baton/db';
import type { PluginRuntime } from '@baton/plugin-sdk';
import { pluginRuntimes } from '@baton/plugin-catalog/runtimes';
import { createEngineRuntimes } from './engine-runtimes';

/**
 * Plugin runtimes by Baton id: the catalog's, plus the retention tasks', which need the database
 * and so are built here with it. Only the worker imports runtimes (they carry client libraries).
 */
export function loadRuntimes(db: Db): Map<string, PluginRuntime> {
  const map = new Map<string, PluginRuntime>();
  for (const runtime of [...pluginRuntimes(), ...createEngineRuntimes(db)]) map.set(runtime.definition.id, runtime);
  return map;
}
