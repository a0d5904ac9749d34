'use client';
import { useEffect } from 'react';
import { ErrorState } from '@/components/ui';

// A page that threw while rendering: the shell stays, the error says what happened and offers a
// retry, instead of a blank screen.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.warn('[baton] page error', error);
  }, [error]);
  return <ErrorState title="This page failed to render" error={`${error.message}${error.digest ? ` (server log id ${error.digest})` : ''}`} onRetry={reset} />;
}
