'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import type { FlowError } from '@/modules/api/types';
import { hasFiles, toFormData } from '@/modules/inputs/lib/file-inputs';
import type { AppExecution, AppSummary, AppView } from '../lib/types';

// Query keys of the apps module (one prefix, so a save invalidates every list).
export const appKeys = {
  all: (tenant: string) => ['apps', tenant] as const,
  catalog: (tenant: string) => ['apps', tenant, 'catalog'] as const,
  managed: (tenant: string) => ['apps', tenant, 'managed'] as const,
  source: (tenant: string, id: string) => ['apps', tenant, 'source', id] as const,
  view: (tenant: string, id: string) => ['apps', tenant, 'view', id] as const,
  execution: (tenant: string, id: string, executionId: string) => ['apps', tenant, 'execution', id, executionId] as const,
};

export function useCatalog(tenant: string) {
  return useQuery({ queryKey: appKeys.catalog(tenant), queryFn: () => api<{ results: AppSummary[] }>(tenantPath(tenant, 'apps', 'catalog')) });
}

/** Apps the caller may edit; empty (not an error) for someone who edits nothing. */
export function useManagedApps(tenant: string) {
  return useQuery({
    queryKey: appKeys.managed(tenant),
    queryFn: () => api<{ results: AppSummary[] }>(tenantPath(tenant, 'apps', 'search')).catch(() => ({ results: [] as AppSummary[] })),
  });
}

export function useAppSource(tenant: string, id: string | undefined) {
  return useQuery({
    queryKey: appKeys.source(tenant, id ?? ''),
    enabled: Boolean(id),
    queryFn: () => api<AppSummary & { source: string }>(tenantPath(tenant, 'apps', id!)),
    staleTime: Infinity,
  });
}

export function useAppView(tenant: string, id: string) {
  return useQuery({ queryKey: appKeys.view(tenant, id), queryFn: () => api<AppView>(tenantPath(tenant, 'apps', id, 'view')) });
}

/** The execution as the app shows it, re-read every second until it ends (AutoRefresh can slow it). */
export function useAppExecution(tenant: string, id: string, executionId: string | undefined, refreshMs: number) {
  return useQuery({
    queryKey: appKeys.execution(tenant, id, executionId ?? ''),
    enabled: Boolean(executionId),
    queryFn: () => api<AppExecution>(tenantPath(tenant, 'apps', id, 'executions', executionId!)),
    refetchInterval: (q) => (q.state.data && ['SUCCESS', 'WARNING', 'FAILURE'].includes(q.state.data.stage) && q.state.data.state !== 'KILLING' ? false : refreshMs),
  });
}

export function useStartFromApp(tenant: string, id: string) {
  return useMutation({
    mutationFn: (inputs: Record<string, unknown>) =>
      api<{ id: string }>(tenantPath(tenant, 'apps', id, 'executions'), hasFiles(inputs) ? { method: 'POST', form: toFormData(inputs) } : { method: 'POST', body: inputs }),
  });
}

export function useSaveApp(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { source: string; id?: string }) =>
      api<AppSummary>(v.id ? tenantPath(tenant, 'apps', v.id) : tenantPath(tenant, 'apps'), {
        method: v.id ? 'PUT' : 'POST',
        raw: { body: v.source, contentType: 'application/x-yaml' },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: appKeys.all(tenant) }),
  });
}

export function useDeleteApp(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(tenantPath(tenant, 'apps', id), { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: appKeys.all(tenant) }),
  });
}

export type { FlowError };
