'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { executionFilterParams, type ExecutionFilterText } from '@baton/contract';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';
import { isTerminal, type ExecutionPage } from '@/modules/api/types';

export function useExecutionList(tenant: string, filters: ExecutionFilterText, cursor: string | undefined, size = 50) {
  const params = { ...filters, cursor, size };
  return useQuery({
    queryKey: keys.executions.list(tenant, params),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams(executionFilterParams(filters));
      params.set('size', String(size));
      if (cursor) params.set('cursor', cursor);
      return api<ExecutionPage>(`${tenantPath(tenant, 'executions', 'list')}?${params}`, { signal });
    },
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
