import type { PluginDefinition } from '@baton/plugin-sdk';
import { assignIpAddressDefinition } from './definitions/assign-ip-address';
import { createDeviceDefinition, listDevicesDefinition, updateDeviceDefinition } from './definitions/devices';
import { createInterfaceDefinition } from './definitions/interfaces';
import { listSitesDefinition } from './definitions/list-sites';

/**
 * NetBox plugin definitions (zod schemas, docs, examples). No client code here: the web app
 * imports this module; the worker imports `@baton/plugin-netbox/runtime`.
 */
export { assignIpAddressDefinition, createDeviceDefinition, createInterfaceDefinition, listDevicesDefinition, listSitesDefinition, updateDeviceDefinition };

export const definitions: PluginDefinition[] = [
  listSitesDefinition,
  listDevicesDefinition,
  createDeviceDefinition,
  updateDeviceDefinition,
  createInterfaceDefinition,
  assignIpAddressDefinition,
];
