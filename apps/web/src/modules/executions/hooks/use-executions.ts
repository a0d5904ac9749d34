'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, query, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import { isTerminal, type ExecutionPage } from '@/modules/api/types';

export interface ExecutionFilters {
  namespace?: string;
  flowId?: string;
  state?: string[];
  /** ISO bounds of the start date. */
  startDate?: string;
  endDate?: string;
  labels?: string[];
}

export function useExecutionList(tenant: string, filters: ExecutionFilters, cursor: string | undefined, size = 50) {
  const params = { ...filters, cursor, size };
  return useQuery({
    queryKey: keys.executions.list(tenant, params),
    queryFn: ({ signal }) => api<ExecutionPage>(`${tenantPath(tenant, 'executions', 'list')}${query({
      namespace: filters.namespace, flowId: filters.flowId, state: filters.state?.join(','), startDate: filters.startDate, endDate: filters.endDate, labels: filters.labels, cursor, size,
    })}`, { signal }),
    placeholderData: keepPreviousData,
    // Live states: refresh while something on the page can still change, and the first page
    // always (new executions appear at the top).
    refetchInterval: (q) => {
      const data = q.state.data;
      if (!data) return false;
      return !cursor || data.results.some((e) => !isTerminal(e.state.current)) ? 2_000 : false;
    },
  });
}
