'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, tenantPath } from '@/modules/api/client';
import type { DecisionResult, ExecutionApproval, PendingApproval } from '../lib/types';

const inboxKey = (tenant: string) => ['approvals', tenant, 'inbox'];
const executionKey = (tenant: string, id: string) => ['approvals', tenant, 'execution', id];

/** What waits for the signed-in person (refreshed every few seconds). */
export function useInbox(tenant: string) {
  return useQuery({
    queryKey: inboxKey(tenant),
    queryFn: ({ signal }) => api<{ results: PendingApproval[]; total: number }>(tenantPath(tenant, 'approvals'), { signal }),
    refetchInterval: 5_000,
  });
}

/** The approval a paused execution waits for (404 → null: it waits for none). */
export function useExecutionApproval(tenant: string, id: string, enabled: boolean) {
  return useQuery({
    queryKey: executionKey(tenant, id),
    enabled,
    queryFn: async ({ signal }) => {
      try {
        return await api<ExecutionApproval>(tenantPath(tenant, 'executions', id, 'approval'), { signal });
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    },
  });
}

/** Approve (the resume route) or reject, with a comment. */
export function useDecide(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; decision: 'APPROVE' | 'REJECT'; comment: string }) =>
      v.decision === 'APPROVE'
        ? api<DecisionResult>(`${tenantPath(tenant, 'executions', v.id, 'resume')}${query({ comment: v.comment })}`, { method: 'POST', body: {} })
        : api<DecisionResult>(tenantPath(tenant, 'executions', v.id, 'reject'), { method: 'POST', body: { comment: v.comment } }),
    onSuccess: (_, v) => {
      void client.invalidateQueries({ queryKey: inboxKey(tenant) });
      void client.invalidateQueries({ queryKey: executionKey(tenant, v.id) });
    },
  });
}
