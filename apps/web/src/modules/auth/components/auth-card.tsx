import type { ReactNode } from 'react';
import s from '../auth.module.css';

/** The frame of the sign-in and setup pages: the product's mark, a title, the form. */
export function AuthCard({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <main className={s.page}>
      <div className={s.card}>
        <div className={s.brand}>
          <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden>
            <rect width="32" height="32" rx="7" fill="var(--accent)" />
            <path d="M9 23 23 9" stroke="var(--accent-fg)" strokeWidth="3.2" strokeLinecap="round" />
            <circle cx="23" cy="9" r="3.2" fill="var(--accent-fg)" />
          </svg>
          <span>Baton</span>
        </div>
        <h1 className={s.title}>{title}</h1>
        {lead ? <p className={s.lead}>{lead}</p> : null}
        {children}
      </div>
    </main>
  );
}
