'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Blueprint, BlueprintInput, BlueprintKind, BlueprintSummary } from '@baton/contract';
import { api, query, tenantPath } from '@/modules/api/client';

// Query keys of the blueprints module (one prefix, so a save or delete refreshes every list).
export const blueprintKeys = {
  all: (tenant: string) => ['blueprints', tenant] as const,
  search: (tenant: string, q: string, tags: string[]) => ['blueprints', tenant, 'search', q, tags] as const,
  tags: (tenant: string) => ['blueprints', tenant, 'tags'] as const,
  one: (tenant: string, kind: BlueprintKind, id: string) => ['blueprints', tenant, 'one', kind, id] as const,
};

export function useBlueprints(tenant: string, q: string, tags: string[]) {
  return useQuery({
    queryKey: blueprintKeys.search(tenant, q, tags),
    queryFn: ({ signal }) => api<{ results: BlueprintSummary[]; total: number }>(`${tenantPath(tenant, 'blueprints', 'search')}${query({ q, tags })}`, { signal }),
    placeholderData: (previous) => previous,
  });
}

export function useBlueprintTags(tenant: string) {
  return useQuery({
    queryKey: blueprintKeys.tags(tenant),
    queryFn: ({ signal }) => api<{ results: { name: string; count: number }[] }>(tenantPath(tenant, 'blueprints', 'tags'), { signal }),
  });
}

export function useBlueprint(tenant: string, kind: BlueprintKind | undefined, id: string | undefined) {
  return useQuery({
    queryKey: blueprintKeys.one(tenant, kind ?? 'shipped', id ?? ''),
    enabled: Boolean(kind && id),
    queryFn: ({ signal }) => api<Blueprint>(tenantPath(tenant, 'blueprints', kind!, id!), { signal }),
  });
}

/** Create (no id) or edit (id) a custom blueprint. */
export function useSaveBlueprint(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: BlueprintInput & { id?: string }) =>
      id
        ? api<Blueprint>(tenantPath(tenant, 'blueprints', 'custom', id), { method: 'PUT', body: input })
        : api<Blueprint>(tenantPath(tenant, 'blueprints', 'custom'), { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: blueprintKeys.all(tenant) }),
  });
}

export function useDeleteBlueprint(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ id: string }>(tenantPath(tenant, 'blueprints', 'custom', id), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: blueprintKeys.all(tenant) }),
  });
}
