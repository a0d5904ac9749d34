'use client';
import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import { dateTime, relativeTime } from '@/components/format';
import { Button, EmptyState, ErrorState, LoadingState, Select } from '@/components/ui';
import { useRevisions } from '@/modules/flows/hooks/use-flows';
import s from './editor.module.css';

const YamlDiff = dynamic(() => import('./yaml-editor').then((m) => m.YamlDiff), { ssr: false, loading: () => <LoadingState label="Loading the diff…" /> });

/**
 * Every saved revision; the selected one is compared side by side with the editor's current
 * text (or another revision). Restoring puts that revision into the editor: saving it makes a
 * new revision, so history is never rewritten.
 */
export function RevisionsPanel({
  tenant,
  namespace,
  id,
  current,
  onRestore,
}: {
  tenant: string;
  namespace: string;
  id: string;
  current: string;
  onRestore: (source: string, revision: number) => void;
}) {
  const { data, error, isLoading, refetch } = useRevisions(tenant, namespace, id);
  const [selected, setSelected] = useState<number | undefined>();
  const [against, setAgainst] = useState<'current' | number>('current');
  const revisions = useMemo(() => data ?? [], [data]);
  useEffect(() => {
    // Default: the previous revision against what is in the editor.
    if (selected === undefined && revisions.length) setSelected(revisions[Math.min(1, revisions.length - 1)].revision);
  }, [revisions, selected]);

  if (error) return <ErrorState error={error} onRetry={() => refetch()} title="Could not load the revisions" />;
  if (isLoading) return <LoadingState label="Loading revisions…" />;
  if (!revisions.length)
    return (
      <EmptyState icon="history" title="No revisions yet">
        Each save that changes the flow makes a revision.
      </EmptyState>
    );
  const left = revisions.find((r) => r.revision === selected);
  const right =
    against === 'current'
      ? { source: current, label: 'editor (unsaved text included)' }
      : { source: revisions.find((r) => r.revision === against)?.source ?? '', label: `revision ${against}` };

  return (
    <div className={s.revisions}>
      <ol className={s.revisionList} aria-label="Revisions">
        {revisions.map((r) => (
          <li key={r.revision}>
            <button
              type="button"
              className={s.revision}
              aria-current={r.revision === selected ? 'true' : undefined}
              onClick={() => setSelected(r.revision)}
              data-testid={`revision-${r.revision}`}
            >
              <span className={s.revisionNo}>#{r.revision}</span>
              <span className={s.revisionMeta}>
                <span title={dateTime(r.created)}>{relativeTime(r.created)}</span>
                <span className="muted">{r.createdBy ?? 'unknown author'}</span>
              </span>
              {r.revision === revisions[0].revision ? <span className={s.latest}>latest</span> : null}
            </button>
          </li>
        ))}
      </ol>
      <div className={s.diffPane}>
        <div className={s.diffHeader}>
          <span>
            Revision <strong>#{left?.revision}</strong>
          </span>
          <span className="muted">compared with</span>
          <Select
            value={String(against)}
            onChange={(e) => setAgainst(e.target.value === 'current' ? 'current' : Number(e.target.value))}
            aria-label="Compare with"
            style={{ width: 220, height: 28 }}
          >
            <option value="current">the editor</option>
            {revisions
              .filter((r) => r.revision !== selected)
              .map((r) => (
                <option key={r.revision} value={r.revision}>
                  revision #{r.revision}
                </option>
              ))}
          </Select>
          <span style={{ flex: 1 }} />
          <Button size="sm" icon="history" disabled={!left} onClick={() => left && onRestore(left.source, left.revision)} data-testid="restore-revision">
            Restore #{left?.revision} into the editor
          </Button>
        </div>
        <div className={s.diffLabels}>
          <span>#{left?.revision}</span>
          <span>{right.label}</span>
        </div>
        <div className={s.diffBody} data-testid="revision-diff">
          {left ? (
            <YamlDiff
              original={left.source}
              modified={right.source}
              originalPath={`diff://${tenant}/${namespace}/${id}/rev-${left.revision}.yaml`}
              modifiedPath={`diff://${tenant}/${namespace}/${id}/${against}.yaml`}
            />
          ) : null}
        </div>
      </div>
    </div>
  );
}
