import type { PluginDefinition } from '@baton/plugin-sdk';
import { flowDefinitions } from './flow-definitions';
import { kvDefinitions } from './kv-definitions';
import { purgeDefinitions } from './purge-definitions';
import { taskDefinitions } from './task-definitions';

export * from './flow-definitions';
export * from './task-definitions';
export * from './kv-definitions';
export * from './purge-definitions';
export * from './trigger-definitions';

export const definitions: PluginDefinition[] = [...flowDefinitions, ...taskDefinitions, ...kvDefinitions, ...purgeDefinitions] as PluginDefinition[];
