'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

/** A credential as the API lists it: settings and metadata; secret fields are never sent back. */
export interface CredentialSummary {
  name: string;
  namespace: string;
  inherited: boolean;
  type: string;
  description: string | null;
  owner: string | null;
  settings: Record<string, string>;
  secretFields: string[];
  revision: number;
  lastUsedAt: string | null;
  rotatedAt: string;
  expiresAt: string | null;
  updated: string;
}

export type CredentialTestResult = { ok: true; type: string; expiresAt?: string; info: Record<string, unknown> } | { ok: false; type: string; error: string };

export function useCredentials(tenant: string, namespace: string) {
  return useQuery({
    queryKey: keys.credentials(tenant, namespace),
    queryFn: ({ signal }) => api<{ results: CredentialSummary[] }>(tenantPath(tenant, 'namespaces', namespace, 'credentials'), { signal }).then((r) => r.results),
  });
}

export function useSaveCredential(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; type: string; description?: string; expiresAt?: string | null; values: Record<string, string> }) =>
      api<CredentialSummary>(tenantPath(tenant, 'namespaces', namespace, 'credentials', input.name), {
        method: 'PUT',
        body: {
          type: input.type,
          values: input.values,
          ...(input.description ? { description: input.description } : {}),
          ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.credentials(tenant, namespace) }),
  });
}

export function useDeleteCredential(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<void>(tenantPath(tenant, 'namespaces', namespace, 'credentials', name), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.credentials(tenant, namespace) }),
  });
}

export function useTestCredential(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<CredentialTestResult>(tenantPath(tenant, 'namespaces', namespace, 'credentials', name, 'test'), { method: 'POST' }),
    // A test records a use (last used).
    onSettled: () => client.invalidateQueries({ queryKey: keys.credentials(tenant, namespace) }),
  });
}
