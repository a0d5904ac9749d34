import type { PluginDefinition } from '@baton/plugin-sdk';
import { listDefinition } from './definitions/list';
import { rollbackDefinition } from './definitions/rollback';
import { statusDefinition } from './definitions/status';
import { syncDefinition } from './definitions/sync';
import { waitForHealthDefinition } from './definitions/wait-for-health';

/**
 * Argo CD plugin definitions (zod schemas, docs, examples). No client code here: the web app
 * imports this module; the worker imports `@baton/plugin-argocd/runtime`.
 */
export { listDefinition, rollbackDefinition, statusDefinition, syncDefinition, waitForHealthDefinition };

export const definitions: PluginDefinition[] = [syncDefinition, statusDefinition, waitForHealthDefinition, rollbackDefinition, listDefinition];
