'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

// What every page of a tenant shares: the tenant (from the URL), the namespace the user is
// working in (a filter for lists, remembered per tenant) and server settings the browser needs.

export interface ServerConfig {
  temporalUiUrl?: string;
  temporalNamespace: string;
}

interface AppContextValue extends ServerConfig {
  tenant: string;
  namespace: string;
  setNamespace: (ns: string) => void;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ tenant, config, children }: { tenant: string; config: ServerConfig; children: ReactNode }) {
  const storageKey = `baton.namespace.${tenant}`;
  const [namespace, setNs] = useState('');
  useEffect(() => {
    try {
      setNs(localStorage.getItem(storageKey) ?? '');
    } catch {
      setNs('');
    }
  }, [storageKey]);
  const setNamespace = useCallback(
    (ns: string) => {
      setNs(ns);
      try {
        if (ns) localStorage.setItem(storageKey, ns);
        else localStorage.removeItem(storageKey);
      } catch {
        // not persisted; fine
      }
    },
    [storageKey],
  );
  const value = useMemo(() => ({ tenant, namespace, setNamespace, ...config }), [tenant, namespace, setNamespace, config]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp() {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp() outside <AppProvider>');
  return value;
}

/** Links inside the current tenant: href('flows') → /main/flows. */
export function useHref() {
  const { tenant } = useApp();
  return useCallback((...segments: string[]) => `/${encodeURIComponent(tenant)}/${segments.map((s) => s.split('/').map(encodeURIComponent).join('/')).join('/')}`, [tenant]);
}
