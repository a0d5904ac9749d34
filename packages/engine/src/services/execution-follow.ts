import { isTerminal } from '../states';
import type { ExecutionService, ExecutionView } from './executions';
import type { UiQueryService } from './ui-queries';
import type { ExecutionFeeds, FeedUpdate } from './execution-feed';

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
  /**
   * Shared, notification-driven reads (LISTEN/NOTIFY): the stream waits for changes instead of
   * polling every `intervalMs`, and many followers of one execution cost one read per change.
   */
  feeds?: ExecutionFeeds;
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

      if (options.feeds) {
        await followLive(options.feeds, { tenant, first, signal, heartbeatMs, prelude: options.prelude ?? [], send, diff, header, close, closed: () => closed, enqueue: (text) => controller.enqueue(encoder.encode(text)) });
        signal.removeEventListener('abort', close);
        return;
      }
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

interface LiveStream {
  tenant: string;
  first: ExecutionView;
  signal: AbortSignal;
  heartbeatMs: number;
  prelude: { event: string; data: unknown }[];
  send: (event: string, data: unknown) => void;
  diff: (v: ExecutionView) => { changed: unknown[]; headChanged: boolean };
  header: (v: ExecutionView) => unknown;
  close: () => void;
  closed: () => boolean;
  enqueue: (text: string) => void;
}

/** Follows through the shared feed: one read per change for all followers, no polling. */
async function followLive(feeds: ExecutionFeeds, s: LiveStream): Promise<void> {
  const sent = new Set<string>();
  const sendLogs = (lines: { id: string }[]) => {
    const fresh = lines.filter((l) => !sent.has(l.id));
    for (const l of fresh) sent.add(l.id);
    if (fresh.length) s.send('logs', fresh);
  };
  await new Promise<void>((resolve) => {
    let afterEnd = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(beat);
      subscription.unsubscribe();
      s.close();
      resolve();
    };
    const onUpdate = (update: FeedUpdate) => {
      if (s.closed()) return finish();
      const { changed, headChanged } = s.diff(update.execution);
      if (changed.length || headChanged) s.send('patch', { ...(s.header(update.execution) as object), taskRuns: changed });
      sendLogs(update.logs);
      // After the end, two more reads pick up log lines written with the final state.
      if (isTerminal(update.execution.state.current)) {
        if (++afterEnd > 2) {
          s.send('end', { state: update.execution.state.current });
          return finish();
        }
        subscription.refresh(250);
      }
    };
    // Subscribe before the first read, so no change between the two is missed.
    const subscription = feeds.subscribe(s.tenant, s.first.id, onUpdate);
    const beat = setInterval(() => {
      if (s.closed()) return finish();
      s.enqueue(': keep-alive\n\n');
    }, s.heartbeatMs);
    s.signal.addEventListener('abort', finish);
    s.diff(s.first);
    for (const p of s.prelude) s.send(p.event, p.data);
    s.send('execution', s.first);
    feeds.queries.logsAfter(s.first.id, 0n).then(
      (lines) => {
        sendLogs(lines);
        // An execution that had already ended: the feed's reads finish the stream.
        subscription.refresh(isTerminal(s.first.state.current) ? 0 : undefined);
      },
      (error: Error) => {
        s.send('error', { message: error.message });
        finish();
      },
    );
  });
}
