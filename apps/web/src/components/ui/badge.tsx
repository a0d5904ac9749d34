import type { CSSProperties, ReactNode } from 'react';
import s from './ui.module.css';

export function Badge({ children, mono, title, style }: { children: ReactNode; mono?: boolean; title?: string; style?: CSSProperties }) {
  return (
    <span className={[s.badge, mono && s.mono].filter(Boolean).join(' ')} title={title} style={style}>
      {children}
    </span>
  );
}
