'use client';
import { hasFiles, toFormData } from '@/modules/inputs/lib/file-inputs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, query, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import type { Execution } from '@/modules/api/types';

export function useStartExecution(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { namespace: string; flowId: string; inputs: Record<string, unknown>; labels?: string[] }) =>
      api<Execution>(
        `${tenantPath(tenant, 'executions', v.namespace, v.flowId)}${query({ labels: v.labels })}`,
        // FILE inputs go as multipart (Kestra's upload), everything else as JSON.
        hasFiles(v.inputs) ? { method: 'POST', form: toFormData(v.inputs) } : { method: 'POST', body: v.inputs },
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.executions.all(tenant) });
      void client.invalidateQueries({ queryKey: [...keys.flows.all(tenant), 'last-executions'] });
    },
  });
}

export function useKill(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ id: string; state: string }>(tenantPath(tenant, 'executions', id, 'kill'), { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.executions.all(tenant) }),
  });
}

export function useKillMany(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) =>
      api<{ results: { id: string; state?: string; error?: string }[]; killed: number }>(tenantPath(tenant, 'executions', 'kill', 'by-ids'), { method: 'DELETE', body: { ids } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.executions.all(tenant) }),
  });
}

export function useResume(tenant: string) {
  return useMutation({
    mutationFn: (v: { id: string; inputs: Record<string, unknown> }) =>
      api<{ resumed: string }>(tenantPath(tenant, 'executions', v.id, 'resume'), { method: 'POST', body: v.inputs }),
  });
}

export function useReplay(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; inputs?: Record<string, unknown>; revision?: 'latest' | number }) =>
      api<Execution>(tenantPath(tenant, 'executions', v.id, 'replay'), { method: 'POST', body: { inputs: v.inputs, revision: v.revision } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.executions.all(tenant) }),
  });
}

/** Restart from the failed task: the same execution runs again, keeping what succeeded. */
export function useRestart(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ id: string; state: string; kept: string[] }>(tenantPath(tenant, 'executions', id, 'restart'), { method: 'POST' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.executions.all(tenant) }),
  });
}
