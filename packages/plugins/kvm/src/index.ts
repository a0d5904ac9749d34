import type { PluginDefinition, TriggerDefinition } from '@baton/plugin-sdk';
import { vmEventTriggerDefinition } from './definitions/trigger';
import { cloneVmDefinition } from './definitions/clone';
import { getVmDefinition, listVmsDefinition } from './definitions/inventory';
import { createVmDefinition, deleteVmDefinition, resumeVmDefinition, startVmDefinition, stopVmDefinition, suspendVmDefinition, updateVmDefinition } from './definitions/lifecycle';
import { createSnapshotDefinition, deleteSnapshotDefinition, listSnapshotsDefinition, revertSnapshotDefinition } from './definitions/snapshots';

/**
 * KVM / libvirt plugin definitions (zod schemas, docs, examples). No client code here: the web app
 * imports this module; the worker imports `@baton/plugin-kvm/runtime`.
 */
export {
  cloneVmDefinition,
  createSnapshotDefinition,
  createVmDefinition,
  deleteSnapshotDefinition,
  deleteVmDefinition,
  getVmDefinition,
  listSnapshotsDefinition,
  listVmsDefinition,
  resumeVmDefinition,
  revertSnapshotDefinition,
  startVmDefinition,
  stopVmDefinition,
  suspendVmDefinition,
  updateVmDefinition,
};
export { DOMAIN_STATES } from './definitions/common';
export { domainStateName, vmEventTriggerDefinition } from './definitions/trigger';

/** Trigger types of the family (VmEventTrigger, a polling trigger). */
export const triggerDefinitions = [vmEventTriggerDefinition] as TriggerDefinition[];

export const definitions: PluginDefinition[] = [
  createVmDefinition,
  startVmDefinition,
  stopVmDefinition,
  updateVmDefinition,
  deleteVmDefinition,
  listVmsDefinition,
  getVmDefinition,
  suspendVmDefinition,
  resumeVmDefinition,
  cloneVmDefinition,
  createSnapshotDefinition,
  revertSnapshotDefinition,
  deleteSnapshotDefinition,
  listSnapshotsDefinition,
];
