import { Suspense } from 'react';
import { AdminPage } from '@/modules/admin/components/admin-page';

export const metadata = { title: 'Administration' };

export default function Page() {
  return (
    <Suspense>
      <AdminPage />
    </Suspense>
  );
}
