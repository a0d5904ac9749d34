'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KillSwitch, KillSwitchMode, KillSwitchPreview, KillSwitchScope } from '@baton/contract';
import { api, query, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

/** Every switch of the tenant the caller may read, newest first. */
export function useKillSwitches(tenant: string) {
  return useQuery({
    queryKey: keys.killSwitches.list(tenant),
    queryFn: ({ signal }) => api<{ results: KillSwitch[] }>(tenantPath(tenant, 'kill-switches'), { signal }).then((r) => r.results),
    refetchInterval: 10_000,
  });
}

/** Switches in force over a namespace (and a flow of it): the banner's. */
export function useKillSwitchesCovering(tenant: string, namespace: string | undefined, flowId?: string) {
  return useQuery({
    queryKey: keys.killSwitches.covering(tenant, namespace ?? '', flowId),
    queryFn: ({ signal }) => api<{ results: KillSwitch[] }>(tenantPath(tenant, 'kill-switches') + query({ inForce: true, namespace, flowId }), { signal }).then((r) => r.results),
    enabled: Boolean(namespace),
    refetchInterval: 10_000,
  });
}

/** The blast radius of a switch on `scope` (undefined: not asked yet). */
export function useKillSwitchPreview(tenant: string, scope: KillSwitchScope | undefined) {
  return useQuery({
    queryKey: keys.killSwitches.preview(tenant, scope ?? {}),
    queryFn: ({ signal }) =>
      api<KillSwitchPreview>(tenantPath(tenant, 'kill-switches', 'preview') + query(scope?.namespace || scope?.executionId ? { ...scope } : { tenant: true }), { signal }),
    enabled: scope !== undefined,
    refetchInterval: 5_000,
  });
}

export function useSetKillSwitch(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { scope: KillSwitchScope; mode: KillSwitchMode; reason: string; endDate?: string }) =>
      api<KillSwitch>(tenantPath(tenant, 'kill-switches'), { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.killSwitches.all(tenant) }),
  });
}

export function useLiftKillSwitch(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<KillSwitch>(tenantPath(tenant, 'kill-switches', id), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.killSwitches.all(tenant) }),
  });
}
