'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

/** A secret as the API lists it: name and metadata, never the value (write-only). */
export interface SecretMetadata {
  key: string;
  /** Where it is defined: this namespace, a parent, or '' (tenant-wide). */
  namespace: string;
  inherited: boolean;
  description: string | null;
  updated: string;
  /** Who last stored the value. */
  updatedBy: string | null;
}

export function useSecrets(tenant: string, namespace: string) {
  return useQuery({
    queryKey: keys.secrets(tenant, namespace),
    queryFn: ({ signal }) => api<{ results: SecretMetadata[] }>(tenantPath(tenant, 'namespaces', namespace, 'secrets'), { signal }).then((r) => r.results),
  });
}

export function usePutSecret(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { key: string; value: string; description?: string }) =>
      api<{ stored: boolean }>(tenantPath(tenant, 'namespaces', namespace, 'secrets'), { method: 'PUT', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.secrets(tenant, namespace) }),
  });
}

export function useDeleteSecret(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api<void>(tenantPath(tenant, 'namespaces', namespace, 'secrets', key), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.secrets(tenant, namespace) }),
  });
}
