'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ThemeProvider } from '@/components/app-shell/theme';
import { ShortcutProvider } from '@/components/shortcuts/shortcuts';
import { ToastProvider } from '@/components/ui';
import { ApiError } from '@/modules/api/client';

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            // A 4xx is an answer (not found, invalid), not a hiccup: retrying it only delays the message.
            retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <ThemeProvider>
        <ToastProvider>
          <ShortcutProvider>{children}</ShortcutProvider>
        </ToastProvider>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
