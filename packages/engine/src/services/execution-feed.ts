import type { ExecutionService, ExecutionView } from './executions';
import type { UiQueryService } from './ui-queries';

// One reader per followed execution, shared by every page that follows it. A change notification
// (PostgreSQL LISTEN/NOTIFY, see ExecutionChangeListener in @baton/db) makes the feed read the
// execution and its new log lines ONCE and hand them to every subscriber, so database reads grow
// with the number of changes, not with the number of people watching.

export type LogLine = Awaited<ReturnType<UiQueryService['logsAfter']>>[number];

export interface FeedUpdate {
  execution: ExecutionView;
  /** Log lines not handed out by this feed before (a late-committed line included). */
  logs: LogLine[];
}

/** What the feed needs from the change listener (ExecutionChangeListener in @baton/db). */
export interface ChangeSource {
  subscribe(executionId: string, listener: () => void): () => void;
}

export interface FeedOptions {
  /** Changes closer together than this are read once (ms). */
  coalesceMs?: number;
  /** A read even without a notification, in case one was lost (ms). */
  safetyPollMs?: number;
  /** A log line may commit after a higher id was read; ids are re-read for this long (ms). */
  logSettleMs?: number;
}

type Subscriber = (update: FeedUpdate) => void;

class Feed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly stopListening: () => void;
  private readonly safety: NodeJS.Timeout;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private again = false;
  private settled = 0n;
  private readonly recent = new Map<bigint, number>();
  reads = 0;

  constructor(
    private readonly owner: ExecutionFeeds,
    readonly tenant: string,
    readonly id: string,
    private readonly options: Required<FeedOptions>,
  ) {
    this.stopListening = owner.changes.subscribe(id, () => this.schedule());
    this.safety = setInterval(() => this.schedule(), options.safetyPollMs);
    this.safety.unref();
  }

  add(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
      if (!this.subscribers.size) this.close();
    };
  }

  /** Reads soon; changes that arrive meanwhile are folded into the same read. */
  schedule(delayMs = this.options.coalesceMs) {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, delayMs);
  }

  private async read() {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      this.reads++;
      const [execution, logs] = await Promise.all([this.owner.executions.get(this.tenant, this.id), this.readLogs()]);
      for (const subscriber of [...this.subscribers]) subscriber({ execution, logs });
    } catch {
      // A failed read (database restarting) is retried by the next notification or safety poll.
    } finally {
      this.reading = false;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }

  private async readLogs(): Promise<LogLine[]> {
    const lines = await this.owner.queries.logsAfter(this.id, this.settled);
    const now = Date.now();
    const fresh = lines.filter((l) => !this.recent.has(BigInt(l.id)));
    for (const l of fresh) this.recent.set(BigInt(l.id), now);
    for (const [lineId, seenAt] of this.recent) {
      if (now - seenAt > this.options.logSettleMs) {
        if (lineId > this.settled) this.settled = lineId;
        this.recent.delete(lineId);
      }
    }
    return fresh;
  }

  private close() {
    this.stopListening();
    clearInterval(this.safety);
    if (this.timer) clearTimeout(this.timer);
    this.owner.forget(this);
  }
}

/** The feeds of one process, keyed by execution. */
export class ExecutionFeeds {
  private readonly feeds = new Map<string, Feed>();
  private readonly options: Required<FeedOptions>;

  constructor(
    readonly queries: UiQueryService,
    readonly executions: ExecutionService,
    readonly changes: ChangeSource,
    options: FeedOptions = {},
  ) {
    this.options = { coalesceMs: options.coalesceMs ?? 25, safetyPollMs: options.safetyPollMs ?? 5_000, logSettleMs: options.logSettleMs ?? 3_000 };
  }

  /** Follows an execution; returns the unsubscribe. `refresh` asks for a read soon. */
  subscribe(tenant: string, id: string, onUpdate: Subscriber): { unsubscribe: () => void; refresh: (delayMs?: number) => void } {
    const key = `${tenant}\u0000${id}`;
    let feed = this.feeds.get(key);
    if (!feed) this.feeds.set(key, (feed = new Feed(this, tenant, id, this.options)));
    const target = feed;
    return { unsubscribe: target.add(onUpdate), refresh: (delayMs) => target.schedule(delayMs) };
  }

  /** Database reads made by all feeds so far (benchmarks compare it with the number of viewers). */
  get reads(): number {
    let total = this.retiredReads;
    for (const feed of this.feeds.values()) total += feed.reads;
    return total;
  }

  private retiredReads = 0;

  forget(feed: Feed) {
    this.retiredReads += feed.reads;
    this.feeds.delete(`${feed.tenant}\u0000${feed.id}`);
  }
}
