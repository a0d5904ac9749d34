import type { PluginRuntime } from '@baton/plugin-sdk';
import { listRuntime } from './tasks/list';
import { rollbackRuntime } from './tasks/rollback';
import { statusRuntime } from './tasks/status';
import { syncRuntime } from './tasks/sync';
import { waitForHealthRuntime } from './tasks/wait-for-health';

/** Argo CD task runtimes. Only the worker imports this module (`@baton/plugin-argocd/runtime`). */
export { listRuntime, rollbackRuntime, statusRuntime, syncRuntime, waitForHealthRuntime };

export const runtimes: PluginRuntime[] = [syncRuntime, statusRuntime, waitForHealthRuntime, rollbackRuntime, listRuntime];
