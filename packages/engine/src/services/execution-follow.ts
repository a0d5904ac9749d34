import { isTerminal } from '../states';
import type { ExecutionView } from './executions';
import type { ExecutionFeeds, FeedUpdate } from './execution-feed';

// Server-sent events for one execution, for the execution page: the first event carries the whole
// execution and its logs, later events only what changed (execution header, changed task runs,
// new log lines). Changes arrive through the shared ExecutionFeeds (PostgreSQL LISTEN/NOTIFY): the
// stream never polls, and many followers of one execution cost one read per change.
//
// Events: `revision` (the pinned flow revision, first, when readable), `execution` (full view),
// `patch` ({execution header, taskRuns: changed}), `logs` (new lines), `end` (the execution reached
// a terminal state and everything was sent), `error` (a read failed; the stream closes).

export interface FollowOptions {
  /** Events sent before the execution (the page needs the flow revision to draw the graph: sent here it saves a round trip). */
  prelude?: { event: string; data: unknown }[];
  heartbeatMs?: number;
}

type TaskRunView = { id: string };

/** The execution without its task runs: what a `patch` event carries besides the changed runs. */
function header(v: ExecutionView) {
  const { taskRunList: _ignored, ...rest } = v;
  return rest;
}

export function followExecution(feeds: ExecutionFeeds, tenant: string, first: ExecutionView, signal: AbortSignal, options: FollowOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const encoder = new TextEncoder();

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const enqueue = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const send = (event: string, data: unknown) => enqueue(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      // What this follower has been sent: task runs by content hash, log lines by id.
      const hashes = new Map<string, string>();
      let lastHeader = '';
      const sentLogs = new Set<string>();
      const changes = (v: ExecutionView) => {
        const changed = (v.taskRunList as TaskRunView[]).filter((t) => {
          const h = JSON.stringify(t);
          if (hashes.get(t.id) === h) return false;
          hashes.set(t.id, h);
          return true;
        });
        const head = JSON.stringify(header(v));
        const headChanged = head !== lastHeader;
        lastHeader = head;
        return { changed, headChanged };
      };
      const sendLogs = (lines: { id: string }[]) => {
        const fresh = lines.filter((l) => !sentLogs.has(l.id));
        for (const l of fresh) sentLogs.add(l.id);
        if (fresh.length) send('logs', fresh);
      };

      let afterEnd = 0;
      const finish = () => {
        if (closed) return;
        closed = true;
        clearInterval(beat);
        subscription.unsubscribe();
        signal.removeEventListener('abort', finish);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      const onUpdate = (update: FeedUpdate) => {
        if (closed) return;
        const { changed, headChanged } = changes(update.execution);
        if (changed.length || headChanged) send('patch', { ...header(update.execution), taskRuns: changed });
        sendLogs(update.logs);
        // After the end, two more reads pick up log lines written with the final state.
        if (isTerminal(update.execution.state.current)) {
          if (++afterEnd > 2) {
            send('end', { state: update.execution.state.current });
            finish();
            return;
          }
          subscription.refresh(250);
        }
      };

      // Subscribe before the first log read, so no change between the two is missed.
      const subscription = feeds.subscribe(tenant, first.id, onUpdate);
      const beat = setInterval(() => enqueue(': keep-alive\n\n'), heartbeatMs);
      signal.addEventListener('abort', finish);
      if (signal.aborted) return finish();
      changes(first);
      for (const p of options.prelude ?? []) send(p.event, p.data);
      send('execution', first);
      feeds.queries.logsAfter(first.id, 0n).then(
        (lines) => {
          sendLogs(lines);
          // An execution that had already ended: the feed's reads finish the stream.
          subscription.refresh(isTerminal(first.state.current) ? 0 : undefined);
        },
        (error: Error) => {
          send('error', { message: error.message });
          finish();
        },
      );
    },
  });
}
