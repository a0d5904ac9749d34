'use client';
import { useEffect, useRef, useState } from 'react';
import { tenantPath } from '@/modules/api/client';
import type { Execution, FlowRevision, LogLine, TaskRun } from '@/modules/api/types';

// The execution page's live view: one server-sent-events stream carries the execution, then only
// what changes (task runs, state) and new log lines. EventSource reconnects by itself; the server
// then sends the whole execution again, which replaces what is held here.

export interface FollowState {
  execution?: Execution;
  /** The flow revision the execution runs (sent first by the stream). */
  revision?: FlowRevision;
  logs: LogLine[];
  error?: string;
  /** The stream is open (false once the execution ended and everything arrived). */
  live: boolean;
  notFound?: boolean;
}

/**
 * @param onRevision called the moment the revision arrives, before React renders anything: the
 *   page starts the graph layout in the worker while the execution is still streaming in.
 */
export function useExecutionFollow(tenant: string, id: string, onRevision?: (r: FlowRevision) => void, generation = 0): FollowState {
  const [state, setState] = useState<FollowState>({ logs: [], live: true });
  const logsRef = useRef<LogLine[]>([]);
  const onRevisionRef = useRef(onRevision);
  onRevisionRef.current = onRevision;

  useEffect(() => {
    logsRef.current = [];
    setState((s) => ({ ...s, live: true, error: undefined }));
    const source = new EventSource(`${tenantPath(tenant, 'executions', id, 'follow')}`);
    let ended = false;
    // Bursts of events (500 task runs finishing) are applied once per frame.
    let pending: ((s: FollowState) => FollowState)[] = [];
    let frame = 0;
    const apply = (fn: (s: FollowState) => FollowState) => {
      pending.push(fn);
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          const fns = pending;
          pending = [];
          setState((s) => fns.reduce((acc, f) => f(acc), s));
        });
    };

    source.addEventListener('revision', (e) => {
      const revision = JSON.parse((e as MessageEvent).data) as FlowRevision;
      mark('baton:revision-received');
      onRevisionRef.current?.(revision);
      apply((s) => ({ ...s, revision }));
    });
    source.addEventListener('execution', (e) => {
      const execution = JSON.parse((e as MessageEvent).data) as Execution;
      mark('baton:execution-received');
      logsRef.current = [];
      apply((s) => ({ ...s, execution, logs: [], error: undefined }));
    });
    source.addEventListener('patch', (e) => {
      const patch = JSON.parse((e as MessageEvent).data) as Omit<Execution, 'taskRunList'> & { taskRuns: TaskRun[] };
      apply((s) => {
        if (!s.execution) return s;
        const { taskRuns, ...header } = patch;
        const list = [...s.execution.taskRunList];
        const index = new Map(list.map((t, i) => [t.id, i]));
        for (const t of taskRuns) {
          const i = index.get(t.id);
          if (i === undefined) list.push(t);
          else list[i] = t;
        }
        return { ...s, execution: { ...s.execution, ...header, taskRunList: list } };
      });
    });
    source.addEventListener('logs', (e) => {
      const lines = JSON.parse((e as MessageEvent).data) as LogLine[];
      if (!lines.length) return;
      logsRef.current = logsRef.current.concat(lines);
      const logs = logsRef.current;
      apply((s) => ({ ...s, logs }));
    });
    source.addEventListener('end', () => {
      ended = true;
      source.close();
      apply((s) => ({ ...s, live: false }));
    });
    source.addEventListener('error', (e) => {
      const data = (e as MessageEvent).data;
      if (data) {
        apply((s) => ({ ...s, error: (JSON.parse(data) as { message: string }).message }));
        return;
      }
      if (ended) return;
      // A transport error: EventSource retries by itself. An HTTP error (404) closes it for good.
      if (source.readyState === EventSource.CLOSED) {
        void fetch(tenantPath(tenant, 'executions', id), { headers: { accept: 'application/json' } }).then(
          async (r) => {
            const body = (await r.json().catch(() => ({}))) as { message?: string };
            if (r.status === 404) apply((s) => ({ ...s, live: false, notFound: true, error: body.message ?? `execution ${id} not found` }));
            else apply((s) => ({ ...s, live: false, error: `The live stream closed (${r.status}${body.message ? `: ${body.message}` : ''}); reload the page to reconnect.` }));
          },
          () => apply((s) => ({ ...s, live: false, error: 'Baton’s server cannot be reached. Check that it is running, then reload the page.' })),
        );
      }
    });
    return () => {
      source.close();
      cancelAnimationFrame(frame);
    };
    // `generation` reopens the stream after the execution was restarted (it had ended).
  }, [tenant, id, generation]);

  return state;
}

/** Marks the page's milestones once (the UI benchmark reads them). */
export function mark(name: string) {
  if (typeof performance !== 'undefined' && !performance.getEntriesByName(name).length) performance.mark(name);
}
