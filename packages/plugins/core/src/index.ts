import type { PluginDefinition } from '@baton/plugin-sdk';
import { flowDefinitions } from './flow-definitions';
import { taskDefinitions } from './task-definitions';

export * from './flow-definitions';
export * from './task-definitions';

export const definitions: PluginDefinition[] = [...flowDefinitions, ...taskDefinitions] as PluginDefinition[];
