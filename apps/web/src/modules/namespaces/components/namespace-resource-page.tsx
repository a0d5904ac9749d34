'use client';
import type { ReactNode } from 'react';
import { useHref } from '@/components/app-shell/app-context';
import { PageBody, PageHeader } from '@/components/page';
import { Button, ErrorState, LoadingState, ui, useToast } from '@/components/ui';

/** What the page needs of a react-query listing. */
interface Listing<Item> {
  data?: Item[];
  error: Error | null;
  isLoading: boolean;
  refetch: () => unknown;
}

/**
 * The frame the namespace pages (KV store, secrets, credentials, files) share: the header with its
 * crumbs and "add" button, then the listing's error, loading and empty states, then a table. Each
 * page keeps what is its own: its columns, its rows and its dialog.
 */
export function NamespaceResourcePage<Item>({
  namespace,
  title,
  subtitle,
  addLabel,
  onAdd,
  listing,
  loadErrorTitle,
  empty,
  isEmpty = (items) => items.length === 0,
  tableTestId,
  columns,
  children,
  dialog,
}: {
  namespace: string;
  /** The kind of thing listed, e.g. "Secrets": the title reads "Secrets · <namespace>". */
  title: string;
  /** A fixed text, or one from the listed items (shown once they are loaded). */
  subtitle?: string | ((items: Item[]) => string);
  addLabel: string;
  onAdd: () => void;
  listing: Listing<Item>;
  loadErrorTitle: string;
  /** Shown instead of the table when there is nothing to list. */
  empty: ReactNode;
  isEmpty?: (items: Item[]) => boolean;
  tableTestId: string;
  columns: string[];
  /** The table's rows, from the listed items. */
  children: (items: Item[]) => ReactNode;
  /** The page's open dialog, if any. */
  dialog?: ReactNode;
}) {
  const href = useHref();
  const items = listing.data;
  return (
    <>
      <PageHeader
        title={`${title} · ${namespace}`}
        crumbs={[{ label: 'Namespaces', href: href('namespaces') }, { label: namespace }]}
        subtitle={typeof subtitle === 'function' ? (items ? subtitle(items) : undefined) : subtitle}
        actions={
          <Button variant="primary" icon="plus" onClick={onAdd}>
            {addLabel}
          </Button>
        }
      />
      <PageBody>
        {listing.error ? (
          <ErrorState error={listing.error} onRetry={() => listing.refetch()} title={loadErrorTitle} />
        ) : listing.isLoading || !items ? (
          <LoadingState />
        ) : isEmpty(items) ? (
          empty
        ) : (
          <table className={ui.table} data-testid={tableTestId}>
            <thead>
              <tr>
                {columns.map((column, i) => (
                  <th key={i}>{column}</th>
                ))}
              </tr>
            </thead>
            <tbody>{children(items)}</tbody>
          </table>
        )}
      </PageBody>
      {dialog}
    </>
  );
}

/** "N pairs", "1 secret": a count with its noun. */
export const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * A delete that asks first and says how it went: the confirm-then-toast every namespace page had
 * written out. The question should say what breaks (e.g. "Flows calling secret('X') will fail.").
 */
export function useConfirmedDelete<Key>(remove: { mutate: (key: Key, options: { onSuccess: () => void; onError: (e: Error) => void }) => void }) {
  const toast = useToast();
  return (key: Key, label: string, question: string) => {
    if (!window.confirm(question)) return;
    remove.mutate(key, { onSuccess: () => toast.success(`Deleted ${label}`), onError: (e) => toast.error('Could not delete', e.message) });
  };
}
