'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import type { JsonSchema, PluginDoc } from '@/modules/api/types';

// Plugin docs and the flow schema change only when the server is upgraded: fetch once per session.
export function usePlugins() {
  return useQuery({ queryKey: keys.plugins.all(), queryFn: ({ signal }) => api<PluginDoc[]>('/api/v1/plugins', { signal }), staleTime: Infinity });
}

export function useFlowSchema() {
  return useQuery({ queryKey: keys.plugins.flowSchema(), queryFn: ({ signal }) => api<JsonSchema>('/api/v1/plugins/schemas/flow', { signal }), staleTime: Infinity });
}

/** Plugin docs by every name a flow may use (id and aliases). */
export function pluginIndex(plugins: PluginDoc[] | undefined): Map<string, PluginDoc> {
  const map = new Map<string, PluginDoc>();
  for (const p of plugins ?? []) {
    map.set(p.id, p);
    for (const a of p.aliases) map.set(a, p);
  }
  return map;
}
