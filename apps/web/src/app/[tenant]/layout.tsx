import type { ReactNode } from 'react';
import { AppProvider, type ServerConfig } from '@/components/app-shell/app-context';
import { AppShell } from '@/components/app-shell/app-shell';
import { cookies } from 'next/headers';
import { SignInRedirect } from '@/modules/auth/components/sign-in-redirect';
import { webEnv } from '@/server/env';
import { SESSION_COOKIE } from '@/server/auth/identify';
import { services } from '@/server/services';

export const dynamic = 'force-dynamic';

function serverConfig(): ServerConfig {
  try {
    const env = webEnv();
    return { temporalUiUrl: env.temporalUiUrl, temporalNamespace: env.temporalNamespace };
  } catch {
    return { temporalNamespace: 'default' };
  }
}

/** Pages need a signed-in person (or BATON_AUTH=none); the API checks every call on its own. */
async function signedIn(): Promise<boolean> {
  if (webEnv().authMode === 'none') return true;
  const secret = (await cookies()).get(SESSION_COOKIE)?.value;
  return Boolean(secret && (await services().identity.sessionIdentity(secret)));
}

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  if (!(await signedIn())) return <SignInRedirect />;
  return (
    <AppProvider tenant={decodeURIComponent(tenant)} config={serverConfig()}>
      <AppShell>{children}</AppShell>
    </AppProvider>
  );
}
