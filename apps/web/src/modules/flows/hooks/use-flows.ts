'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import type { Flow, FlowError, FlowRevision, LastExecution } from '@/modules/api/types';

export function useFlowSearch(tenant: string, params: { namespace?: string; q?: string; page?: number; size?: number }) {
  return useQuery({
    queryKey: keys.flows.search(tenant, params),
    queryFn: ({ signal }) => api<{ results: Flow[]; total: number; page: number; size: number }>(`${tenantPath(tenant, 'flows', 'search')}${query(params)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useLastExecutions(tenant: string, flows: { namespace: string; id: string }[]) {
  const refs = flows.map((f) => `${f.namespace}/${f.id}`);
  return useQuery({
    queryKey: keys.flows.lastExecutions(tenant, refs),
    queryFn: ({ signal }) => api<LastExecution[]>(`${tenantPath(tenant, 'flows', 'last-executions')}${query({ flow: refs })}`, { signal }),
    enabled: refs.length > 0,
    // Running executions change state: keep the list honest without a manual refresh.
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
}

export function useFlow(tenant: string, namespace: string, id: string, enabled = true) {
  return useQuery({
    queryKey: keys.flows.detail(tenant, namespace, id),
    queryFn: ({ signal }) => api<Flow>(tenantPath(tenant, 'flows', namespace, id), { signal }),
    enabled,
    staleTime: 0,
  });
}

export function useRevisions(tenant: string, namespace: string, id: string, enabled = true) {
  return useQuery({
    queryKey: keys.flows.revisions(tenant, namespace, id),
    queryFn: ({ signal }) => api<FlowRevision[]>(tenantPath(tenant, 'flows', namespace, id, 'revisions'), { signal }),
    enabled,
  });
}

export function useRevision(tenant: string, namespace: string, id: string, revision: number | undefined) {
  return useQuery({
    queryKey: keys.flows.revision(tenant, namespace, id, revision ?? 0),
    queryFn: ({ signal }) => api<FlowRevision>(tenantPath(tenant, 'flows', namespace, id, 'revisions', revision!), { signal }),
    enabled: revision !== undefined,
    staleTime: Infinity, // a revision never changes
  });
}

export interface SaveResult extends Flow {
  changed: boolean;
}

export function useSaveFlow(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (source: string) => api<SaveResult>(tenantPath(tenant, 'flows'), { method: 'POST', raw: { body: source, contentType: 'application/x-yaml' } }),
    onSuccess: (flow) => {
      client.setQueryData(keys.flows.detail(tenant, flow.namespace, flow.id), flow);
      void client.invalidateQueries({ queryKey: keys.flows.revisions(tenant, flow.namespace, flow.id) });
      void client.invalidateQueries({ queryKey: [...keys.flows.all(tenant), 'search'] });
      void client.invalidateQueries({ queryKey: keys.namespaces(tenant) });
    },
  });
}

export function useDeleteFlow(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (f: { namespace: string; id: string }) => api<void>(tenantPath(tenant, 'flows', f.namespace, f.id), { method: 'DELETE' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.flows.all(tenant) });
      void client.invalidateQueries({ queryKey: keys.namespaces(tenant) });
    },
  });
}

/** Server-side validation: the authority (it knows instance plugin defaults and references). */
/** The properties of a task that plugin defaults supply, and where the task's type is written. */
export interface SuppliedDefaults {
  taskId: string;
  line: number;
  column: number;
  properties: { name: string; source: string; forced: boolean }[];
}

export async function validateOnServer(tenant: string, source: string, signal?: AbortSignal) {
  return api<{ valid: boolean; errors: FlowError[]; suppliedDefaults?: SuppliedDefaults[] }>(tenantPath(tenant, 'flows', 'validate'), {
    method: 'POST',
    raw: { body: source, contentType: 'application/x-yaml' },
    signal,
  });
}
