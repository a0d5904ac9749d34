import type { ReactNode } from 'react';
import { AppProvider, type ServerConfig } from '@/components/app-shell/app-context';
import { AppShell } from '@/components/app-shell/app-shell';
import { webEnv } from '@/server/env';

export const dynamic = 'force-dynamic';

function serverConfig(): ServerConfig {
  try {
    const env = webEnv();
    return { temporalUiUrl: env.temporalUiUrl, temporalNamespace: env.temporalNamespace };
  } catch {
    return { temporalNamespace: 'default' };
  }
}

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  return (
    <AppProvider tenant={decodeURIComponent(tenant)} config={serverConfig()}>
      <AppShell>{children}</AppShell>
    </AppProvider>
  );
}
