'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNamespaces } from '@/modules/namespaces/hooks/use-namespaces';
import { Icon } from '../icons';
import { useApp } from './app-context';
import s from './app-shell.module.css';

/** The namespace the user works in: lists filter by it (and below it). */
export function NamespacePicker() {
  const { tenant, namespace, setNamespace } = useApp();
  const { data } = useNamespaces(tenant);
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  // Parents of declared namespaces are choices too (infra for infra.delivery).
  const options = useMemo(() => {
    const all = new Set<string>();
    for (const n of data ?? []) {
      const parts = n.namespace.split('.');
      for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('.'));
    }
    return [...all].sort().filter((n) => n.includes(q.trim().toLowerCase()));
  }, [data, q]);
  const choose = (ns: string) => {
    setNamespace(ns);
    setOpen(false);
    setQ('');
  };
  return (
    <div className={s.picker} ref={box}>
      <button
        type="button"
        className={s.pickerButton}
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title="Namespace: lists show this namespace and the ones below it"
      >
        <Icon name="namespaces" size={14} />
        <span className={s.pickerValue}>{namespace || 'All namespaces'}</span>
        <Icon name="chevronDown" size={12} />
      </button>
      {open ? (
        <div
          className={s.popover}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <input
            ref={search}
            className={s.popoverSearch}
            placeholder="Filter namespaces…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            aria-label="Filter namespaces"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && options[0]) choose(options[0]);
            }}
          />
          <ul role="listbox" className={s.popoverList} aria-label="Namespaces">
            <li
              role="option"
              aria-selected={!namespace}
              tabIndex={0}
              className={s.popoverItem}
              onClick={() => choose('')}
              onKeyDown={(e) => {
                if (e.key === 'Enter') choose('');
              }}
            >
              All namespaces
            </li>
            {options.map((ns) => (
              <li
                key={ns}
                role="option"
                aria-selected={ns === namespace}
                tabIndex={0}
                className={s.popoverItem}
                style={{ paddingLeft: 10 + (ns.split('.').length - 1) * 12 }}
                onClick={() => choose(ns)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') choose(ns);
                }}
              >
                {ns.split('.').pop()}
                <span className={s.popoverPath}>{ns}</span>
              </li>
            ))}
            {!options.length && q ? <li className={s.popoverEmpty}>No namespace matches “{q}”.</li> : null}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
