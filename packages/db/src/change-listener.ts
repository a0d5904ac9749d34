// One LISTEN connection per process for the `baton_execution_changes` channel (filled by the
// triggers of migration 20261202180000_execution_change_notify), or another channel whose payload is
// an execution id (`baton_execution_kills`). Listeners subscribe per
// execution id; a notification reaches only the listeners of that execution.
//
// While the connection is down (PostgreSQL restarting) every listener is called once a second,
// so pages keep updating by polling until LISTEN is back; after a reconnect every listener is
// called once, to catch what changed while nobody listened.
import pg from 'pg';

export const EXECUTION_CHANGES_CHANNEL = 'baton_execution_changes';
/**
 * Executions being killed (docs/kill-switch.md): the `kill` transitions notify it with the
 * execution id, and each worker LISTENs on it to abort that execution's running tasks at once
 * instead of at their next heartbeat. Listeners check the state themselves (the fallback below
 * calls them while the connection is down).
 */
export const EXECUTION_KILLS_CHANNEL = 'baton_execution_kills';

type Listener = () => void;

export class ExecutionChangeListener {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private fallback: NodeJS.Timeout | undefined;
  private retryMs = 500;
  private closed = false;
  /** Notifications received, for benchmarks and tests. */
  notifications = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string = EXECUTION_CHANGES_CHANNEL,
  ) {}

  /** Calls `listener` after each committed change of the execution; returns the unsubscribe. */
  subscribe(executionId: string, listener: Listener): () => void {
    let set = this.listeners.get(executionId);
    if (!set) this.listeners.set(executionId, (set = new Set()));
    set.add(listener);
    void this.ensureConnected();
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(executionId);
    };
  }

  /** Resolves once LISTEN is active (tests and benchmarks wait for it). */
  ready(): Promise<void> {
    return this.ensureConnected();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopFallback();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    }));
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      this.notifications++;
      if (message.payload) this.notify(message.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch {
      await client.end().catch(() => {});
      this.lost(undefined);
      return;
    }
    const reconnected = this.fallback !== undefined;
    this.client = client;
    this.retryMs = 500;
    this.stopFallback();
    if (reconnected) for (const id of this.listeners.keys()) this.notify(id);
  }

  private lost(client: pg.Client | undefined) {
    if (client && this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.startFallback();
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => void this.ensureConnected(), delay).unref();
  }

  private notify(executionId: string) {
    for (const listener of this.listeners.get(executionId) ?? []) listener();
  }

  private startFallback() {
    this.fallback ??= setInterval(() => {
      for (const id of this.listeners.keys()) this.notify(id);
    }, 1_000);
    this.fallback.unref();
  }

  private stopFallback() {
    if (this.fallback) clearInterval(this.fallback);
    this.fallback = undefined;
  }
}
