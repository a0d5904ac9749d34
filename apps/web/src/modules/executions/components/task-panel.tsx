'use client';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { useHref } from '@/components/app-shell/app-context';
import { dateTime, durationBetween, formatMs } from '@/components/format';
import { Icon } from '@/components/icons';
import { JsonViewer } from '@/components/json-viewer';
import { StateBadge } from '@/components/state-badge';
import { Badge, IconButton, Select, Tabs, tabPanelProps } from '@/components/ui';
import type { LogLine, TaskRun } from '@/modules/api/types';
import { latestRuns } from '@/modules/graph/lib/run-store';
import type { GraphNode } from '@/modules/graph/lib/types';
import { FileLinks } from './file-links';
import { LogView } from './log-view';
import s from './execution.module.css';
import { isTerminal } from '@baton/contract';

type PanelTab = 'overview' | 'outputs' | 'properties' | 'logs';

/**
 * Everything about one task of the execution: its runs (ForEach iterations), attempts with their
 * errors, outputs, the properties as rendered (secrets masked by the server) and its logs.
 */
export function TaskPanel({
  node,
  runs,
  logs,
  running,
  onClose,
  initialTab,
}: {
  node: GraphNode;
  runs: TaskRun[];
  logs: LogLine[];
  running: boolean;
  onClose: () => void;
  initialTab?: PanelTab;
}) {
  const href = useHref();
  const [tab, setTab] = useState<PanelTab>(initialTab ?? 'overview');
  const [runId, setRunId] = useState<string | undefined>();
  useEffect(() => {
    setRunId(undefined);
    setTab(initialTab ?? 'overview');
  }, [node.id, initialTab]);
  // Default to the current run that needs attention: failed, else running, else the last.
  // (After a restart, the runs of the previous attempt stay selectable as history.)
  const run = useMemo(() => {
    const current = latestRuns(runs);
    return (
      runs.find((r) => r.id === runId) ??
      current.find((r) => r.state.current === 'FAILED') ??
      current.find((r) => !['SUCCESS', 'SKIPPED'].includes(r.state.current)) ??
      current[current.length - 1]
    );
  }, [runs, runId]);
  const runLogs = useMemo(() => (run ? logs.filter((l) => l.taskRunId === run.id) : []), [logs, run]);
  const subflowExecution = (run?.outputs as { executionId?: string } | undefined)?.executionId;

  return (
    <aside className={s.panel} aria-label={`Task ${node.taskId}`} data-testid="task-panel">
      <header className={s.panelHeader}>
        <div className={s.panelTitle}>
          <span className="mono">{node.taskId}</span>
          {run ? <StateBadge state={run.state.current} size="sm" /> : <Badge>not started</Badge>}
        </div>
        <IconButton icon="x" label="Close the task panel" size="sm" onClick={onClose} />
      </header>
      <div className={s.panelSub}>
        <code title={node.type}>{node.shortType}</code>
        {runs.length > 1 ? (
          <Select value={run?.id} onChange={(e) => setRunId(e.target.value)} aria-label="Run (iteration)" style={{ height: 26, width: 'auto', maxWidth: 200 }}>
            {runs.map((r, i) => (
              <option key={r.id} value={r.id}>
                {r.value !== null ? `value ${r.value}` : `run ${i + 1}`} · {r.state.current}
              </option>
            ))}
          </Select>
        ) : null}
        {subflowExecution ? (
          <Link href={href('executions', subflowExecution)} className={s.subflowLink}>
            <Icon name="external" size={12} />
            subflow execution
          </Link>
        ) : null}
      </div>
      <Tabs<PanelTab>
        idPrefix="task"
        value={tab}
        onChange={setTab}
        items={[
          { id: 'overview', label: 'Attempts', count: run?.attempts.length || undefined },
          { id: 'outputs', label: 'Outputs' },
          { id: 'properties', label: 'Properties' },
          { id: 'logs', label: 'Logs', count: runLogs.length || undefined },
        ]}
      />
      <div className={s.panelBody} {...tabPanelProps('task', tab)}>
        {!run ? (
          <p className="muted">
            This task has not started{running ? ' yet' : ''}.{!running ? ' It was skipped by a branch, a condition or an earlier failure.' : ''}
          </p>
        ) : tab === 'overview' ? (
          <div className={s.attempts}>
            {run.error ? (
              <div className={s.errorBox} role="alert">
                <Icon name="alert" size={14} />
                <pre>{run.error}</pre>
              </div>
            ) : null}
            <dl className={s.facts}>
              <dt>Started</dt>
              <dd>{dateTime(run.state.startDate)}</dd>
              <dt>Ended</dt>
              <dd>{run.state.endDate ? dateTime(run.state.endDate) : '—'}</dd>
              <dt>Duration</dt>
              <dd>{formatMs(durationBetween(run.state.startDate, run.state.endDate))}</dd>
              <dt>Task run</dt>
              <dd className="mono">{run.id}</dd>
            </dl>
            {run.attempts.length ? (
              <ol className={s.attemptList}>
                {run.attempts.map((a) => (
                  <li key={a.attempt} className={s.attempt}>
                    <div className={s.attemptHead}>
                      <span className={s.attemptNo}>Attempt {a.attempt}</span>
                      <StateBadge state={a.state.current} size="sm" />
                      <span className="muted">{formatMs(durationBetween(a.state.startDate, a.state.endDate))}</span>
                    </div>
                    {a.error ? <pre className={s.attemptError}>{a.error}</pre> : null}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted" style={{ fontSize: 12.5 }}>
                Flowable tasks run inside the workflow: no attempts.
              </p>
            )}
            <h4 className={s.historyTitle}>State history</h4>
            <ol className={s.history}>
              {(run.state.histories ?? []).map((h, i) => (
                <li key={i}>
                  <StateBadge state={h.state} size="sm" /> <span className="muted">{dateTime(h.date)}</span>
                </li>
              ))}
            </ol>
          </div>
        ) : tab === 'outputs' ? (
          <>
            <JsonViewer value={run.outputs} label="Outputs" />
            {run.executionId ? <FileLinks executionId={run.executionId} value={run.outputs} /> : null}
          </>
        ) : tab === 'properties' ? (
          run.renderedProperties ? (
            <JsonViewer value={run.renderedProperties} label="Rendered properties" />
          ) : (
            <p className="muted">Rendered properties are recorded for runnable tasks when they run.</p>
          )
        ) : (
          <div className={s.panelLogs}>
            <LogView logs={runLogs} running={running && !isTerminal(run.state.current)} showTask={false} emptyText="This task run wrote no log line." testId="task-logs" />
          </div>
        )}
      </div>
    </aside>
  );
}
