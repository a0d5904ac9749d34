import { Suspense } from 'react';
import { SetupForm } from '@/modules/auth/components/setup-form';

export const metadata = { title: 'Set up' };

export default function SetupPage() {
  return (
    <Suspense>
      <SetupForm />
    </Suspense>
  );
}
