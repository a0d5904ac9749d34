import type { Db } from '@baton/db';
import { appendAttemptLogs, type RunTaskInput } from '@baton/engine';
import type { LogEntry, SecretMasker } from '@baton/plugin-sdk';
import { LOG_LEVELS } from '@baton/contract';

const FLUSH_MS = 300;
const LEVELS: readonly string[] = LOG_LEVELS;

/**
 * Buffers a task attempt's log lines and writes them in batches, so a chatty task costs a few
 * inserts, not one per line, through the engine's appendAttemptLogs (numbered per attempt, so a
 * retried flush never duplicates a line).
 */
export class LogWriter {
  private buffer: { seq: number; entry: LogEntry }[] = [];
  private seq = 0;
  private readonly timer: NodeJS.Timeout;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly input: RunTaskInput,
    private readonly attempt: number,
    private readonly masker: SecretMasker,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => {}), FLUSH_MS);
  }

  add(entry: LogEntry) {
    // The task's `logLevel` drops lines below it; errors of the attempt itself are always kept.
    if (LEVELS.indexOf(entry.level) < LEVELS.indexOf(this.input.task.logLevel ?? 'TRACE') && entry.level !== 'ERROR') return;
    this.buffer.push({ seq: this.seq++, entry });
  }

  flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.pending;
    this.pending = this.pending.then(() =>
      appendAttemptLogs(
        this.db,
        { executionId: this.input.executionId, taskRunId: this.input.taskRunId, taskId: this.input.task.id, attempt: this.attempt },
        batch.map(({ seq, entry }) => ({
          seq,
          level: entry.level,
          // Masked again at write time: a secret learned after the line was logged is caught too.
          message: this.masker.maskText(entry.fields ? `${entry.message} ${JSON.stringify(entry.fields)}` : entry.message),
          timestamp: new Date(entry.timestamp),
        })),
      ),
    );
    return this.pending;
  }

  close() {
    clearInterval(this.timer);
  }
}
