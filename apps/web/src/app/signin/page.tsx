import { Suspense } from 'react';
import { SignInForm } from '@/modules/auth/components/sign-in-form';

export const metadata = { title: 'Sign in' };

export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}
