import type { PluginRuntime } from '@baton/plugin-sdk';
import { assignIpAddressRuntime } from './tasks/assign-ip-address';
import { createDeviceRuntime, updateDeviceRuntime } from './tasks/devices';
import { createInterfaceRuntime } from './tasks/interfaces';
import { listDevicesRuntime, listSitesRuntime } from './tasks/lists';

/** NetBox task runtimes. Only the worker imports this module (`@baton/plugin-netbox/runtime`). */
export { assignIpAddressRuntime, createDeviceRuntime, createInterfaceRuntime, listDevicesRuntime, listSitesRuntime, updateDeviceRuntime };

export const runtimes: PluginRuntime[] = [listSitesRuntime, listDevicesRuntime, createDeviceRuntime, updateDeviceRuntime, createInterfaceRuntime, assignIpAddressRuntime];
