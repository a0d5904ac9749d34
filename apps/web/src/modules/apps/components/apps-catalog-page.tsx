'use client';
import Link from 'next/link';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { PageBody, PageHeader } from '@/components/page';
import { Badge, Button, EmptyState, ErrorState, LoadingState, ui, useToast } from '@/components/ui';
import { useCatalog, useDeleteApp, useManagedApps } from '../hooks/use-apps';
import s from './apps.module.css';

/** Where an app opens for the people it serves (outside the shell, so PUBLIC ones need no sign-in). */
export const appUrl = (tenant: string, id: string) => `/app/${encodeURIComponent(tenant)}/${encodeURIComponent(id)}`;

/**
 * The catalog: every app the signed-in person may use, opened at its own URL; below it, for
 * editors, the apps they manage with their access and who changed them last.
 */
export function AppsCatalogPage() {
  const { tenant } = useApp();
  const href = useHref();
  const toast = useToast();
  const catalog = useCatalog(tenant);
  const managed = useManagedApps(tenant);
  const remove = useDeleteApp(tenant);
  const canEdit = Boolean(managed.data?.results.length);

  const onDelete = (id: string) => {
    if (!window.confirm(`Delete the app '${id}'? Its link stops working; executions it started stay.`)) return;
    remove.mutate(id, { onSuccess: () => toast.success(`Deleted ${id}`), onError: (e) => toast.error('Could not delete', e.message) });
  };

  return (
    <>
      <PageHeader
        title="Apps"
        subtitle="Forms that start a flow for you, and show how it goes"
        actions={
          <Link href={href('apps', 'new')}>
            <Button variant="primary" icon="plus">
              New app
            </Button>
          </Link>
        }
      />
      <PageBody>
        {catalog.error ? (
          <ErrorState error={catalog.error} onRetry={() => catalog.refetch()} title="Could not load the catalog" />
        ) : catalog.isLoading ? (
          <LoadingState />
        ) : !catalog.data?.results.length ? (
          <EmptyState icon="layers" title="No apps for you yet">
            An editor writes an app in Kestra&apos;s App YAML: a form for a flow&apos;s inputs and what to show while it runs.
          </EmptyState>
        ) : (
          <div className={s.grid} data-testid="apps-catalog">
            {catalog.data.results.map((app) => (
              <a key={app.id} href={appUrl(tenant, app.id)} className={s.card} data-testid={`app-card-${app.id}`}>
                <span className={s.cardTitle}>{app.displayName}</span>
                {app.description ? <span className={s.muted}>{app.description}</span> : null}
                <span className={s.tags}>
                  {app.access.type === 'PUBLIC' ? <Badge>Public</Badge> : null}
                  {app.tags.map((t) => (
                    <Badge key={t}>{t}</Badge>
                  ))}
                </span>
              </a>
            ))}
          </div>
        )}
        {canEdit ? (
          <section className={s.section}>
            <h2>Apps you manage</h2>
            <table className={ui.table} data-testid="apps-managed">
              <thead>
                <tr>
                  <th>App</th>
                  <th>Flow</th>
                  <th>Access</th>
                  <th>Updated</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {managed.data!.results.map((app) => (
                  <tr key={app.id}>
                    <td>
                      <a href={appUrl(tenant, app.id)}>{app.displayName}</a>
                      <div className={`${s.muted} mono`}>{app.id}</div>
                    </td>
                    <td className="mono">
                      {app.namespace}.{app.flowId}
                    </td>
                    <td>
                      {app.access.type}
                      {app.access.groups.length ? ` · ${app.access.groups.join(', ')}` : ''}
                      {app.disabled ? ' · disabled' : ''}
                    </td>
                    <td>
                      {relativeTime(app.updated)}
                      {app.updatedBy ? <div className={s.muted}>by {app.updatedBy}</div> : null}
                    </td>
                    <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                      <Link href={href('apps', app.id, 'edit')}>
                        <Button size="sm" icon="code">
                          Edit
                        </Button>
                      </Link>{' '}
                      <Button size="sm" variant="ghost" icon="trash" aria-label={`Delete ${app.id}`} onClick={() => onDelete(app.id)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </PageBody>
    </>
  );
}
