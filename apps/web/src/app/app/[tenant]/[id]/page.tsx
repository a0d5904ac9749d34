import { Suspense } from 'react';
import { AppPage } from '@/modules/apps/components/app-page';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'App' };

// Outside the tenant layout on purpose: a PUBLIC app opens without signing in (docs/apps.md).
export default async function Page({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  return (
    <Suspense>
      <AppPage tenant={decodeURIComponent(tenant)} id={decodeURIComponent(id)} />
    </Suspense>
  );
}
