import type { PluginRuntime } from '@baton/plugin-sdk';
import { commissionMachineRuntime } from './tasks/commission-machine';
import { deployMachineRuntime } from './tasks/deploy-machine';
import { enlistMachineRuntime } from './tasks/enlist-machine';
import { listMachinesRuntime } from './tasks/list-machines';
import { powerControlMachineRuntime } from './tasks/power-control-machine';
import { releaseMachineRuntime } from './tasks/release-machine';

/** MAAS task runtimes. Only the worker imports this module (`@baton/plugin-maas/runtime`). */
export { commissionMachineRuntime, deployMachineRuntime, enlistMachineRuntime, listMachinesRuntime, powerControlMachineRuntime, releaseMachineRuntime };

export const runtimes: PluginRuntime[] = [
  listMachinesRuntime,
  enlistMachineRuntime,
  commissionMachineRuntime,
  deployMachineRuntime,
  powerControlMachineRuntime,
  releaseMachineRuntime,
];
