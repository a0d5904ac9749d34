'use client';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Icon } from '../icons';
import s from './ui.module.css';

interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  title: string;
  body?: ReactNode;
}

const ToastContext = createContext<(t: Omit<Toast, 'id'>) => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (t: Omit<Toast, 'id'>) => {
      const id = Date.now() + Math.random();
      setToasts((all) => [...all.slice(-3), { ...t, id }]);
      // Errors stay until dismissed: at 2 a.m. nobody should have to race a timer to read one.
      if (t.kind !== 'error') setTimeout(() => dismiss(id), 4500);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div className={s.toastStack} aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`${s.toast} ${s[t.kind] ?? ''}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <Icon name={t.kind === 'error' ? 'alert' : t.kind === 'success' ? 'check' : 'info'} size={16} />
            <div className={s.toastBody}>
              <div className={s.toastTitle}>{t.title}</div>
              {t.body ? <div className="muted">{t.body}</div> : null}
            </div>
            <button type="button" className={`${s.button} ${s.ghost} ${s.sm} ${s.iconOnly}`} aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              <Icon name="x" size={12} />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const push = useContext(ToastContext);
  return useMemo(
    () => ({
      info: (title: string, body?: ReactNode) => push({ kind: 'info', title, body }),
      success: (title: string, body?: ReactNode) => push({ kind: 'success', title, body }),
      error: (title: string, body?: ReactNode) => push({ kind: 'error', title, body }),
    }),
    [push],
  );
}
