'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useTenants } from '@/modules/namespaces/hooks/use-namespaces';
import { signOut, useMe } from '@/modules/auth/hooks/use-me';
import auth from '@/modules/auth/auth.module.css';
import { KillSwitchBanner } from '@/modules/kill-switches/components/kill-switch-banner';
import { Icon, type IconName } from '../icons';
import { ShortcutsDialog } from '../shortcuts/shortcuts-dialog';
import { useShortcut } from '../shortcuts/shortcuts';
import { IconButton } from '../ui';
import { useApp, useHref } from './app-context';
import { NamespacePicker } from './namespace-picker';
import { useTheme } from './theme';
import s from './app-shell.module.css';

// Sections of the product; there are no placeholder pages: a section is listed once it exists.
const NAV: { id: string; label: string; icon: IconName; keys: string }[] = [
  { id: 'flows', label: 'Flows', icon: 'flows', keys: 'g f' },
  { id: 'executions', label: 'Executions', icon: 'executions', keys: 'g e' },
  { id: 'approvals', label: 'Approvals', icon: 'check', keys: 'g v' },
  { id: 'triggers', label: 'Triggers', icon: 'clock', keys: 'g t' },
  { id: 'plugins', label: 'Plugins', icon: 'plugins', keys: 'g p' },
  { id: 'namespaces', label: 'Namespaces', icon: 'namespaces', keys: 'g n' },
  { id: 'apps', label: 'Apps', icon: 'layers', keys: 'g o' },
  { id: 'blueprints', label: 'Blueprints', icon: 'book', keys: 'g b' },
  { id: 'kill-switches', label: 'Kill switches', icon: 'stop', keys: 'g k' },
  { id: 'admin', label: 'Administration', icon: 'eye', keys: 'g a' },
];

function TenantSwitcher() {
  const { tenant } = useApp();
  const { data } = useTenants();
  const router = useRouter();
  const pathname = usePathname();
  const tenants = data ?? [tenant];
  return (
    <select
      className={s.tenant}
      aria-label="Tenant"
      title="Tenant"
      value={tenant}
      onChange={(e) => {
        // Same section in the other tenant; ids do not carry over between tenants.
        const section = pathname.split('/')[2] ?? 'flows';
        router.push(`/${encodeURIComponent(e.target.value)}/${section}`);
      }}
    >
      {[...new Set([...tenants, tenant])].map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}

/** Who is signed in, and signing out; without sign-in (BATON_AUTH=none) it says so. */
function WhoAmI() {
  const { tenant } = useApp();
  const { data: me } = useMe(tenant);
  if (!me || me.kind === 'local') return null;
  return (
    <div className={auth.who} data-testid="who-am-i">
      <span className={auth.whoName}>{me.name ?? me.email}</span>
      {me.name ? <span className={auth.whoMail}>{me.email}</span> : null}
      <button type="button" className={auth.signOut} onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}

function NoSignInBanner() {
  const { tenant } = useApp();
  const { data: me } = useMe(tenant);
  if (me?.authMode !== 'none') return null;
  return (
    <div className={auth.banner} role="status">
      No sign-in (BATON_AUTH=none): anyone who can reach this machine’s 127.0.0.1 is the administrator.
    </div>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const href = useHref();
  const router = useRouter();
  const { theme, toggle } = useTheme();
  const [help, setHelp] = useState(false);
  const section = pathname.split('/')[2];

  for (const item of NAV) {
    // eslint-disable-next-line react-hooks/rules-of-hooks -- NAV is a constant list
    useShortcut(item.keys, () => router.push(href(item.id)), { description: `Go to ${item.label}`, group: 'Everywhere' });
  }
  useShortcut('?', () => setHelp(true), { description: 'Show keyboard shortcuts', group: 'Everywhere' });
  useShortcut('shift+t', toggle, { description: 'Switch light / dark theme', group: 'Everywhere' });
  useShortcut('/', () => document.querySelector<HTMLInputElement>('[data-page-search]')?.focus(), { description: 'Search this page', group: 'Everywhere' });

  return (
    <div className={s.shell}>
      <a href="#main" className={s.skip}>
        Skip to content
      </a>
      <aside className={s.sidebar} aria-label="Main navigation">
        <div className={s.brand}>
          <Link href={href('flows')} className={s.logo} aria-label="Baton home">
            <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden>
              <rect width="32" height="32" rx="7" fill="var(--accent)" />
              <path d="M9 23 23 9" stroke="var(--accent-fg)" strokeWidth="3.2" strokeLinecap="round" />
              <circle cx="23" cy="9" r="3.2" fill="var(--accent-fg)" />
            </svg>
            <span>Baton</span>
          </Link>
          <TenantSwitcher />
        </div>
        <NamespacePicker />
        <nav className={s.nav}>
          {NAV.map((item) => (
            <Link key={item.id} href={href(item.id)} className={s.navItem} aria-current={section === item.id ? 'page' : undefined}>
              <Icon name={item.icon} size={16} />
              <span>{item.label}</span>
            </Link>
          ))}
        </nav>
        <div className={s.sidebarFooter}>
          <IconButton icon={theme === 'dark' ? 'sun' : 'moon'} label={theme === 'dark' ? 'Light theme (⇧T)' : 'Dark theme (⇧T)'} onClick={toggle} size="sm" />
          <IconButton icon="keyboard" label="Keyboard shortcuts (?)" onClick={() => setHelp(true)} size="sm" />
          <a className={s.footerLink} href="/api/v1" target="_blank" rel="noreferrer" title="The REST API's route list">
            API
          </a>
        </div>
        <WhoAmI />
      </aside>
      <main id="main" className={s.main}>
        <NoSignInBanner />
        <KillSwitchBanner />
        {children}
      </main>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
