import type { PluginRuntime, PollingTriggerRuntime } from '@baton/plugin-sdk';
import { vmwareTriggerRuntime } from './events';
import { createSnapshotRuntime, deleteSnapshotRuntime, listSnapshotsRuntime, restoreSnapshotRuntime } from './tasks/snapshots';
import {
  cloneTemplateRuntime,
  cloneVmRuntime,
  convertToTemplateRuntime,
  createVmRuntime,
  deleteVmRuntime,
  listVmsRuntime,
  rebootVmRuntime,
  resetVmRuntime,
  startVmRuntime,
  stopVmRuntime,
  suspendVmRuntime,
  updateVmRuntime,
} from './tasks/vms';

/** VMware task runtimes (vim25 SOAP). Only the worker imports this module (`@baton/plugin-vmware/runtime`). */
export { VimClient } from './vim/client';

export const runtimes: PluginRuntime[] = [
  createVmRuntime,
  deleteVmRuntime,
  startVmRuntime,
  stopVmRuntime,
  rebootVmRuntime,
  resetVmRuntime,
  suspendVmRuntime,
  updateVmRuntime,
  listVmsRuntime,
  cloneVmRuntime,
  cloneTemplateRuntime,
  convertToTemplateRuntime,
  createSnapshotRuntime,
  listSnapshotsRuntime,
  restoreSnapshotRuntime,
  deleteSnapshotRuntime,
] as PluginRuntime[];

/** Polling trigger runtimes (the vSphere event trigger). */
export const pollingTriggers = [vmwareTriggerRuntime] as PollingTriggerRuntime[];
export { decideEvents, readEvents } from './events';
