import type { PluginDefinition } from '@baton/plugin-sdk';
import * as d from './definitions';

/**
 * Nutanix AHV plugin definitions (Prism Central v4). No client code here: the web app imports this
 * module; the worker imports `@baton/plugin-nutanix/runtime`.
 */
export * from './definitions';

export const definitions: PluginDefinition[] = [
  d.createVmDefinition,
  d.startVmDefinition,
  d.stopVmDefinition,
  d.deleteVmDefinition,
  d.listVmsDefinition,
  d.getVmDefinition,
  d.cloneVmDefinition,
  d.convertVmToTemplateDefinition,
  d.cloneTemplateDefinition,
  d.createVmSnapshotDefinition,
  d.listVmSnapshotsDefinition,
  d.restoreVmSnapshotDefinition,
  d.deleteVmSnapshotDefinition,
];
