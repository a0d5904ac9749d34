'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { labelList, relativeTime } from '@/components/format';
import { PageHeader } from '@/components/page';
import { useShortcut } from '@/components/shortcuts/shortcuts';
import { StateBadge } from '@/components/state-badge';
import { Badge, Button, EmptyState, ErrorState, Skeleton, TextInput, ui } from '@/components/ui';
import { useNamespaces } from '@/modules/namespaces/hooks/use-namespaces';
import { useFlowSearch, useLastExecutions } from '../hooks/use-flows';
import { NamespaceTree } from './namespace-tree';
import { NewFlowDialog } from './new-flow-dialog';
import s from './flows.module.css';

const PAGE_SIZE = 50;

export function FlowsPage() {
  const { tenant, namespace: globalNs, setNamespace } = useApp();
  const href = useHref();
  const router = useRouter();
  const params = useSearchParams();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [page, setPage] = useState(1);
  const [label, setLabel] = useState<string | null>(null);
  const [creating, setCreating] = useState(params.get('new') === '1');

  // ?namespace= (links from the namespaces page) sets the working namespace.
  const nsParam = params.get('namespace');
  useEffect(() => {
    if (nsParam !== null) setNamespace(nsParam);
  }, [nsParam, setNamespace]);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 200);
    return () => clearTimeout(t);
  }, [q]);
  useEffect(() => setPage(1), [debounced, globalNs]);

  useShortcut('c', () => setCreating(true), { description: 'Create a flow' });

  const namespaces = useNamespaces(tenant);
  const flows = useFlowSearch(tenant, { namespace: globalNs || undefined, q: debounced || undefined, page, size: PAGE_SIZE });
  const results = useMemo(() => (flows.data?.results ?? []).filter((f) => !label || labelList(f.labels).some((l) => `${l.key}:${l.value}` === label)), [flows.data, label]);
  const last = useLastExecutions(
    tenant,
    results.map((f) => ({ namespace: f.namespace, id: f.id })),
  );
  const lastByFlow = useMemo(() => new Map((last.data ?? []).map((e) => [`${e.namespace}/${e.flowId}`, e])), [last.data]);
  const total = flows.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <PageHeader
        title="Flows"
        subtitle={flows.data ? `${total} flow${total === 1 ? '' : 's'}${globalNs ? ` in ${globalNs}` : ''}` : undefined}
        actions={
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)} shortcut="C" data-testid="new-flow">
            New flow
          </Button>
        }
      />
      <div className={s.layout}>
        <aside className={s.treePane}>
          {namespaces.isLoading ? (
            <div style={{ padding: 12, display: 'grid', gap: 8 }}>
              {[1, 2, 3].map((i) => (
                <Skeleton key={i} height={14} />
              ))}
            </div>
          ) : namespaces.error ? (
            <ErrorState compact error={namespaces.error} onRetry={() => namespaces.refetch()} />
          ) : (
            <NamespaceTree entries={(namespaces.data ?? []).filter((n) => n.flows > 0)} value={globalNs} onChange={setNamespace} />
          )}
        </aside>
        <section className={s.listPane}>
          <div className={s.toolbar}>
            <TextInput
              icon="search"
              placeholder="Search flows by id…  ( / )"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              aria-label="Search flows"
              data-page-search
              style={{ width: 320 }}
            />
            {label ? (
              <button type="button" className={s.filterChip} onClick={() => setLabel(null)} aria-label={`Remove label filter ${label}`}>
                {label} ✕
              </button>
            ) : null}
          </div>
          <div className={s.tableWrap}>
            {flows.error ? (
              <ErrorState error={flows.error} onRetry={() => flows.refetch()} title="Could not load flows" />
            ) : flows.isLoading ? (
              <TableSkeleton />
            ) : results.length === 0 ? (
              debounced || label || globalNs ? (
                <EmptyState
                  icon="search"
                  title="No flow matches"
                  actions={
                    <Button
                      onClick={() => {
                        setQ('');
                        setLabel(null);
                        setNamespace('');
                      }}
                    >
                      Clear filters
                    </Button>
                  }
                >
                  Nothing{globalNs ? ` in ${globalNs}` : ''}
                  {debounced ? ` with “${debounced}” in its id` : ''}
                  {label ? ` labelled ${label}` : ''}.
                </EmptyState>
              ) : (
                <EmptyState
                  icon="flows"
                  title="No flows yet"
                  actions={
                    <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
                      Create a flow
                    </Button>
                  }
                >
                  A flow is a YAML file that describes a change across your tools. Create one here, or deploy a folder with <code>npx baton flow deploy ./flows</code>.
                </EmptyState>
              )
            ) : (
              <table className={ui.table}>
                <thead>
                  <tr>
                    <th>Flow</th>
                    <th>Namespace</th>
                    <th>Labels</th>
                    <th>Last execution</th>
                    <th style={{ textAlign: 'right' }}>Revision</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {results.map((f) => {
                    const lastExec = lastByFlow.get(`${f.namespace}/${f.id}`);
                    const flowHref = href('flows', f.namespace, f.id);
                    return (
                      <tr key={`${f.namespace}/${f.id}`} className={s.row} onDoubleClick={() => router.push(flowHref)}>
                        <td className={s.flowCell}>
                          <Link href={flowHref} className={s.flowId}>
                            {f.id}
                          </Link>
                          {f.disabled ? <Badge>disabled</Badge> : null}
                          {f.description ? (
                            <div className={s.description} title={f.description}>
                              {f.description}
                            </div>
                          ) : null}
                        </td>
                        <td>
                          <button type="button" className={s.nsLink} onClick={() => setNamespace(f.namespace)} title={`Show only ${f.namespace}`}>
                            {f.namespace}
                          </button>
                        </td>
                        <td className={s.labels}>
                          {labelList(f.labels).map((l) => (
                            <button key={l.key} type="button" className={s.label} onClick={() => setLabel(`${l.key}:${l.value}`)} title="Filter by this label">
                              {l.key}: {l.value}
                            </button>
                          ))}
                        </td>
                        <td>
                          {lastExec ? (
                            <Link href={href('executions', lastExec.id)} className={s.lastExec} title={`Execution ${lastExec.id}`}>
                              <StateBadge state={lastExec.state} size="sm" />
                              <span className="muted">{relativeTime(lastExec.startDate)}</span>
                            </Link>
                          ) : last.isLoading ? (
                            <Skeleton width={90} />
                          ) : (
                            <span className="muted">never run</span>
                          )}
                        </td>
                        <td style={{ textAlign: 'right' }} className="mono muted">
                          {f.revision}
                        </td>
                        <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                          <Button size="sm" icon="play" onClick={() => router.push(`${flowHref}?execute=1`)} aria-label={`Execute ${f.id}`}>
                            Execute
                          </Button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </div>
          {pages > 1 ? (
            <div className={s.pager}>
              <Button size="sm" icon="chevronLeft" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </Button>
              <span className="muted">
                Page {page} of {pages}
              </span>
              <Button size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next
              </Button>
            </div>
          ) : null}
        </section>
      </div>
      <NewFlowDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function TableSkeleton() {
  return (
    <div style={{ padding: 16, display: 'grid', gap: 14 }}>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} style={{ display: 'flex', gap: 24 }}>
          <Skeleton width="22%" />
          <Skeleton width="18%" />
          <Skeleton width="14%" />
          <Skeleton width="16%" />
        </div>
      ))}
    </div>
  );
}
