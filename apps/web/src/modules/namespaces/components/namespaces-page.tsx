'use client';
import Link from 'next/link';
import { useMemo } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { PageHeader } from '@/components/page';
import { Icon } from '@/components/icons';
import { EmptyState, ErrorState, LoadingState, ui } from '@/components/ui';
import { useNamespaces } from '../hooks/use-namespaces';
import { namespaceTree, type NamespaceNode } from '../lib/tree';
import s from './namespaces.module.css';

/** Namespaces as a tree, with their flows and executions; each links to the filtered lists. */
export function NamespacesPage() {
  const { tenant, setNamespace } = useApp();
  const href = useHref();
  const { data, error, isLoading, refetch } = useNamespaces(tenant);
  const executions = useMemo(() => new Map((data ?? []).map((n) => [n.namespace, n.executions])), [data]);
  const tree = useMemo(() => namespaceTree((data ?? []).map((n) => ({ namespace: n.namespace, flows: n.flows }))), [data]);

  const rows: { node: NamespaceNode; depth: number }[] = [];
  const walk = (nodes: NamespaceNode[], depth: number) =>
    nodes.forEach((n) => {
      rows.push({ node: n, depth });
      walk(n.children, depth + 1);
    });
  walk(tree, 0);
  const execTotal = (path: string) => [...executions.entries()].filter(([ns]) => ns === path || ns.startsWith(`${path}.`)).reduce((a, [, n]) => a + n, 0);

  return (
    <>
      <PageHeader
        title="Namespaces"
        subtitle={data ? `${data.length} with flows or executions` : undefined}
        actions={
          <Link href={href('namespaces', '_', 'plugin-defaults')} className={ui.button}>
            <Icon name="layers" size={15} />
            Tenant-wide defaults
          </Link>
        }
      />
      <div className={s.body}>
        {error ? (
          <ErrorState error={error} onRetry={() => refetch()} title="Could not load namespaces" />
        ) : isLoading ? (
          <LoadingState />
        ) : !rows.length ? (
          <EmptyState
            icon="namespaces"
            title="No namespaces yet"
            actions={
              <Link href={`${href('flows')}?new=1`} className={`${ui.button} ${ui.primary}`}>
                <Icon name="plus" size={15} />
                Create a flow
              </Link>
            }
          >
            A namespace appears when a flow declares it (<code>namespace: infra.delivery</code>). Dotted names nest.
          </EmptyState>
        ) : (
          <table className={ui.table}>
            <thead>
              <tr>
                <th>Namespace</th>
                <th style={{ textAlign: 'right' }}>Flows</th>
                <th style={{ textAlign: 'right' }}>Executions</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map(({ node, depth }) => (
                <tr key={node.path}>
                  <td>
                    <span className={s.name} style={{ paddingLeft: depth * 18 }}>
                      <span className={s.part}>{node.name}</span>
                      {depth ? <span className={s.path}>{node.path}</span> : null}
                    </span>
                  </td>
                  <td style={{ textAlign: 'right' }} className="mono">
                    {node.total}
                  </td>
                  <td style={{ textAlign: 'right' }} className="mono">
                    {execTotal(node.path).toLocaleString()}
                  </td>
                  <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                    <Link href={href('flows')} onClick={() => setNamespace(node.path)} className={`${ui.button} ${ui.sm}`}>
                      <Icon name="flows" size={13} />
                      Flows
                    </Link>{' '}
                    <Link href={href('executions')} onClick={() => setNamespace(node.path)} className={`${ui.button} ${ui.sm}`}>
                      <Icon name="executions" size={13} />
                      Executions
                    </Link>{' '}
                    <Link href={href('namespaces', node.path, 'plugin-defaults')} className={`${ui.button} ${ui.sm}`} aria-label={`Plugin defaults of ${node.path}`}>
                      <Icon name="layers" size={13} />
                      Defaults
                    </Link>{' '}
                    <Link href={href('namespaces', node.path, 'files')} className={`${ui.button} ${ui.sm}`} aria-label={`Files of ${node.path}`}>
                      <Icon name="code" size={13} />
                      Files
                    </Link>{' '}
                    <Link href={href('namespaces', node.path, 'kv')} className={`${ui.button} ${ui.sm}`} aria-label={`KV store of ${node.path}`}>
                      <Icon name="code" size={13} />
                      KV
                    </Link>{' '}
                    <Link href={href('namespaces', node.path, 'secrets')} className={`${ui.button} ${ui.sm}`} aria-label={`Secrets of ${node.path}`}>
                      <Icon name="layers" size={13} />
                      Secrets
                    </Link>{' '}
                    <Link href={href('namespaces', node.path, 'credentials')} className={`${ui.button} ${ui.sm}`} aria-label={`Credentials of ${node.path}`}>
                      <Icon name="layers" size={13} />
                      Credentials
                    </Link>{' '}
                    <Link href={href('namespaces', node.path, 'notifications')} className={`${ui.button} ${ui.sm}`} aria-label={`Notifications of ${node.path}`}>
                      <Icon name="alert" size={13} />
                      Notifications
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
