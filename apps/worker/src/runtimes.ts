import type { Db } from '@baton/db';
import type { ExecutionFiles } from '@baton/engine/services/storage/execution-files';
import type { PluginRuntime } from '@baton/plugin-sdk';
import { runtimes as argocd } from '@baton/plugin-argocd/runtime';
import { runtimes as cloudflare } from '@baton/plugin-cloudflare/runtime';
import { runtimes as core } from '@baton/plugin-core/runtime';
import { runtimes as maas } from '@baton/plugin-maas/runtime';
import { runtimes as netbox } from '@baton/plugin-netbox/runtime';
import { createEngineRuntimes } from './engine-runtimes';

/**
 * Plugin runtimes by Baton id. Only the worker imports runtimes (they carry client libraries);
 * the retention tasks' runtimes need the database, so they are built here with it.
 */
export function loadRuntimes(db: Db, files?: ExecutionFiles): Map<string, PluginRuntime> {
  const map = new Map<string, PluginRuntime>();
  for (const runtime of [...core, ...argocd, ...cloudflare, ...maas, ...netbox, ...createEngineRuntimes(db, files)]) map.set(runtime.definition.id, runtime);
  return map;
}
