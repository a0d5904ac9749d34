import type { PluginRuntime, PollingTriggerRuntime } from '@baton/plugin-sdk';
import { vmEventTriggerRuntime } from './vm-events';
import { cloneVmRuntime } from './tasks/clone';
import { getVmRuntime, listVmsRuntime } from './tasks/inventory';
import { createVmRuntime, deleteVmRuntime, resumeVmRuntime, startVmRuntime, stopVmRuntime, suspendVmRuntime, updateVmRuntime } from './tasks/lifecycle';
import { createSnapshotRuntime, deleteSnapshotRuntime, listSnapshotsRuntime, revertSnapshotRuntime } from './tasks/snapshots';

/** KVM task runtimes. Only the worker imports this module (`@baton/plugin-kvm/runtime`). */
export {
  cloneVmRuntime,
  createSnapshotRuntime,
  createVmRuntime,
  deleteSnapshotRuntime,
  deleteVmRuntime,
  getVmRuntime,
  listSnapshotsRuntime,
  listVmsRuntime,
  resumeVmRuntime,
  revertSnapshotRuntime,
  startVmRuntime,
  stopVmRuntime,
  suspendVmRuntime,
  updateVmRuntime,
};
export { pollDomainStates, type DomainStateSnapshot } from './states';
export { detectVmEvents, vmEventTriggerRuntime } from './vm-events';
export { LibvirtClient } from './libvirt/client';

export const runtimes: PluginRuntime[] = [
  createVmRuntime,
  startVmRuntime,
  stopVmRuntime,
  updateVmRuntime,
  deleteVmRuntime,
  listVmsRuntime,
  getVmRuntime,
  suspendVmRuntime,
  resumeVmRuntime,
  cloneVmRuntime,
  createSnapshotRuntime,
  revertSnapshotRuntime,
  deleteSnapshotRuntime,
  listSnapshotsRuntime,
];

/** Polling trigger runtimes (VmEventTrigger). */
export const pollingTriggers = [vmEventTriggerRuntime] as PollingTriggerRuntime[];
