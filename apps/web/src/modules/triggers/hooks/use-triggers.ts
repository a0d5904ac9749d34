'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

/** A trigger as GET /api/v1/{tenant}/triggers lists it (docs/triggers.md). */
export interface TriggerRow {
  namespace: string;
  flowId: string;
  triggerId: string;
  type: string;
  kind: string;
  disabled: boolean;
  disabledInFlow: boolean;
  nextDate: string | null;
  lastDate: string | null;
  lastFiredAt: string | null;
  lastExecutionId: string | null;
  lastReason: string | null;
  lastEvaluatedAt: string | null;
  description?: string;
  cron?: string;
  timezone?: string;
  /** Polling triggers: interval, last event found (lastEvaluatedAt is the last poll). */
  interval?: string;
  lastEvent?: string;
  lastEventAt?: string;
  workerGroup?: string;
}

export function useTriggers(tenant: string) {
  return useQuery({
    queryKey: keys.triggers(tenant),
    queryFn: ({ signal }) => api<{ results: TriggerRow[] }>(tenantPath(tenant, 'triggers'), { signal }).then((r) => r.results),
    // Next and last fire move on their own.
    refetchInterval: 5_000,
  });
}

export function useSetTriggerDisabled(tenant: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { namespace: string; flowId: string; triggerId: string; disabled: boolean }) =>
      api<TriggerRow>(tenantPath(tenant, 'triggers', input.namespace, input.flowId, input.triggerId), { method: 'PUT', body: { disabled: input.disabled } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.triggers(tenant) }),
  });
}
