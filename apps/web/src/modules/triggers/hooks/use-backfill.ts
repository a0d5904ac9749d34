'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

export interface TriggerRef {
  namespace: string;
  flowId: string;
  triggerId: string;
}

/** GET …/backfill/preview: how many fire times a range covers (capped at `max`). */
export interface BackfillPreview {
  count: number;
  capped: boolean;
  max: number;
  first: string[];
  last: string | null;
}

export interface BackfillResult {
  backfillId: string;
  dates: number;
  started: string[];
  skipped: { date: string; reason: string }[];
}

const ENDED = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'];
const FAILED = ['FAILED', 'KILLED', 'CANCELLED'];

/** The preview of a range, refreshed as the dates change; nothing is asked for an incomplete range. */
export function useBackfillPreview(tenant: string, ref: TriggerRef, range: { start?: string; end?: string }) {
  return useQuery({
    queryKey: [...keys.triggers(tenant), 'backfill-preview', ref, range],
    enabled: !!range.start && !!range.end,
    queryFn: ({ signal }) =>
      api<BackfillPreview>(tenantPath(tenant, 'triggers', ref.namespace, ref.flowId, ref.triggerId, 'backfill', 'preview') + query({ start: range.start, end: range.end }), {
        signal,
      }),
    retry: false,
  });
}

export function useStartBackfill(tenant: string, ref: TriggerRef) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { start: string; end: string; inputs?: Record<string, unknown>; labels?: Record<string, string> }) =>
      api<BackfillResult>(tenantPath(tenant, 'triggers', ref.namespace, ref.flowId, ref.triggerId, 'backfill'), { method: 'POST', body }),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: keys.triggers(tenant) }), client.invalidateQueries({ queryKey: keys.executions.all(tenant) })]),
  });
}

/**
 * A running backfill's progress: how many of its executions have ended, and how many of those
 * failed, counted by an execution search on its `system.backfillId` label. Polled until all ended.
 */
export function useBackfillProgress(tenant: string, ref: TriggerRef, backfill: BackfillResult | undefined) {
  const count = async (states: string[], signal: AbortSignal) =>
    (
      await api<{ total: number }>(
        tenantPath(tenant, 'executions', 'search') +
          query({ namespace: ref.namespace, flowId: ref.flowId, labels: `system.backfillId:${backfill!.backfillId}`, state: states, size: 1 }),
        { signal },
      )
    ).total;
  return useQuery({
    queryKey: [...keys.executions.all(tenant), 'backfill', backfill?.backfillId],
    enabled: !!backfill && backfill.started.length > 0,
    queryFn: async ({ signal }) => {
      const [ended, failed] = await Promise.all([count(ENDED, signal), count(FAILED, signal)]);
      return { ended, failed, total: backfill!.started.length };
    },
    refetchInterval: (q) => (q.state.data && q.state.data.ended >= q.state.data.total ? false : 1_500),
  });
}
