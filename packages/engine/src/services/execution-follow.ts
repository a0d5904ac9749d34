import { isTerminal } from '../states';
import type { ExecutionService, ExecutionView } from './executions';
import type { UiQueryService } from './ui-queries';

// Server-sent events for one execution, for the execution page: the first event carries the whole
// execution and its logs, later events only what changed (execution header, changed task runs,
// new log lines). The projection in PostgreSQL is polled every `intervalMs`, so the page lags the
// engine by about that much; one stream per open page replaces N clients polling N endpoints.
//
// Events: `revision` (the pinned flow revision, first, when readable), `execution` (full view), `patch` ({execution header, taskRuns: changed}), `logs` (new
// lines), `end` (the execution reached a terminal state and everything was sent).

export interface FollowOptions {
  /** Events sent before the execution (the page needs the flow revision to draw the graph: sent here it saves a round trip). */
  prelude?: { event: string; data: unknown }[];
  intervalMs?: number;
  /** A log line may commit after a higher id was read; ids are re-read for this long. */
  logSettleMs?: number;
  heartbeatMs?: number;
}

type TaskRunView = { id: string };

export function followExecution(queries: UiQueryService, executions: ExecutionService, tenant: string, first: ExecutionView, signal: AbortSignal, options: FollowOptions = {}) {
  const intervalMs = options.intervalMs ?? 250;
  const settleMs = options.logSettleMs ?? 3_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const encoder = new TextEncoder();
  const id = first.id;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      signal.addEventListener('abort', close);
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };

      // Log cursor: ids at or below `settled` are final; newer ids seen recently are remembered so
      // a line that commits late (lower id, later commit) is still sent exactly once.
      let settled = 0n;
      const recent = new Map<bigint, number>();
      const readLogs = async () => {
        const lines = await queries.logsAfter(id, settled);
        const now = Date.now();
        const fresh = lines.filter((l) => !recent.has(BigInt(l.id)));
        for (const l of fresh) recent.set(BigInt(l.id), now);
        for (const [lineId, seenAt] of recent) {
          if (now - seenAt > settleMs) {
            if (lineId > settled) settled = lineId;
            recent.delete(lineId);
          }
        }
        return fresh;
      };

      const hashes = new Map<string, string>();
      const header = (v: ExecutionView) => {
        const { taskRunList: _ignored, ...rest } = v;
        return rest;
      };
      let lastHeader = '';
      const diff = (v: ExecutionView) => {
        const changed: unknown[] = [];
        for (const t of v.taskRunList as TaskRunView[]) {
          const h = JSON.stringify(t);
          if (hashes.get(t.id) !== h) {
            hashes.set(t.id, h);
            changed.push(t);
          }
        }
        const head = JSON.stringify(header(v));
        const headChanged = head !== lastHeader;
        lastHeader = head;
        return { changed, headChanged };
      };

      try {
        diff(first);
        for (const p of options.prelude ?? []) send(p.event, p.data);
        send('execution', first);
        send('logs', await readLogs());
        let lastBeat = Date.now();
        let current = first;
        let drained = 0;
        while (!closed) {
          // After the end, one more round picks up log lines written with the final state.
          if (isTerminal(current.state.current) && ++drained > 2) {
            send('end', { state: current.state.current });
            break;
          }
          await new Promise((r) => setTimeout(r, intervalMs));
          if (closed) break;
          current = await executions.get(tenant, id);
          const { changed, headChanged } = diff(current);
          if (changed.length || headChanged) send('patch', { ...header(current), taskRuns: changed });
          const lines = await readLogs();
          if (lines.length) send('logs', lines);
          if (Date.now() - lastBeat > heartbeatMs) {
            if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
            lastBeat = Date.now();
          }
        }
      } catch (error) {
        send('error', { message: (error as Error).message });
      } finally {
        signal.removeEventListener('abort', close);
        close();
      }
    },
  });
}
