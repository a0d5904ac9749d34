'use client';
import { useEffect, useMemo, useState } from 'react';
import { formatMs } from '@/components/format';
import { StateIcon, stateColors } from '@/components/state-badge';
import type { Execution, TaskRun } from '@/modules/api/types';
import { isTerminal } from '@/modules/api/types';
import s from './execution.module.css';

// When each task run started and ended, relative to the execution, with attempts as segments
// and nesting shown by indentation. Retries and long waits are obvious at a glance.

interface Row {
  run: TaskRun;
  depth: number;
  start: number;
  end: number;
}

export function Gantt({ execution, onSelect, selectedTaskId }: { execution: Execution; onSelect: (taskId: string) => void; selectedTaskId?: string }) {
  const running = !isTerminal(execution.state.current);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [running]);

  const { rows, t0, total } = useMemo(() => {
    const t0 = Date.parse(execution.state.startDate ?? '') || now;
    const byParent = new Map<string | null, TaskRun[]>();
    for (const r of execution.taskRunList) {
      const k = r.parentTaskRunId ?? null;
      if (!byParent.has(k)) byParent.set(k, []);
      byParent.get(k)!.push(r);
    }
    const rows: Row[] = [];
    const startOf = (r: TaskRun) => Date.parse(r.state.startDate ?? r.state.histories?.[0]?.date ?? '') || t0;
    const walk = (parent: string | null, depth: number) => {
      const list = [...(byParent.get(parent) ?? [])].sort((a, b) => startOf(a) - startOf(b));
      for (const run of list) {
        const start = startOf(run);
        const end = run.state.endDate ? Date.parse(run.state.endDate) : isTerminal(run.state.current) ? start : now;
        rows.push({ run, depth, start, end });
        walk(run.id, depth + 1);
      }
    };
    walk(null, 0);
    // Runs whose parent is unknown (should not happen) still show.
    const shown = new Set(rows.map((r) => r.run.id));
    for (const run of execution.taskRunList)
      if (!shown.has(run.id)) rows.push({ run, depth: 0, start: startOf(run), end: run.state.endDate ? Date.parse(run.state.endDate) : now });
    const endAll = execution.state.endDate ? Date.parse(execution.state.endDate) : now;
    const total = Math.max(1, endAll - t0, ...rows.map((r) => r.end - t0));
    return { rows, t0, total };
  }, [execution, now]);

  if (!rows.length)
    return (
      <p className="muted" style={{ padding: 20 }}>
        No task has started yet.
      </p>
    );
  const ticks = niceTicks(total);
  const pct = (ms: number) => `${Math.max(0, Math.min(100, (ms / total) * 100))}%`;

  return (
    <div className={s.gantt} data-testid="gantt">
      <div className={s.ganttHeader}>
        <div className={s.ganttLabelCol}>Task</div>
        <div className={s.ganttAxis}>
          {ticks.map((t) => (
            <span key={t} className={s.tick} style={{ left: pct(t) }}>
              {formatMs(t)}
            </span>
          ))}
        </div>
      </div>
      <div className={s.ganttRows}>
        {rows.map(({ run, depth, start, end }) => {
          const { color, soft } = stateColors(run.state.current);
          const attempts = run.attempts ?? [];
          return (
            <button
              type="button"
              key={run.id}
              className={`${s.ganttRow} ${selectedTaskId === run.taskId ? s.ganttSelected : ''}`}
              onClick={() => onSelect(run.taskId)}
              title={`${run.taskId}${run.value !== null ? ` (${run.value})` : ''}: ${run.state.current}, ${formatMs(end - start)}`}
            >
              <span className={s.ganttLabel} style={{ paddingLeft: 8 + depth * 14 }}>
                <span style={{ color }}>
                  <StateIcon state={run.state.current} size={12} />
                </span>
                <span className="mono">{run.taskId}</span>
                {run.value !== null ? <span className="muted">[{run.value}]</span> : null}
              </span>
              <span className={s.ganttTrack}>
                {ticks.map((t) => (
                  <span key={t} className={s.gridLine} style={{ left: pct(t) }} />
                ))}
                <span className={s.bar} style={{ left: pct(start - t0), width: `max(3px, ${pct(end - start)})`, background: soft, borderColor: color }}>
                  {attempts.length > 1
                    ? attempts.map((a) => {
                        const as = Date.parse(a.state.startDate ?? '') || start;
                        const ae = a.state.endDate ? Date.parse(a.state.endDate) : end;
                        const c = stateColors(a.state.current).color;
                        return (
                          <span
                            key={a.attempt}
                            className={s.attemptSeg}
                            style={{ left: `${((as - start) / Math.max(1, end - start)) * 100}%`, width: `${((ae - as) / Math.max(1, end - start)) * 100}%`, background: c }}
                          />
                        );
                      })
                    : null}
                </span>
                <span className={s.barLabel} style={{ left: `calc(${pct(end - t0)} + 6px)` }}>
                  {formatMs(end - start)}
                  {attempts.length > 1 ? ` · ${attempts.length} attempts` : ''}
                </span>
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}

function niceTicks(total: number): number[] {
  const steps = [
    50, 100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
  ];
  const step = steps.find((s) => total / s <= 8) ?? 86_400_000;
  const out: number[] = [];
  for (let t = 0; t <= total; t += step) out.push(t);
  return out;
}
