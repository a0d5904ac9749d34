import { Suspense } from 'react';
import { BlueprintsPage } from '@/modules/blueprints/components/blueprints-page';

export const metadata = { title: 'Blueprints' };

export default function Page() {
  return (
    <Suspense>
      <BlueprintsPage />
    </Suspense>
  );
}
