import { Suspense } from 'react';
import { ExecutionPage } from '@/modules/executions/components/execution-page';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: `Execution ${decodeURIComponent(id).slice(0, 8)}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <ExecutionPage id={decodeURIComponent(id)} />
    </Suspense>
  );
}
