'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import type { PluginDefault } from '../lib/defaults-form';

export interface DefaultsRevision {
  namespace: string;
  revision: number;
  defaults: PluginDefault[];
  source: string;
  createdBy: string | null;
  created: string | null;
}

export interface NamespaceDefaults extends DefaultsRevision {
  /** The layers above this namespace (tenant-wide, parent namespaces), top first. */
  inherited: { source: string; defaults: PluginDefault[] }[];
}

/** `''` (tenant-wide) is `_` in URLs. */
const segment = (namespace: string) => namespace || '_';

export function usePluginDefaults(tenant: string, namespace: string) {
  return useQuery({
    queryKey: keys.pluginDefaults.detail(tenant, namespace),
    queryFn: ({ signal }) => api<NamespaceDefaults>(tenantPath(tenant, 'namespaces', segment(namespace), 'plugin-defaults'), { signal }),
  });
}

export function useDefaultsRevisions(tenant: string, namespace: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.pluginDefaults.revisions(tenant, namespace),
    queryFn: ({ signal }) => api<DefaultsRevision[]>(tenantPath(tenant, 'namespaces', segment(namespace), 'plugin-defaults', 'revisions'), { signal }),
    enabled,
  });
}

/** Saves from the form (`defaults`) or the YAML view (`source`); both become a new revision. */
export function useSaveDefaults(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { defaults: PluginDefault[] } | { source: string }) =>
      api<DefaultsRevision & { changed: boolean }>(tenantPath(tenant, 'namespaces', segment(namespace), 'plugin-defaults'), {
        method: 'PUT',
        ...('source' in input ? { raw: { body: input.source, contentType: 'application/x-yaml' } } : { body: { defaults: input.defaults } }),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['plugin-defaults', tenant] }),
  });
}

export const exportUrl = (tenant: string, namespace: string) => `${tenantPath(tenant, 'namespaces', segment(namespace), 'plugin-defaults')}?source=yaml`;
