'use client';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Icon, type IconName } from '../icons';
import s from './ui.module.css';

export interface TabItem<T extends string> {
  id: T;
  label: ReactNode;
  icon?: IconName;
  count?: number | string;
}

/** ARIA tabs; arrow keys move between tabs. Panels are rendered by the caller with `tabPanelProps`. */
export function Tabs<T extends string>({
  items,
  value,
  onChange,
  idPrefix,
  trailing,
}: {
  items: TabItem<T>[];
  value: T;
  onChange: (id: T) => void;
  idPrefix: string;
  trailing?: ReactNode;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (i + delta + items.length) % items.length;
    refs.current[next]?.focus();
    onChange(items[next].id);
  };
  return (
    <div className={s.tabs} role="tablist">
      {items.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="tab"
          type="button"
          id={`${idPrefix}-tab-${t.id}`}
          aria-selected={t.id === value}
          aria-controls={`${idPrefix}-panel-${t.id}`}
          tabIndex={t.id === value ? 0 : -1}
          className={s.tab}
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.icon ? <Icon name={t.icon} size={14} /> : null}
          {t.label}
          {t.count !== undefined ? <span className={s.tabCount}>{t.count}</span> : null}
        </button>
      ))}
      {trailing ? <div style={{ marginLeft: 'auto', display: 'flex', alignItems: 'center', gap: 8 }}>{trailing}</div> : null}
    </div>
  );
}

export function tabPanelProps(idPrefix: string, id: string) {
  return { role: 'tabpanel' as const, id: `${idPrefix}-panel-${id}`, 'aria-labelledby': `${idPrefix}-tab-${id}` };
}

export function Segmented<T extends string>({ options, value, onChange, label }: { options: { id: T; label: ReactNode }[]; value: T; onChange: (v: T) => void; label: string }) {
  return (
    <div className={s.segmented} role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.id} type="button" aria-pressed={o.id === value} onClick={() => onChange(o.id)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
