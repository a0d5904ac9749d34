'use client';
import { useApp } from '@/components/app-shell/app-context';
import { PageHeader } from '@/components/page';
import { ExecutionsList } from './executions-list';

export function ExecutionsPage() {
  const { namespace } = useApp();
  return (
    <>
      <PageHeader
        title="Executions"
        subtitle={
          namespace ? (
            <>
              in <code>{namespace}</code> and below
            </>
          ) : (
            'all namespaces'
          )
        }
      />
      <ExecutionsList />
    </>
  );
}
