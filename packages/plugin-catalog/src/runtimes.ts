// Plugin runtimes (client libraries, network code): the worker's side of the catalog. The web app
// never imports this entry point (a lint rule refuses it).
import type { PluginRuntime, PollingTriggerRuntime } from '@baton/plugin-sdk';
import { runtimes as argocd } from '@baton/plugin-argocd/runtime';
import { runtimes as cloudflare } from '@baton/plugin-cloudflare/runtime';
import { runtimes as core } from '@baton/plugin-core/runtime';
import { pollingTriggers as kvmPollers, runtimes as kvm } from '@baton/plugin-kvm/runtime';
import { runtimes as maas } from '@baton/plugin-maas/runtime';
import { runtimes as netbox } from '@baton/plugin-netbox/runtime';
import { runtimes as notifications } from '@baton/plugin-notifications/runtime';
import { runtimes as nutanix } from '@baton/plugin-nutanix/runtime';
import { runtimes as scripts } from '@baton/plugin-scripts/runtime';
import { runtimes as ssh } from '@baton/plugin-ssh/runtime';
import { pollingTriggers as vmwarePollers, runtimes as vmware } from '@baton/plugin-vmware/runtime';

/** Every shipped runtime, by family (the same names as `pluginFamilies`). */
export const runtimeFamilies: Record<string, PluginRuntime[]> = { core, argocd, cloudflare, kvm, maas, netbox, notifications, nutanix, scripts, ssh, vmware };

export function pluginRuntimes(): PluginRuntime[] {
  return Object.values(runtimeFamilies).flat();
}

/** The worker side of every polling trigger type, by trigger definition id. */
export function pollingTriggerRuntimes(): Map<string, PollingTriggerRuntime> {
  return new Map([...kvmPollers, ...vmwarePollers].map((r) => [r.id, r]));
}
