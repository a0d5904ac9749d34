'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useHref } from '@/components/app-shell/app-context';
import { PageHeader } from '@/components/page';
import { EmptyState, ErrorState, LoadingState, TextInput } from '@/components/ui';
import type { PluginDoc } from '@/modules/api/types';
import { pluginIndex, usePlugins } from '../hooks/use-plugins';
import { PluginDocView } from './plugin-doc';
import s from './plugins.module.css';

function groupBy(plugins: PluginDoc[]) {
  const groups = new Map<string, PluginDoc[]>();
  for (const p of plugins) {
    if (!groups.has(p.group)) groups.set(p.group, []);
    groups.get(p.group)!.push(p);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function PluginsPage({ type }: { type?: string }) {
  const href = useHref();
  const { data, error, isLoading, refetch } = usePlugins();
  const [q, setQ] = useState('');
  const filtered = useMemo(() => (data ?? []).filter((p) => `${p.id} ${p.aliases.join(' ')} ${p.title} ${p.group}`.toLowerCase().includes(q.toLowerCase())), [data, q]);
  const selected = type ? pluginIndex(data).get(type) : undefined;

  return (
    <>
      <PageHeader
        title={selected ? selected.title : 'Plugins'}
        crumbs={selected ? [{ label: 'Plugins', href: href('plugins') }, { label: selected.group }] : undefined}
        subtitle={!selected && data ? `${data.length} task types` : undefined}
      />
      {error ? (
        <ErrorState error={error} onRetry={() => refetch()} title="Could not load the plugin list" />
      ) : isLoading ? (
        <LoadingState />
      ) : (
        <div className={s.layout}>
          <nav className={s.index} aria-label="Plugins">
            <TextInput icon="search" placeholder="Search plugins…  ( / )" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search plugins" data-page-search />
            {groupBy(filtered).map(([group, plugins]) => (
              <div key={group} className={s.indexGroup}>
                <h4>{group}</h4>
                {plugins.map((p) => (
                  <Link key={p.id} href={href('plugins', p.id)} className={s.indexItem} aria-current={selected?.id === p.id ? 'page' : undefined}>
                    <span>{p.title}</span>
                    <code>{p.id}</code>
                  </Link>
                ))}
              </div>
            ))}
            {!filtered.length ? (
              <EmptyState compact icon="search" title="No plugin matches">
                Try a vendor (cloudflare), an action (Sync) or a Kestra type name.
              </EmptyState>
            ) : null}
          </nav>
          <div className={s.content}>
            {type && !selected ? (
              <EmptyState icon="plugins" title={`No plugin ${type}`}>
                Pick one from the list; Kestra type names work too.
              </EmptyState>
            ) : selected ? (
              <PluginDocView plugin={selected} />
            ) : (
              <div className={s.overview}>
                {filtered.map((p) => (
                  <Link key={p.id} href={href('plugins', p.id)} className={s.card}>
                    <strong>{p.title}</strong>
                    <code>{p.id}</code>
                    <p>{p.description.replace(/[`*]/g, '')}</p>
                  </Link>
                ))}
              </div>
            )}
          </div>
        </div>
      )}
    </>
  );
}
