'use client';
import { useQuery } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import type { NamespaceSummary } from '@/modules/api/types';

export function useNamespaces(tenant: string) {
  return useQuery({
    queryKey: keys.namespaces(tenant),
    queryFn: ({ signal }) => api<NamespaceSummary[]>(tenantPath(tenant, 'namespaces'), { signal }),
    staleTime: 30_000,
  });
}

export function useTenants() {
  return useQuery({ queryKey: keys.tenants(), queryFn: ({ signal }) => api<string[]>('/api/v1/tenants', { signal }), staleTime: 60_000 });
}
