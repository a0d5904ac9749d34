'use client';
import { usePathname } from 'next/navigation';
import { useApp } from '@/components/app-shell/app-context';
import { useKillSwitchesCovering } from '../hooks/use-kill-switches';
import s from './kill-switches.module.css';

/** The namespace (and flow) a page is about, read from its path: /t/flows/ns/id, /t/namespaces/ns/... */
function pageScope(pathname: string): { namespace?: string; flowId?: string } {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[1] === 'flows' && parts.length >= 4 && parts[2] !== 'new') return { namespace: parts[2], flowId: parts[3] };
  if (parts[1] === 'namespaces' && parts.length >= 3 && parts[2] !== '_') return { namespace: parts[2] };
  return {};
}

/** Over a flow's or a namespace's pages: the kill switches in force there, with their reason and who set them. */
export function KillSwitchBanner() {
  const { tenant } = useApp();
  const { namespace, flowId } = pageScope(usePathname());
  const { data } = useKillSwitchesCovering(tenant, namespace, flowId);
  if (!namespace || !data?.length) return null;
  return (
    <div className={s.banner} role="alert" data-testid="kill-switch-banner">
      {data.map((ks) => (
        <div key={ks.id}>
          <strong>Kill switch {ks.mode}</strong> on {ks.scopeText}: new executions are refused
          {ks.mode === 'KILL' ? ', running ones were killed' : ks.mode === 'CANCEL' ? ', running ones end after their current task' : ''}. Reason: {ks.reason}{' '}
          <span className={s.muted}>
            (set by {ks.createdBy}
            {ks.endDate ? `, until ${new Date(ks.endDate).toLocaleString()}` : ', until lifted'})
          </span>
        </div>
      ))}
    </div>
  );
}
