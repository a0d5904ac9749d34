'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { dateTime, durationBetween, formatMs, relativeTime } from '@/components/format';
import { Icon, Spinner } from '@/components/icons';
import { JsonViewer } from '@/components/json-viewer';
import { FileLinks } from './file-links';
import { PageHeader } from '@/components/page';
import { useShortcut } from '@/components/shortcuts/shortcuts';
import { Split } from '@/components/split';
import { StateBadge, stateColors } from '@/components/state-badge';
import { Badge, Button, EmptyState, ErrorState, LoadingState, Tabs, tabPanelProps } from '@/components/ui';
import { isTerminal, type Execution, type TaskRun } from '@/modules/api/types';
import { useRevision } from '@/modules/flows/hooks/use-flows';
import { FlowGraph } from '@/modules/graph/components/flow-graph';
import { analyzeFlow, type AnalyzeResult } from '@/modules/graph/lib/analyze';
import { graphFromRuns } from '@/modules/graph/lib/graph-from-runs';
import { layoutGraph, type LayoutChoice } from '@/modules/graph/lib/layout';
import { createRunStore, latestRuns, summarizeRuns } from '@/modules/graph/lib/run-store';
import type { GraphNode, LaidOutGraph } from '@/modules/graph/lib/types';
import { analyzeInWorker, warmAnalysisWorker } from '@/modules/graph/lib/worker-client';
import { inputsFromSource, onResumeInputs } from '@/modules/inputs/lib/inputs';
import { mark, useExecutionFollow } from '../hooks/use-execution-follow';
import { KillDialog, ReplayDialog, RestartDialog, ResumeDialog } from './action-dialogs';
import { ExpressionDebugger } from './expression-debugger';
import { DecisionPanel } from '@/modules/approvals/components/decision-panel';
import { Gantt } from './gantt';
import { LockWaits } from './lock-waits';
import { LogView } from './log-view';
import { TaskPanel } from './task-panel';
import s from './execution.module.css';

type Tab = 'graph' | 'gantt' | 'logs' | 'io';

declare global {
  interface Window {
    /** Layout figures the UI benchmark reads. */
    __batonGraphStats?: { layout: string; layoutMs: number; totalMs: number; nodes: number };
  }
}

/**
 * The execution's topology laid out in the worker: from its pinned revision (which the follow
 * stream sends first; `start` is called from the stream handler, before React renders), else
 * fetched, else drawn from the task runs.
 */
function useExecutionGraph(layout: LayoutChoice | 'dagre-main') {
  useEffect(() => warmAnalysisWorker(), []);
  const [graph, setGraph] = useState<LaidOutGraph | null>(null);
  const [error, setError] = useState<string>();
  const started = useRef<string | undefined>(undefined);
  const start = useCallback(
    (source: string) => {
      if (started.current === source) return;
      started.current = source;
      if (layout === 'dagre-main') {
        // Baseline for the UI benchmark: plain dagre on the main thread, as most UIs do it.
        const r = analyzeFlow({ source, validate: false, layout: 'dagre' }, undefined);
        mark('baton:layout-done');
        window.__batonGraphStats = { layout: 'dagre (main thread)', layoutMs: r.graph.layoutMs, totalMs: r.timings.totalMs, nodes: r.graph.nodes.length };
        setGraph(r.graph);
        return;
      }
      analyzeInWorker({ source, validate: false, layout }).then(
        (r: AnalyzeResult) => {
          mark('baton:layout-done');
          window.__batonGraphStats = { layout: r.graph.layout, layoutMs: r.graph.layoutMs, totalMs: r.timings.totalMs, nodes: r.graph.nodes.length };
          if (started.current === source) setGraph(r.graph);
        },
        (e: Error) => setError(e.message),
      );
    },
    [layout],
  );
  const fallback = useCallback(
    (execution: Execution) => {
      if (started.current !== undefined) return;
      started.current = '';
      setGraph(layoutGraph(graphFromRuns(execution.taskRunList), layout === 'dagre-main' ? 'dagre' : layout));
    },
    [layout],
  );
  return useMemo(() => ({ graph, error, start, fallback }), [graph, error, start, fallback]);
}

export function ExecutionPage({ id }: { id: string }) {
  const { tenant, temporalUiUrl, temporalNamespace } = useApp();
  const href = useHref();
  const router = useRouter();
  const params = useSearchParams();
  const layoutParam = params.get('layout');
  const graphs = useExecutionGraph(layoutParam === 'dagre' || layoutParam === 'structural' || layoutParam === 'dagre-main' ? layoutParam : 'auto');
  const [generation, setGeneration] = useState(0);
  const follow = useExecutionFollow(tenant, id, (revision) => graphs.start(revision.source), generation);
  const execution = follow.execution;
  // The stream sends the revision first; fetch it only if it did not (an old server), and draw
  // from the task runs if it cannot be read at all.
  const fetched = useRevision(tenant, execution?.namespace ?? '', execution?.flowId ?? '', execution && !follow.revision ? execution.flowRevision : undefined);
  const source = follow.revision?.source ?? fetched.data?.source;
  useEffect(() => {
    if (source !== undefined) graphs.start(source);
    else if (fetched.error && execution) graphs.fallback(execution);
  }, [source, fetched.error, execution, graphs]);
  const { graph } = graphs;
  const graphError = graphs.error ?? (fetched.error ? (fetched.error as Error).message : undefined);
  const store = useMemo(() => createRunStore(), []);
  const [tab, setTab] = useState<Tab>((params.get('tab') as Tab) || 'graph');
  const [selected, setSelected] = useState<string | undefined>(params.get('task') ?? undefined);
  const [panelTab, setPanelTab] = useState<'overview' | 'logs' | undefined>();
  const [dialog, setDialog] = useState<'kill' | 'resume' | 'replay' | 'restart' | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const allRuns = execution?.taskRunList;
  // After a restart the previous attempt's runs stay (history, Gantt); the graph, the banner and
  // the panel's default follow the current run of each task.
  const runs = useMemo(() => (allRuns ? latestRuns(allRuns) : undefined), [allRuns]);
  useEffect(() => {
    if (allRuns) store.set(summarizeRuns(allRuns));
  }, [allRuns, store]);
  useEffect(() => store.select(selected), [store, selected]);

  const running = !!execution && !isTerminal(execution.state.current);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);

  // Start where the trouble is: the failed task, else the one running or paused.
  const focusTaskId = useMemo(() => {
    if (!runs) return undefined;
    return (runs.find((r) => r.state.current === 'FAILED') ?? runs.find((r) => r.state.current === 'PAUSED') ?? runs.find((r) => r.state.current === 'RUNNING'))?.taskId;
    // Only for the first view of this execution.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [graph]);

  const paused = runs?.find((r) => r.state.current === 'PAUSED');
  const resumeInputs = useMemo(() => (paused ? onResumeInputs(source, paused.taskId) : []), [paused, source]);
  const flowInputs = useMemo(() => inputsFromSource(source), [source]);
  const nodeByTask = useMemo(() => new Map((graph?.nodes ?? []).filter((n) => n.taskId).map((n) => [n.taskId!, n])), [graph]);
  const selectedNode: GraphNode | undefined = selected
    ? (nodeByTask.get(selected) ?? { id: selected, kind: 'task', label: selected, taskId: selected, shortType: '', width: 0, height: 0, depth: 0 })
    : undefined;
  const selectedRuns = useMemo(() => (allRuns ?? []).filter((r) => r.taskId === selected), [allRuns, selected]);

  useShortcut('shift+k', () => running && setDialog('kill'), { description: 'Kill this execution', enabled: running });
  useShortcut('r', () => execution?.state.current === 'PAUSED' && setDialog('resume'), { description: 'Resume (when paused)', enabled: execution?.state.current === 'PAUSED' });
  useShortcut('1', () => setTab('graph'), { description: 'Graph tab' });
  useShortcut('2', () => setTab('gantt'), { description: 'Gantt tab' });
  useShortcut('3', () => setTab('logs'), { description: 'Logs tab' });
  useShortcut('4', () => setTab('io'), { description: 'Inputs & outputs tab' });
  useShortcut('escape', () => setSelected(undefined), { description: 'Close the task panel', enabled: !!selected });

  if (follow.notFound) {
    return (
      <EmptyState icon="executions" title={`Execution ${id} not found`} actions={<Button onClick={() => router.push(href('executions'))}>All executions</Button>}>
        It may belong to another tenant, or the id is mistyped.
      </EmptyState>
    );
  }
  if (!execution) {
    return follow.error ? (
      <ErrorState error={follow.error} title="Could not open the execution" onRetry={() => location.reload()} />
    ) : (
      <LoadingState label="Opening the execution…" />
    );
  }

  const duration = execution.state.duration ?? durationBetween(execution.state.startDate, execution.state.endDate, now);
  const temporalLink = temporalUiUrl
    ? `${temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporalNamespace)}/workflows/${encodeURIComponent(execution.id)}`
    : undefined;
  const failedRun = runs?.find((r) => r.state.current === 'FAILED' && r.error);
  const replayOf = execution.labels.find((l) => l.key === 'system.replayOf')?.value;
  const restartable = ['FAILED', 'KILLED', 'CANCELLED'].includes(execution.state.current);
  const killedBy = execution.state.current === 'KILLED' ? ([...execution.state.histories].reverse().find((h) => h.state === 'KILLING')?.by ?? '') : undefined;
  const secretInputs = flowInputs.some((i) => i.type.toUpperCase() === 'SECRET');

  return (
    <>
      <PageHeader
        title={
          <span className="mono" data-testid="execution-id">
            {execution.id}
          </span>
        }
        crumbs={[
          { label: 'Executions', href: href('executions') },
          { label: execution.namespace },
          { label: <span className="mono">{execution.flowId}</span>, href: href('flows', execution.namespace, execution.flowId) },
        ]}
        actions={
          <>
            {execution.state.current === 'PAUSED' ? (
              <Button variant="primary" icon="play" onClick={() => setDialog('resume')} data-testid="resume" shortcut="R">
                Resume
              </Button>
            ) : null}
            {running ? (
              <Button variant="danger" icon="stop" onClick={() => setDialog('kill')} data-testid="kill">
                {execution.state.current === 'KILLING' ? 'Terminate' : 'Kill'}
              </Button>
            ) : null}
            {restartable ? (
              <Button
                icon="retry"
                onClick={() => setDialog('restart')}
                data-testid="restart"
                title={
                  secretInputs
                    ? 'This flow has SECRET inputs, which are not stored: replay it with new inputs instead'
                    : 'Run again from the failed task, in this execution, keeping what succeeded'
                }
                disabled={secretInputs}
              >
                Restart
              </Button>
            ) : null}
            <Button icon="retry" onClick={() => setDialog('replay')} data-testid="replay" disabled={!source}>
              Replay
            </Button>
            {temporalLink ? (
              <a className={s.temporal} href={temporalLink} target="_blank" rel="noreferrer" title="This execution's workflow in the Temporal UI" data-testid="temporal-link">
                <Icon name="external" size={14} />
                Temporal
              </a>
            ) : (
              <span className={s.temporalOff} title="Set BATON_TEMPORAL_UI_URL to link executions to the Temporal UI">
                <Icon name="external" size={14} />
                Temporal
              </span>
            )}
          </>
        }
      >
        {/* On its own row: the title row keeps its height whatever the actions are. */}
        <div className={s.statusRow}>
          <span data-testid="execution-state">
            <StateBadge state={execution.state.current} />
          </span>
          <span title={dateTime(execution.state.startDate)}>started {relativeTime(execution.state.startDate, now)}</span>
          <span>
            · {formatMs(duration)}
            {running ? '…' : ''}
          </span>
          <Badge mono>rev {execution.flowRevision}</Badge>
          {execution.triggeredBy ? <span>· by {execution.triggeredBy}</span> : null}
          {replayOf ? (
            <Link href={href('executions', replayOf)} title="The execution this one replays">
              · replay of {replayOf.slice(0, 8)}…
            </Link>
          ) : null}
          {execution.parentId ? <Link href={href('executions', execution.parentId)}>· parent execution</Link> : null}
          {execution.killSwitchId ? (
            <Link href={href('kill-switches')} title="The kill switch that ended this execution" data-testid="killed-by-switch">
              · ended by kill switch {execution.killSwitchId}
            </Link>
          ) : null}
          {follow.live && running ? (
            <span className={s.live}>
              <span className={s.liveDot} />
              live
            </span>
          ) : null}
        </div>
        <DecisionPanel execution={execution} />
        {running ? <LockWaits execution={execution} now={now} /> : null}
        {execution.error || failedRun ? (
          <div className={s.banner} role="alert">
            <Icon name="alert" size={15} />
            <div>
              {failedRun ? (
                <button
                  type="button"
                  className={s.bannerTask}
                  onClick={() => {
                    setTab('graph');
                    setSelected(failedRun.taskId);
                  }}
                >
                  {failedRun.taskId}
                </button>
              ) : null}
              <span className={s.bannerMsg}>
                {failedRun?.error
                  ? failedRun.error.replace(new RegExp(`^${failedRun.taskId}: `), '')
                  : killedBy !== undefined
                    ? `Killed${killedBy ? ` by ${killedBy}` : ''}${execution.error && execution.error !== 'killed' ? ` (${execution.error})` : ''}.`
                    : execution.error}
              </span>
            </div>
          </div>
        ) : null}
        {follow.error && follow.execution ? (
          <div className={s.bannerWarn} role="status">
            <Icon name="alert" size={14} />
            {follow.error}
          </div>
        ) : null}
      </PageHeader>
      <Tabs<Tab>
        idPrefix="exec"
        value={tab}
        onChange={setTab}
        items={[
          { id: 'graph', label: 'Graph', icon: 'graph' },
          { id: 'gantt', label: 'Gantt', icon: 'gantt' },
          { id: 'logs', label: 'Logs', icon: 'logs', count: follow.logs.length || undefined },
          { id: 'io', label: 'Inputs & outputs', icon: 'code' },
        ]}
        trailing={<StateCounts runs={runs ?? []} />}
      />
      <div className={s.body} {...tabPanelProps('exec', tab)}>
        {tab === 'graph' ? (
          selectedNode ? (
            <Split
              storageKey="baton.execution.panel"
              initialRight={480}
              left={
                <GraphArea
                  graph={graph}
                  error={graphError}
                  store={store}
                  focusTaskId={focusTaskId}
                  executionId={execution.id}
                  onSelect={(n) => {
                    setSelected(n.taskId);
                    setPanelTab(undefined);
                  }}
                />
              }
              right={<TaskPanel node={selectedNode} runs={selectedRuns} logs={follow.logs} running={running} initialTab={panelTab} onClose={() => setSelected(undefined)} />}
            />
          ) : (
            <GraphArea
              graph={graph}
              error={graphError}
              store={store}
              focusTaskId={focusTaskId}
              executionId={execution.id}
              onSelect={(n) => {
                setSelected(n.taskId);
                setPanelTab(undefined);
              }}
            />
          )
        ) : tab === 'gantt' ? (
          <div className={s.scroll}>
            <Gantt
              execution={execution}
              selectedTaskId={selected}
              onSelect={(taskId) => {
                setSelected(taskId);
                setTab('graph');
              }}
            />
          </div>
        ) : tab === 'logs' ? (
          <div className={s.logsTab}>
            <LogView
              logs={follow.logs}
              running={running}
              emptyText={running ? 'Waiting for the first log line…' : 'This execution wrote no log line.'}
              onTaskClick={(taskId) => {
                setSelected(taskId);
                setPanelTab('logs');
                setTab('graph');
              }}
            />
          </div>
        ) : (
          <div className={s.scroll}>
            <div className={s.io}>
              <section>
                <h3>Inputs</h3>
                <JsonViewer value={execution.inputs} label="Inputs" />
                <FileLinks executionId={execution.id} value={execution.inputs} />
              </section>
              <section>
                <h3>Outputs</h3>
                {running ? (
                  <p className="muted">Flow outputs are rendered when the execution ends.</p>
                ) : (
                  <>
                    <JsonViewer value={execution.outputs} label="Outputs" />
                    <FileLinks executionId={execution.id} value={execution.outputs} />
                  </>
                )}
              </section>
              <section>
                <h3>Labels</h3>
                {execution.labels.length ? (
                  <div className={s.labelRow}>
                    {execution.labels.map((l) => (
                      <Badge key={l.key} mono>
                        {l.key}: {l.value}
                      </Badge>
                    ))}
                  </div>
                ) : (
                  <p className="muted">No labels.</p>
                )}
              </section>
              <section className={s.wide}>
                <h3>Debug an expression</h3>
                <ExpressionDebugger executionId={execution.id} runs={runs ?? []} />
              </section>
              <section>
                <h3>State history</h3>
                <ol className={s.timeline}>
                  {execution.state.histories.map((h, i) => (
                    <li key={i}>
                      <StateBadge state={h.state} size="sm" />
                      <span>{dateTime(h.date)}</span>
                      {h.by ? <span className="muted">by {h.by}</span> : null}
                    </li>
                  ))}
                </ol>
              </section>
            </div>
          </div>
        )}
      </div>
      <KillDialog open={dialog === 'kill'} onClose={() => setDialog(null)} execution={execution} />
      <ResumeDialog open={dialog === 'resume'} onClose={() => setDialog(null)} execution={execution} taskId={paused?.taskId} inputs={resumeInputs} />
      <RestartDialog
        open={dialog === 'restart'}
        onClose={() => setDialog(null)}
        execution={execution}
        kept={(runs ?? []).filter((r) => r.state.current === 'SUCCESS' || r.state.current === 'WARNING').length}
        onRestarted={() => setGeneration((g) => g + 1)}
      />
      <ReplayDialog open={dialog === 'replay'} onClose={() => setDialog(null)} execution={execution} inputs={flowInputs} />
    </>
  );
}

function GraphArea({
  graph,
  error,
  store,
  focusTaskId,
  executionId,
  onSelect,
}: {
  graph: LaidOutGraph | null;
  error?: string;
  store: ReturnType<typeof createRunStore>;
  focusTaskId?: string;
  executionId: string;
  onSelect: (n: GraphNode) => void;
}) {
  if (!graph)
    return error ? (
      <ErrorState compact error={error} title="Could not draw the graph" />
    ) : (
      <div className={s.graphLoading}>
        <Spinner size={16} /> Laying out the graph…
      </div>
    );
  if (!graph.nodes.length)
    return (
      <EmptyState icon="graph" title="No tasks to draw">
        The flow revision of this execution has no tasks.
      </EmptyState>
    );
  return (
    <FlowGraph
      graph={graph}
      store={store}
      onSelect={onSelect}
      focusTaskId={focusTaskId}
      fitKey={executionId}
      label="Execution graph"
      toolbar={
        <span className={s.layoutTag} title="Layout used for this graph">
          {graph.layout} · {graph.nodes.filter((n) => n.kind === 'task').length} tasks
        </span>
      }
    />
  );
}

function StateCounts({ runs }: { runs: TaskRun[] }) {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.state.current, (counts.get(r.state.current) ?? 0) + 1);
  if (!counts.size) return null;
  return (
    <div className={s.counts} aria-label="Task runs by state">
      {[...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([state, n]) => (
          <span key={state} className={s.count} style={{ color: stateColors(state).color }} title={`${n} ${state}`}>
            <span className={s.countDot} style={{ background: stateColors(state).color }} />
            {n} {state.toLowerCase()}
          </span>
        ))}
    </div>
  );
}
