import type { PluginDefinition } from '@baton/plugin-sdk';
import { commissionMachineDefinition } from './definitions/commission-machine';
import { deployMachineDefinition } from './definitions/deploy-machine';
import { enlistMachineDefinition } from './definitions/enlist-machine';
import { listMachinesDefinition } from './definitions/list-machines';
import { powerControlMachineDefinition } from './definitions/power-control-machine';
import { releaseMachineDefinition } from './definitions/release-machine';

/**
 * Canonical MAAS plugin definitions (zod schemas, docs, examples). No client code here: the web
 * app imports this module; the worker imports `@baton/plugin-maas/runtime`.
 */
export { commissionMachineDefinition, deployMachineDefinition, enlistMachineDefinition, listMachinesDefinition, powerControlMachineDefinition, releaseMachineDefinition };

export const definitions: PluginDefinition[] = [
  listMachinesDefinition,
  enlistMachineDefinition,
  commissionMachineDefinition,
  deployMachineDefinition,
  powerControlMachineDefinition,
  releaseMachineDefinition,
];
