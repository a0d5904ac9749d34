'use client';
import type { CSSProperties, ReactNode } from 'react';
import { Icon, Spinner, type IconName } from '../icons';
import s from './ui.module.css';

/** Nothing to show yet: say why and what to do next. */
export function EmptyState({ icon = 'info', title, children, actions, compact }: { icon?: IconName; title: string; children?: ReactNode; actions?: ReactNode; compact?: boolean }) {
  return (
    <div className={[s.state, compact && s.compact].filter(Boolean).join(' ')}>
      <div className={s.stateIcon}>
        <Icon name={icon} size={18} />
      </div>
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {actions ? <div className={s.actions}>{actions}</div> : null}
    </div>
  );
}

/** Something failed: the server's message (it says how to fix) and a way to try again. */
export function ErrorState({
  title = 'Something went wrong',
  error,
  onRetry,
  actions,
  compact,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  actions?: ReactNode;
  compact?: boolean;
}) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className={[s.state, s.errorState, compact && s.compact].filter(Boolean).join(' ')} role="alert">
      <div className={s.stateIcon}>
        <Icon name="alert" size={18} />
      </div>
      <h3>{title}</h3>
      <pre>{message}</pre>
      <div className={s.actions}>
        {onRetry ? (
          <button type="button" className={s.button} onClick={onRetry}>
            <Icon name="refresh" size={14} />
            Try again
          </button>
        ) : null}
        {actions}
      </div>
    </div>
  );
}

export function LoadingState({ label = 'Loading…', compact }: { label?: string; compact?: boolean }) {
  return (
    <div className={[s.state, compact && s.compact].filter(Boolean).join(' ')} aria-live="polite">
      <Spinner size={18} label={label} />
      <p>{label}</p>
    </div>
  );
}

export function Skeleton({ width = '100%', height = 12, style }: { width?: number | string; height?: number; style?: CSSProperties }) {
  return <div className={s.skeleton} style={{ width, height, ...style }} aria-hidden />;
}
