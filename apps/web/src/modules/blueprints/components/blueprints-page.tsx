'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useDeferredValue, useState } from 'react';
import type { Blueprint, BlueprintKind, BlueprintSummary } from '@baton/contract';
import { useApp } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Markdown } from '@/components/markdown';
import { PageBody, PageHeader } from '@/components/page';
import { Badge, Button, EmptyState, ErrorState, LoadingState, TextInput, useToast } from '@/components/ui';
import { FlowGraph } from '@/modules/graph/components/flow-graph';
import { useBlueprint, useBlueprints, useBlueprintTags, useDeleteBlueprint } from '../hooks/use-blueprints';
import { useTopology } from '../hooks/use-topology';
import { BlueprintFormDialog, UseBlueprintDialog } from './blueprint-dialogs';
import s from './blueprints.module.css';

/** `io.kestra.plugin.argocd.apps.Sync` → `argocd`: the systems a blueprint touches, for its card. */
export function systemsOf(types: string[]): string[] {
  const out = new Set<string>();
  for (const t of types) {
    const parts = t.replace(/^io\.kestra\.plugin\.(ee\.)?/, '').split('.');
    const family = parts[0] === 'canonical' ? parts[1] : parts[0];
    if (family && family !== 'core') out.add(family);
  }
  return [...out];
}

function parseSelection(value: string | null): { kind: BlueprintKind; id: string } | undefined {
  const m = /^(shipped|custom)\/(.+)$/.exec(value ?? '');
  return m ? { kind: m[1] as BlueprintKind, id: m[2] } : undefined;
}

function BlueprintCard({ b, selected, onSelect }: { b: BlueprintSummary; selected: boolean; onSelect: () => void }) {
  return (
    <button type="button" className={s.card} aria-pressed={selected} onClick={onSelect} data-testid={`blueprint-card-${b.id}`}>
      <span className={s.cardTitle}>{b.title}</span>
      <span className={s.cardMeta}>
        {b.kind === 'custom' ? <Badge>Custom</Badge> : null}
        {systemsOf(b.types).map((sys) => (
          <Badge key={sys} mono>
            {sys}
          </Badge>
        ))}
      </span>
      <span className={s.cardTags}>{b.tags.join(' · ')}</span>
    </button>
  );
}

function Topology({ blueprint }: { blueprint: Blueprint }) {
  const { graph, error } = useTopology(blueprint.source);
  if (error) return <div className="muted">The topology could not be drawn: {error.message}</div>;
  if (!graph) return <LoadingState label="Drawing…" />;
  return (
    <div className={s.graph} data-testid="blueprint-topology">
      <FlowGraph graph={graph} label={`Topology of ${blueprint.title}`} fitKey={`${blueprint.kind}/${blueprint.id}`} />
    </div>
  );
}

function Detail({ kind, id, onDeleted }: { kind: BlueprintKind; id: string; onDeleted: () => void }) {
  const { tenant } = useApp();
  const toast = useToast();
  const blueprint = useBlueprint(tenant, kind, id);
  const remove = useDeleteBlueprint(tenant);
  const [using, setUsing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [showSource, setShowSource] = useState(false);
  if (blueprint.error) return <ErrorState title="Could not load the blueprint" error={blueprint.error} onRetry={() => blueprint.refetch()} />;
  if (!blueprint.data) return <LoadingState />;
  const b = blueprint.data;
  const onDelete = () => {
    if (!window.confirm(`Delete the blueprint “${b.title}”? Flows made from it stay.`)) return;
    remove.mutate(b.id, {
      onSuccess: () => {
        toast.success('Blueprint deleted', b.title);
        onDeleted();
      },
      onError: (e) => toast.error('Could not delete', e.message),
    });
  };
  return (
    <article className={s.detail} data-testid="blueprint-detail">
      <header className={s.detailHeader}>
        <div>
          <h2>{b.title}</h2>
          <div className="muted">
            <span className="mono">
              {b.namespace}.{b.flowId}
            </span>
            {b.kind === 'custom' && b.updated ? ` · custom, updated ${relativeTime(b.updated)}${b.updatedBy ? ` by ${b.updatedBy}` : ''}` : ' · shipped with Baton'}
          </div>
          <div className={s.cardMeta}>
            {b.tags.map((t) => (
              <Badge key={t}>{t}</Badge>
            ))}
          </div>
        </div>
        <div className={s.actions}>
          {b.kind === 'custom' ? (
            <>
              <Button icon="code" onClick={() => setEditing(true)} data-testid="blueprint-edit">
                Edit
              </Button>
              <Button variant="ghost" icon="trash" onClick={onDelete} aria-label="Delete the blueprint" data-testid="blueprint-delete" />
            </>
          ) : null}
          <Button variant="primary" icon="plus" onClick={() => setUsing(true)} data-testid="blueprint-use">
            Use
          </Button>
        </div>
      </header>
      <Topology blueprint={b} />
      {b.description ? <Markdown text={b.description} className={s.description} /> : <p className="muted">No description.</p>}
      <section>
        <Button size="sm" variant="ghost" icon="code" onClick={() => setShowSource((v) => !v)} aria-expanded={showSource}>
          {showSource ? 'Hide the YAML' : 'Show the YAML'}
        </Button>
        {showSource ? (
          <pre className={s.source} data-testid="blueprint-yaml">
            {b.source}
          </pre>
        ) : null}
      </section>
      <UseBlueprintDialog blueprint={b} open={using} onClose={() => setUsing(false)} />
      {b.kind === 'custom' ? <BlueprintFormDialog open={editing} onClose={() => setEditing(false)} blueprint={b} /> : null}
    </article>
  );
}

/**
 * The Blueprints page: the shipped library and the tenant's own, searchable and filtered by tag;
 * the selected one with its description, its topology and "Use".
 */
export function BlueprintsPage() {
  const { tenant } = useApp();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [q, setQ] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const deferredQ = useDeferredValue(q);
  const list = useBlueprints(tenant, deferredQ, tags);
  const allTags = useBlueprintTags(tenant);
  const results = list.data?.results ?? [];
  const chosen = parseSelection(params.get('b'));
  const selected = chosen ?? (results[0] ? { kind: results[0].kind, id: results[0].id } : undefined);
  const select = (b?: { kind: BlueprintKind; id: string }) => router.replace(b ? `${pathname}?b=${encodeURIComponent(`${b.kind}/${b.id}`)}` : pathname, { scroll: false });
  const toggleTag = (t: string) => setTags((current) => (current.includes(t) ? current.filter((x) => x !== t) : [...current, t]));

  return (
    <>
      <PageHeader title="Blueprints" subtitle="Flows to start from: the library shipped with Baton and this tenant’s own" />
      <PageBody>
        <div className={s.layout}>
          <aside className={s.list} aria-label="Blueprints">
            <TextInput
              icon="search"
              placeholder="Search blueprints…"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              aria-label="Search blueprints"
              data-page-search
              data-testid="blueprint-search"
            />
            <div className={s.tags} role="group" aria-label="Filter by tag">
              {(allTags.data?.results ?? []).map((t) => (
                <button key={t.name} type="button" className={s.tag} aria-pressed={tags.includes(t.name)} onClick={() => toggleTag(t.name)} data-testid={`blueprint-tag-${t.name}`}>
                  {t.name} <span className="muted">{t.count}</span>
                </button>
              ))}
            </div>
            {list.error ? (
              <ErrorState title="Could not load the blueprints" error={list.error} onRetry={() => list.refetch()} />
            ) : list.isLoading ? (
              <LoadingState />
            ) : !results.length ? (
              <EmptyState icon="book" title="No blueprint matches">
                Try fewer words or tags.
              </EmptyState>
            ) : (
              <div className={s.cards} data-testid="blueprint-list">
                {results.map((b) => (
                  <BlueprintCard key={`${b.kind}/${b.id}`} b={b} selected={selected?.kind === b.kind && selected.id === b.id} onSelect={() => select(b)} />
                ))}
              </div>
            )}
          </aside>
          <div className={s.main}>
            {selected ? (
              <Detail key={`${selected.kind}/${selected.id}`} kind={selected.kind} id={selected.id} onDeleted={() => select(undefined)} />
            ) : list.isLoading ? null : (
              <EmptyState icon="book" title="Pick a blueprint">
                Its description, topology and YAML show here.
              </EmptyState>
            )}
          </div>
        </div>
      </PageBody>
    </>
  );
}
