import { Suspense } from 'react';
import { ExecutionsPage } from '@/modules/executions/components/executions-page';

export const metadata = { title: 'Executions' };

export default function Page() {
  return (
    <Suspense>
      <ExecutionsPage />
    </Suspense>
  );
}
