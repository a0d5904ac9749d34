'use client';
import dynamic from 'next/dynamic';
import { useApp } from '@/components/app-shell/app-context';
import { ErrorState, LoadingState } from '@/components/ui';
import { useAppSource } from '../hooks/use-apps';

// Monaco touches `window` when its module loads: the editor is loaded in the browser only.
const AppEditor = dynamic(() => import('./app-editor'), { ssr: false, loading: () => <LoadingState label="Loading the editor…" /> });

/** The editor for an existing app: its source first. */
export function AppEditorPage({ id }: { id?: string }) {
  const { tenant } = useApp();
  const existing = useAppSource(tenant, id);
  if (!id) return <AppEditor />;
  if (existing.error) return <ErrorState error={existing.error} title={`Could not load the app ${id}`} onRetry={() => existing.refetch()} />;
  if (!existing.data) return <LoadingState label="Loading the app…" />;
  return <AppEditor id={id} initial={existing.data.source} />;
}
