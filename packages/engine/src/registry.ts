import { PluginRegistry, type PluginDefinition } from '@baton/plugin-sdk';
import { definitions as argocd } from '@baton/plugin-argocd';
import { definitions as cloudflare } from '@baton/plugin-cloudflare';
import { definitions as core } from '@baton/plugin-core';
import { definitions as maas } from '@baton/plugin-maas';
import { definitions as netbox } from '@baton/plugin-netbox';

/** Every plugin family Baton ships. Adding a family: one line here and one in the worker's runtimes. */
export const pluginFamilies: Record<string, PluginDefinition[]> = { core, argocd, cloudflare, maas, netbox };

let shared: PluginRegistry | undefined;

/** The registry of plugin definitions (no runtimes: safe for the web app). */
export function defaultRegistry(): PluginRegistry {
  if (!shared) {
    shared = new PluginRegistry();
    for (const family of Object.values(pluginFamilies)) shared.register(...family);
  }
  return shared;
}
