import { Worker } from 'node:worker_threads';

/** One jq program may run this long before its thread is ended and the task fails with the reason. */
export const JQ_TIMEOUT_MS = 5_000;
/** Output larger than this is refused: expressions render into properties, not into files. */
export const JQ_MAX_OUTPUT_CHARS = 8 * 1024 * 1024;

interface Pending {
  id: number;
  input: string;
  program: string;
  resolve: (values: unknown[]) => void;
  reject: (error: Error) => void;
}

/**
 * Runs real jq programs, one at a time, in a worker thread with a time limit. The expression
 * renderer is synchronous, so activities ask for jq results before rendering (see run-task.ts):
 * this is the asynchronous half.
 */
export class JqRunner {
  private thread: Worker | undefined;
  private queue: Pending[] = [];
  private current: { job: Pending; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;

  /** @param timeoutMs how long one program may run (JQ_TIMEOUT_MS; tests use less). */
  constructor(private readonly timeoutMs = JQ_TIMEOUT_MS) {}

  /** Every output of `program` on `input` (JSON text), like Kestra's jq filter. */
  run(input: string, program: string): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, program, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await this.thread?.terminate();
    this.thread = undefined;
  }

  private pump() {
    if (this.current || !this.queue.length) return;
    const job = this.queue.shift()!;
    const thread = this.ensureThread();
    const timer = setTimeout(() => {
      // A runaway program: end the thread (the next job gets a new one) and say which program.
      this.current = undefined;
      void thread.terminate();
      this.thread = undefined;
      job.reject(new Error(`jq '${short(job.program)}' ran longer than ${this.timeoutMs / 1000} s and was stopped; simplify the program or its input`));
      this.pump();
    }, this.timeoutMs);
    this.current = { job, timer };
    thread.postMessage({ id: job.id, input: job.input, program: job.program });
  }

  private ensureThread(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(new URL('./jq-thread.mjs', import.meta.url));
    thread.unref();
    thread.on('message', (message: { id: number; output?: string; error?: string }) => {
      const current = this.current;
      if (!current || current.job.id !== message.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      if (message.error !== undefined) {
        current.job.reject(
          new Error(
            `jq '${short(current.job.program)}': ${message.error
              .replace(/^Failed to execute JSON query: /, '')
              .replace(/^jq: error: /, '')
              .trim()}`,
          ),
        );
      } else {
        try {
          current.job.resolve(parseOutputs(message.output ?? '', current.job.program));
        } catch (error) {
          current.job.reject(error as Error);
        }
      }
      this.pump();
    });
    thread.on('error', (error) => {
      const current = this.current;
      this.current = undefined;
      this.thread = undefined;
      if (current) {
        clearTimeout(current.timer);
        current.job.reject(new Error(`jq '${short(current.job.program)}' failed: ${error.message}`));
      }
      this.pump();
    });
    this.thread = thread;
    return thread;
  }
}

function parseOutputs(output: string, program: string): unknown[] {
  if (output.length > JQ_MAX_OUTPUT_CHARS) throw new Error(`jq '${short(program)}' produced ${output.length} characters; at most ${JQ_MAX_OUTPUT_CHARS} are kept`);
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

const short = (program: string) => (program.length > 60 ? `${program.slice(0, 60)}…` : program);
