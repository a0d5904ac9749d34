'use client';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { dateTime, durationBetween, formatMs, relativeTime } from '@/components/format';
import { Icon } from '@/components/icons';
import { useShortcut } from '@/components/shortcuts/shortcuts';
import { StateBadge } from '@/components/state-badge';
import { Button, Dialog, EmptyState, ErrorState, Select, Skeleton, TextInput, ui, useToast } from '@/components/ui';
import { ALL_STATES, isTerminal } from '@/modules/api/types';
import { useKillMany } from '../hooks/use-execution-actions';
import { useExecutionList } from '../hooks/use-executions';
import type { ExecutionFilterText } from '@baton/contract';
import { RANGES, rangeBounds, type RangeId } from '../lib/time-range';
import s from './executions.module.css';

const PAGE = 50;

/**
 * Executions, newest first, filtered by namespace, flow, state, time and labels, paged by keyset
 * (page 2,000 costs what page 1 costs) and refreshed live. With `fixed`, the namespace and flow
 * are set by the caller (the flow page's tab) and filters live in component state instead of
 * the URL.
 */
export function ExecutionsList({ fixed }: { fixed?: { namespace: string; flowId: string } }) {
  const { tenant, namespace: globalNs } = useApp();
  const href = useHref();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const toast = useToast();
  const urlFilters = !fixed;

  const read = (k: string) => (urlFilters ? (params.get(k) ?? '') : '');
  const [flowId, setFlowId] = useState(read('flowId'));
  const [states, setStates] = useState<string[]>(read('state') ? read('state').split(',') : []);
  const [range, setRange] = useState<RangeId>((read('range') as RangeId) || 'all');
  const [from, setFrom] = useState(read('from'));
  const [to, setTo] = useState(read('to'));
  const [labels, setLabels] = useState(read('labels'));
  const [labelsDraft, setLabelsDraft] = useState(read('labels'));
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmKill, setConfirmKill] = useState(false);
  const killMany = useKillMany(tenant);

  const namespace = fixed?.namespace ?? (read('namespace') || globalNs);
  const filters: ExecutionFilterText = useMemo(
    () => ({
      namespace: namespace || undefined,
      flowId: fixed?.flowId ?? (flowId || undefined),
      state: states.length ? states : undefined,
      ...rangeBounds(range, from, to),
      labels: labels
        .split(',')
        .map((l) => l.trim())
        .filter((l) => /^[^:]+:.+$/.test(l)),
    }),
    [namespace, fixed?.flowId, flowId, states, range, from, to, labels],
  );

  // Filters in the URL: a filtered view is a link someone can share at 2 a.m.
  useEffect(() => {
    if (!urlFilters) return;
    const q = new URLSearchParams();
    if (flowId) q.set('flowId', flowId);
    if (states.length) q.set('state', states.join(','));
    if (range !== 'all') q.set('range', range);
    if (range === 'custom' && from) q.set('from', from);
    if (range === 'custom' && to) q.set('to', to);
    if (labels) q.set('labels', labels);
    const next = q.toString();
    if (next !== params.toString().replace(/(^|&)namespace=[^&]*/, '')) router.replace(`${pathname}${next ? `?${next}` : ''}`, { scroll: false });
    // Runs when a filter changes, not when the URL does: the URL is this effect's output, and
    // reacting to it (params, pathname) would write it back in a loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flowId, states, range, from, to, labels]);

  // A new filter starts from the first page.
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    setCursors([undefined]);
    setSelected(new Set());
  }, [filterKey]);

  const cursor = cursors[cursors.length - 1];
  const list = useExecutionList(tenant, filters, cursor, PAGE);
  const results = list.data?.results ?? [];
  const pageIndex = cursors.length - 1;
  const killable = results.filter((e) => !isTerminal(e.state.current));
  const selectedKillable = killable.filter((e) => selected.has(e.id));

  useShortcut(
    'shift+k',
    () => {
      if (selectedKillable.length) setConfirmKill(true);
    },
    { description: 'Kill the selected executions' },
  );

  const toggle = (id: string) =>
    setSelected((all) => {
      const next = new Set(all);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = killable.length > 0 && killable.every((e) => selected.has(e.id));
  const hasFilters = !!(flowId || states.length || range !== 'all' || labels);
  const now = Date.now();

  return (
    <div className={s.list}>
      <div className={s.filters} role="search" aria-label="Filter executions">
        {!fixed ? (
          <TextInput
            icon="flows"
            placeholder="Flow id"
            value={flowId}
            onChange={(e) => setFlowId(e.target.value.trim())}
            aria-label="Flow id"
            style={{ width: 180 }}
            data-page-search
          />
        ) : null}
        <StateFilter value={states} onChange={setStates} />
        <Select value={range} onChange={(e) => setRange(e.target.value as RangeId)} aria-label="Time range" style={{ width: 160 }}>
          {RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </Select>
        {range === 'custom' ? (
          <>
            <TextInput type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From" style={{ width: 200 }} />
            <span className="muted">to</span>
            <TextInput type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To" style={{ width: 200 }} />
          </>
        ) : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setLabels(labelsDraft);
          }}
          className={s.labelForm}
        >
          <TextInput
            icon="tag"
            placeholder="Labels  key:value, …"
            value={labelsDraft}
            onChange={(e) => setLabelsDraft(e.target.value)}
            onBlur={() => setLabels(labelsDraft)}
            aria-label="Labels (key:value, comma-separated)"
            style={{ width: 220 }}
          />
        </form>
        {hasFilters ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setFlowId('');
              setStates([]);
              setRange('all');
              setLabels('');
              setLabelsDraft('');
            }}
          >
            Clear
          </Button>
        ) : null}
        <span className={s.spacer} />
        {selectedKillable.length ? (
          <Button variant="danger" icon="stop" onClick={() => setConfirmKill(true)} data-testid="bulk-kill">
            Kill {selectedKillable.length} selected
          </Button>
        ) : null}
        <span className={s.live} title="The list refreshes every 2 seconds while it can change">
          {list.isFetching ? <span className={s.liveDot} /> : <span className={s.liveDotIdle} />}live
        </span>
      </div>
      <div className={s.tableWrap}>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => list.refetch()} title="Could not load executions" />
        ) : list.isLoading ? (
          <ListSkeleton />
        ) : results.length === 0 ? (
          hasFilters || namespace || pageIndex > 0 ? (
            <EmptyState
              icon="search"
              title="No execution matches"
              actions={
                hasFilters ? (
                  <Button
                    onClick={() => {
                      setFlowId('');
                      setStates([]);
                      setRange('all');
                      setLabels('');
                      setLabelsDraft('');
                    }}
                  >
                    Clear filters
                  </Button>
                ) : undefined
              }
            >
              {namespace ? (
                <>
                  Only executions in <code>{namespace}</code> are shown (the namespace picker, top left).{' '}
                </>
              ) : null}
              Widen the time range or remove a filter.
            </EmptyState>
          ) : (
            <EmptyState
              icon="executions"
              title={fixed ? 'This flow has not run yet' : 'Nothing has run yet'}
              actions={
                <Button variant="primary" icon="flows" onClick={() => router.push(fixed ? `${href('flows', fixed.namespace, fixed.flowId)}?execute=1` : href('flows'))}>
                  {fixed ? 'Execute it' : 'Pick a flow to run'}
                </Button>
              }
            >
              Executions appear here the moment they start, with their live state.
            </EmptyState>
          )
        ) : (
          <table className={ui.table} data-testid="executions-table">
            <thead>
              <tr>
                <th style={{ width: 34 }}>
                  <input
                    type="checkbox"
                    aria-label="Select every running execution on this page"
                    checked={allSelected}
                    disabled={!killable.length}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(killable.map((e) => e.id)))}
                  />
                </th>
                <th>Execution</th>
                {!fixed ? <th>Flow</th> : null}
                <th>State</th>
                <th>Started</th>
                <th style={{ textAlign: 'right' }}>Duration</th>
                <th>Labels</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {results.map((e) => {
                const running = !isTerminal(e.state.current);
                const d = e.state.duration ?? durationBetween(e.state.startDate, e.state.endDate, now);
                return (
                  <tr key={e.id} className={selected.has(e.id) ? ui.selected : undefined} data-execution-id={e.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${e.id}`}
                        checked={selected.has(e.id)}
                        disabled={!running}
                        onChange={() => toggle(e.id)}
                        title={running ? undefined : 'Already ended'}
                      />
                    </td>
                    <td>
                      <Link href={href('executions', e.id)} className={s.execId}>
                        {e.id.slice(0, 10)}
                        <span className={s.execIdRest}>{e.id.slice(10)}</span>
                      </Link>
                    </td>
                    {!fixed ? (
                      <td className={s.flowCell}>
                        <Link href={href('flows', e.namespace, e.flowId)} className={s.flowLink}>
                          {e.flowId}
                        </Link>
                        <span className={s.ns}>
                          {e.namespace} · rev {e.flowRevision}
                        </span>
                      </td>
                    ) : null}
                    <td>
                      <StateBadge state={e.state.current} size="sm" />
                    </td>
                    <td title={dateTime(e.state.startDate)} className={s.nowrap}>
                      {relativeTime(e.state.startDate, now)}
                    </td>
                    <td style={{ textAlign: 'right' }} className={`mono ${s.nowrap}`}>
                      {formatMs(d)}
                    </td>
                    <td className={s.labels}>
                      {e.labels
                        .filter((l) => !l.key.startsWith('system.'))
                        .slice(0, 3)
                        .map((l) => (
                          <button
                            key={l.key}
                            type="button"
                            className={s.label}
                            onClick={() => {
                              const v = `${l.key}:${l.value}`;
                              setLabels(v);
                              setLabelsDraft(v);
                            }}
                            title="Filter by this label"
                          >
                            {l.key}:{l.value}
                          </button>
                        ))}
                      {e.labels.some((l) => l.key === 'system.replayOf') ? (
                        <span className={s.replay} title="A replay of another execution">
                          <Icon name="retry" size={11} />
                          replay
                        </span>
                      ) : null}
                    </td>
                    <td className={`muted ${s.nowrap}`}>{e.triggeredBy ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <div className={s.pager}>
        <span className="muted">
          {list.data ? (
            <>
              {results.length ? `${pageIndex * PAGE + 1}–${pageIndex * PAGE + results.length}` : '0'} of{' '}
              {list.data.totalCapped ? `${(list.data.total ?? 0).toLocaleString()}+` : (list.data.total ?? 0).toLocaleString()}
            </>
          ) : (
            <Skeleton width={80} />
          )}
        </span>
        <Button size="sm" icon="chevronLeft" disabled={pageIndex === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <Button size="sm" disabled={!list.data?.next} onClick={() => list.data?.next && setCursors((c) => [...c, list.data!.next!])} data-testid="older-page">
          Older <Icon name="chevronRight" size={13} />
        </Button>
      </div>
      <Dialog
        open={confirmKill}
        onClose={() => setConfirmKill(false)}
        title={`Kill ${selectedKillable.length} execution${selectedKillable.length === 1 ? '' : 's'}?`}
        description="Each is cancelled: running tasks are aborted at their next heartbeat and the execution ends KILLED."
        footer={
          <>
            <Button onClick={() => setConfirmKill(false)}>Cancel</Button>
            <Button
              variant="dangerSolid"
              icon="stop"
              loading={killMany.isPending}
              data-testid="confirm-bulk-kill"
              onClick={async () => {
                try {
                  const r = await killMany.mutateAsync(selectedKillable.map((e) => e.id));
                  const failed = r.results.filter((x) => x.error);
                  if (failed.length) toast.error(`${r.killed} killed, ${failed.length} not`, failed.map((f) => `${f.id}: ${f.error}`).join('\n'));
                  else toast.success(`${r.killed} execution${r.killed === 1 ? '' : 's'} killed`);
                  setSelected(new Set());
                  setConfirmKill(false);
                } catch (error) {
                  toast.error('Kill failed', (error as Error).message);
                }
              }}
            >
              Kill
            </Button>
          </>
        }
      >
        <ul className={s.killList}>
          {selectedKillable.map((e) => (
            <li key={e.id}>
              <code>{e.id}</code> · {e.namespace}.{e.flowId} · <StateBadge state={e.state.current} size="sm" />
            </li>
          ))}
        </ul>
      </Dialog>
    </div>
  );
}

function StateFilter({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className={s.stateFilter}>
      <Button icon="filter" onClick={() => setOpen(!open)} aria-expanded={open} aria-haspopup="true">
        {value.length ? `State: ${value.length > 2 ? `${value.length} states` : value.join(', ')}` : 'Any state'}
      </Button>
      {open ? (
        <div className={s.statePopover} onMouseLeave={() => setOpen(false)}>
          {ALL_STATES.map((st) => (
            <label key={st} className={s.stateOption}>
              <input type="checkbox" checked={value.includes(st)} onChange={(e) => onChange(e.target.checked ? [...value, st] : value.filter((x) => x !== st))} />
              <StateBadge state={st} size="sm" />
            </label>
          ))}
          <div className={s.stateActions}>
            <Button size="sm" variant="ghost" onClick={() => onChange(['RUNNING', 'PAUSED', 'CREATED', 'QUEUED', 'RETRYING', 'KILLING'])}>
              Not ended
            </Button>
            <Button size="sm" variant="ghost" onClick={() => onChange(['FAILED', 'KILLED', 'WARNING'])}>
              Problems
            </Button>
            <Button size="sm" variant="ghost" onClick={() => onChange([])}>
              Any
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function ListSkeleton() {
  return (
    <div style={{ padding: 16, display: 'grid', gap: 14 }}>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} style={{ display: 'flex', gap: 24 }}>
          <Skeleton width="16%" />
          <Skeleton width="22%" />
          <Skeleton width="10%" />
          <Skeleton width="12%" />
        </div>
      ))}
    </div>
  );
}
