'use client';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { timeOfDay } from '@/components/format';
import { Icon } from '@/components/icons';
import { Button, Checkbox, Select, TextInput } from '@/components/ui';
import type { LogLine } from '@/modules/api/types';
import s from './execution.module.css';
import { LOG_LEVELS } from '@baton/contract';

// Logs with a minimum level, a search, and "follow" (stick to the newest line while it runs).
// Only the visible rows are in the DOM, so 10,000 lines scroll as smoothly as 10.

const LEVELS = LOG_LEVELS;
const ROW = 20;

export function LogView({
  logs,
  running,
  showTask = true,
  emptyText,
  onTaskClick,
  testId = 'logs',
}: {
  logs: LogLine[];
  running: boolean;
  showTask?: boolean;
  emptyText: string;
  onTaskClick?: (taskId: string) => void;
  testId?: string;
}) {
  const [minLevel, setMinLevel] = useState<(typeof LEVELS)[number]>('TRACE');
  const [q, setQ] = useState('');
  const [follow, setFollow] = useState(running);
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useEffect(() => setFollow(running), [running]);

  const filtered = useMemo(() => {
    const min = LEVELS.indexOf(minLevel);
    const needle = q.trim().toLowerCase();
    return logs.filter((l) => LEVELS.indexOf(l.level) >= min && (!needle || l.message.toLowerCase().includes(needle) || (l.taskId ?? '').toLowerCase().includes(needle)));
  }, [logs, minLevel, q]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const l of logs) c[l.level] = (c[l.level] ?? 0) + 1;
    return c;
  }, [logs]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [filtered.length, follow]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - 10);
  const last = Math.min(filtered.length, Math.ceil((scrollTop + height) / ROW) + 10);
  const firstError = filtered.findIndex((l) => l.level === 'ERROR');

  return (
    <div className={s.logs} data-testid={testId}>
      <div className={s.logsToolbar}>
        <Select value={minLevel} onChange={(e) => setMinLevel(e.target.value as (typeof LEVELS)[number])} aria-label="Minimum level" style={{ width: 130, height: 28 }}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l === 'TRACE' ? 'All levels' : `${l} and up`}
              {counts[l] ? ` (${counts[l]})` : ''}
            </option>
          ))}
        </Select>
        <TextInput icon="search" placeholder="Search logs…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search logs" style={{ height: 28, width: 220 }} />
        {firstError >= 0 ? (
          <Button
            size="sm"
            variant="ghost"
            icon="alert"
            onClick={() => {
              setFollow(false);
              if (box.current) box.current.scrollTop = firstError * ROW - 40;
            }}
          >
            First error
          </Button>
        ) : null}
        <span style={{ flex: 1 }} />
        <span className="muted" style={{ fontSize: 12 }}>
          {filtered.length === logs.length ? `${logs.length} ${logs.length === 1 ? 'line' : 'lines'}` : `${filtered.length} of ${logs.length} lines`}
        </span>
        <Checkbox
          label={
            <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
              <Icon name="follow" size={13} />
              Follow
            </span>
          }
          checked={follow}
          onChange={(e) => setFollow(e.target.checked)}
        />
      </div>
      <div
        ref={box}
        className={s.logLines}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          // Scrolling up stops following; reaching the bottom again resumes it.
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW;
          if (!atBottom && follow) setFollow(false);
          if (atBottom && running && !follow) setFollow(true);
        }}
        role="log"
        aria-live={follow ? 'polite' : 'off'}
        tabIndex={0}
      >
        {filtered.length === 0 ? (
          <div className={s.logsEmpty}>{logs.length ? 'No line matches the filter.' : emptyText}</div>
        ) : (
          <div style={{ height: filtered.length * ROW, position: 'relative' }}>
            {filtered.slice(first, last).map((l, i) => (
              <div key={first + i} className={`${s.logLine} ${s[`lvl${l.level}`] ?? ''}`} style={{ top: (first + i) * ROW }}>
                <span className={s.logTime} title={l.timestamp}>
                  {timeOfDay(l.timestamp)}
                </span>
                <span className={s.logLevel}>{l.level}</span>
                {showTask ? (
                  <button
                    type="button"
                    className={s.logTask}
                    onClick={() => l.taskId && onTaskClick?.(l.taskId)}
                    title={l.attemptNumber > 1 ? `attempt ${l.attemptNumber}` : undefined}
                  >
                    {l.taskId ?? 'execution'}
                    {l.attemptNumber > 1 ? ` #${l.attemptNumber}` : ''}
                  </button>
                ) : l.attemptNumber > 1 ? (
                  <span className={s.logTask}>#{l.attemptNumber}</span>
                ) : null}
                <span className={s.logMsg} title={l.message}>
                  {l.message}
                </span>
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
