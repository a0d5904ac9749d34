// The plugin catalog: every plugin family Baton ships. The engine knows no plugin by name; the two
// composition roots (the web app's services and the worker) build their registry from here.
// Definitions only: safe for the web app. Runtimes are behind `@baton/plugin-catalog/runtimes`.
import { PluginRegistry, type PluginDefinition } from '@baton/plugin-sdk';
import { definitions as argocd } from '@baton/plugin-argocd';
import { definitions as cloudflare } from '@baton/plugin-cloudflare';
import { conditionDefinitions, definitions as core, triggerDefinitions } from '@baton/plugin-core';
import { definitions as kvm, triggerDefinitions as kvmTriggers } from '@baton/plugin-kvm';
import { definitions as maas } from '@baton/plugin-maas';
import { definitions as netbox } from '@baton/plugin-netbox';
import { definitions as notifications } from '@baton/plugin-notifications';
import { definitions as nutanix } from '@baton/plugin-nutanix';
import { definitions as scripts } from '@baton/plugin-scripts';
import { definitions as ssh } from '@baton/plugin-ssh';
import { definitions as vmware, triggerDefinitions as vmwareTriggers } from '@baton/plugin-vmware';

/** Every plugin family, by name. Adding a family: one line here and one in ./runtimes. */
export const pluginFamilies: Record<string, PluginDefinition[]> = { core, argocd, cloudflare, kvm, maas, netbox, notifications, nutanix, scripts, ssh, vmware };

let shared: PluginRegistry | undefined;

/** The registry of plugin definitions (no runtimes), built once per process. */
export function defaultRegistry(): PluginRegistry {
  if (!shared) {
    shared = new PluginRegistry();
    for (const family of Object.values(pluginFamilies)) shared.register(...family);
    // Trigger types and their conditions: Kestra's core ones, and the vendor families' polling triggers.
    shared.registerTriggers(...triggerDefinitions, ...kvmTriggers, ...vmwareTriggers).registerConditions(...conditionDefinitions);
  }
  return shared;
}
