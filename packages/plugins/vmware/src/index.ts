import type { PluginDefinition, TriggerDefinition } from '@baton/plugin-sdk';
import { vmwareTriggerDefinition } from './definitions/trigger';
import { createSnapshotDefinition, deleteSnapshotDefinition, listSnapshotsDefinition, restoreSnapshotDefinition } from './definitions/snapshots';
import {
  cloneTemplateDefinition,
  cloneVmDefinition,
  convertToTemplateDefinition,
  createVmDefinition,
  deleteVmDefinition,
  listVmsDefinition,
  rebootVmDefinition,
  resetVmDefinition,
  startVmDefinition,
  stopVmDefinition,
  suspendVmDefinition,
  updateVmDefinition,
} from './definitions/vms';

/**
 * VMware vSphere / ESXi plugin definitions (zod schemas, docs, examples), under Kestra's
 * `io.kestra.plugin.ee.vmware.vcenter.*` and `.esxi.*` names. No client code here: the web app
 * imports this module; the worker imports `@baton/plugin-vmware/runtime`.
 */
export const definitions: PluginDefinition[] = [
  createVmDefinition,
  deleteVmDefinition,
  startVmDefinition,
  stopVmDefinition,
  rebootVmDefinition,
  resetVmDefinition,
  suspendVmDefinition,
  updateVmDefinition,
  listVmsDefinition,
  cloneVmDefinition,
  cloneTemplateDefinition,
  convertToTemplateDefinition,
  createSnapshotDefinition,
  listSnapshotsDefinition,
  restoreSnapshotDefinition,
  deleteSnapshotDefinition,
];

export { vmwareTriggerDefinition };

/** Trigger types of the family (the vSphere event trigger, a polling trigger). */
export const triggerDefinitions = [vmwareTriggerDefinition] as TriggerDefinition[];
