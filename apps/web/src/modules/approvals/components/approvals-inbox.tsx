'use client';
import { useApp } from '@/components/app-shell/app-context';
import { PageHeader } from '@/components/page';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui';
import { useInbox } from '../hooks/use-approvals';
import { ApprovalCard } from './approval-card';
import s from './approvals.module.css';

/** The Approvals inbox: what waits for the signed-in person's decision. */
export function ApprovalsInbox() {
  const { tenant } = useApp();
  const { data, error, isLoading, refetch } = useInbox(tenant);
  return (
    <>
      <PageHeader title="Approvals" subtitle={data ? `${data.total} waiting for you` : undefined} />
      {error ? (
        <ErrorState error={error} onRetry={() => refetch()} title="Could not load your approvals" />
      ) : isLoading ? (
        <LoadingState />
      ) : data && data.results.length ? (
        <div className={s.list} data-testid="approvals-inbox">
          {data.results.map((a) => (
            <ApprovalCard key={a.taskRunId} approval={a} />
          ))}
        </div>
      ) : (
        <EmptyState icon="check" title="Nothing waits for your approval">
          Approval pauses you may decide appear here (your own executions only when self-approval is allowed).
        </EmptyState>
      )}
    </>
  );
}
