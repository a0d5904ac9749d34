import { Suspense } from 'react';
import { FlowsPage } from '@/modules/flows/components/flows-page';

export const metadata = { title: 'Flows' };

export default function Page() {
  return (
    <Suspense>
      <FlowsPage />
    </Suspense>
  );
}
