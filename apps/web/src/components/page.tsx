import Link from 'next/link';
import type { ReactNode } from 'react';
import { Icon } from './icons';
import s from './page.module.css';

export function PageHeader({
  title,
  crumbs,
  subtitle,
  actions,
  children,
}: {
  title: ReactNode;
  crumbs?: { label: ReactNode; href?: string }[];
  subtitle?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className={s.header}>
      <div className={s.titles}>
        {crumbs?.length ? (
          <nav aria-label="Breadcrumb" className={s.crumbs}>
            {crumbs.map((c, i) => (
              <span key={i} className={s.crumb}>
                {c.href ? <Link href={c.href}>{c.label}</Link> : c.label}
                <Icon name="chevronRight" size={12} />
              </span>
            ))}
          </nav>
        ) : null}
        <div className={s.titleRow}>
          <h1>{title}</h1>
          {subtitle ? <div className={s.subtitle}>{subtitle}</div> : null}
        </div>
        {children}
      </div>
      {actions ? <div className={s.actions}>{actions}</div> : null}
    </header>
  );
}

export function PageBody({ children, padded = true, fill }: { children: ReactNode; padded?: boolean; fill?: boolean }) {
  return <div className={[s.body, padded && s.padded, fill && s.fill].filter(Boolean).join(' ')}>{children}</div>;
}
