// Random event sequences for the state machine's property tests: each event (task start,
// success, failure, retry, pause, resume, kill, restart, worker loss, ...) becomes the calls its
// real callers make (the workflow's projection, runTask, the API), applied either to the in-memory
// ExecutionModel or to the real transition SQL.
import fc from 'fast-check';
import type { State } from '../src/states';
import type { ExecutionEvent } from '../src/state/execution-states';
import type { ExecutionModel } from '../src/state/model';
import type { AttemptState } from '../src/state/execution-states';

export type StateEvent =
  | { kind: 'taskStart' }
  | { kind: 'success' | 'failure' | 'retry' | 'workerLoss' | 'giveUp' | 'warn'; run: number }
  | { kind: 'pause' | 'resume' | 'resumeUndone' | 'skip' | 'queue' | 'slot' }
  | { kind: 'kill' | 'killedByWorkflow' | 'killedByApi' | 'undoKill' | 'restart' | 'undoRestart' | 'failToStart' }
  | { kind: 'finish'; state: 'SUCCESS' | 'WARNING' | 'FAILED' | 'CANCELLED' };

export const stateEvent: fc.Arbitrary<StateEvent> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'taskStart' as const }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('success' as const, 'failure' as const, 'retry' as const, 'workerLoss' as const, 'giveUp' as const, 'warn' as const),
      run: fc.nat(3),
    }),
    weight: 8,
  },
  { arbitrary: fc.record({ kind: fc.constantFrom('pause' as const, 'resume' as const, 'resumeUndone' as const, 'skip' as const, 'queue' as const, 'slot' as const) }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'kill' as const,
        'killedByWorkflow' as const,
        'killedByApi' as const,
        'undoKill' as const,
        'restart' as const,
        'undoRestart' as const,
        'failToStart' as const,
      ),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('finish' as const), state: fc.constantFrom('SUCCESS' as const, 'WARNING' as const, 'FAILED' as const, 'CANCELLED' as const) }),
    weight: 1,
  },
);

export type Call =
  | { op: 'execution'; event: ExecutionEvent }
  | { op: 'projectExecution'; state: State }
  | { op: 'projectTaskRun'; run: string; state: State }
  | { op: 'recordAttempt'; run: string; attempt: number; state: AttemptState; runningSkipped?: boolean }
  | { op: 'resumeTaskRun' | 'undoResumeTaskRun'; run: string };

interface RunBook {
  id: string;
  attempt: number;
  /** The attempt's activity is alive and will report. */
  open: boolean;
  ended: boolean;
}

/**
 * What the callers know, as they know it (not the rows): runTask reports its own attempt once;
 * the workflow knows its task runs in flight; a restart is a new workflow run with new task runs.
 */
export class Driver {
  private runs: RunBook[] = [];
  private paused: string[] = [];
  private started = false;
  private next = 0;
  /** A restart was marked and its workflow run has done nothing yet (so it may be undone). */
  private restartPending = false;

  constructor(private readonly prefix: string) {}

  calls(event: StateEvent): Call[] {
    // The API undoes a restart only when Temporal refused to start the new run: nothing ran since.
    if (event.kind === 'undoRestart' && !this.restartPending) return [];
    this.restartPending = event.kind === 'restart';
    const run = 'run' in event ? this.runs[event.run % Math.max(this.runs.length, 1)] : undefined;
    switch (event.kind) {
      case 'taskStart': {
        const book = { id: `${this.prefix}-t${this.next++}`, attempt: 1, open: true, ended: false };
        this.runs.push(book);
        // The first task of a workflow run records the execution's start (markExecutionRunning).
        const first = !this.started;
        this.started = true;
        // A quick task's RUNNING write is skipped: its first write is its end (see success).
        return [...(first ? [{ op: 'execution' as const, event: 'start' as const }] : []), { op: 'recordAttempt', run: book.id, attempt: 1, state: 'RUNNING' }];
      }
      case 'success':
      case 'failure':
        if (!run?.open) return [];
        run.open = false;
        if (event.kind === 'success') run.ended = true;
        return [{ op: 'recordAttempt', run: run.id, attempt: run.attempt, state: event.kind === 'success' ? 'SUCCESS' : 'FAILED' }];
      case 'workerLoss':
        // The worker dies: its attempt never reports; Temporal retries it later (retry).
        if (run) run.open = false;
        return [];
      case 'retry':
        if (!run || run.ended || run.open) return [];
        run.attempt += 1;
        run.open = true;
        return [{ op: 'recordAttempt', run: run.id, attempt: run.attempt, state: 'RUNNING' }];
      case 'giveUp':
        // Retries exhausted (or the heartbeat timed out for good): the workflow records FAILED.
        if (!run || run.ended) return [];
        run.ended = true;
        run.open = false;
        return [
          { op: 'projectTaskRun', run: run.id, state: 'FAILED' },
          { op: 'projectExecution', state: 'FAILED' },
        ];
      case 'warn':
        // warningOnRetry: the workflow turns the activity's SUCCESS into WARNING.
        return run?.ended ? [{ op: 'projectTaskRun', run: run.id, state: 'WARNING' }] : [];
      case 'pause': {
        const id = `${this.prefix}-p${this.next++}`;
        this.paused.push(id);
        return [
          { op: 'projectTaskRun', run: id, state: 'PAUSED' },
          { op: 'projectExecution', state: 'PAUSED' },
        ];
      }
      case 'resume': {
        const id = this.paused.shift();
        if (!id) return [];
        return [
          { op: 'resumeTaskRun', run: id },
          { op: 'projectExecution', state: 'RUNNING' },
          { op: 'projectTaskRun', run: id, state: 'RUNNING' },
        ];
      }
      case 'resumeUndone': {
        const id = this.paused[0];
        return id
          ? [
              { op: 'resumeTaskRun', run: id },
              { op: 'undoResumeTaskRun', run: id },
            ]
          : [];
      }
      case 'skip':
        return [{ op: 'projectTaskRun', run: `${this.prefix}-s${this.next++}`, state: 'SKIPPED' }];
      case 'queue':
        return [{ op: 'projectExecution', state: 'QUEUED' }];
      case 'slot':
        this.started = true;
        return [{ op: 'execution', event: 'start' }];
      case 'killedByWorkflow': {
        // Lifecycle.killed: the task runs in flight, then the execution.
        const open = this.runs.filter((r) => !r.ended);
        for (const r of open) Object.assign(r, { ended: true, open: false });
        return [...open.map((r) => ({ op: 'projectTaskRun' as const, run: r.id, state: 'KILLED' as State })), { op: 'projectExecution', state: 'KILLED' }];
      }
      case 'killedByApi':
        return [{ op: 'execution', event: 'killed' }];
      case 'restart':
      case 'undoRestart':
        if (event.kind === 'restart') {
          // A new workflow run: new task runs; the old ones keep their rows.
          this.runs = [];
          this.paused = [];
          this.started = false;
        }
        return [{ op: 'execution', event: event.kind }];
      case 'finish':
        return [{ op: 'projectExecution', state: event.state }];
      default:
        return [{ op: 'execution', event: event.kind }];
    }
  }
}

/** Applies a call to the model; the result is what the SQL function returns (a claim's outcome). */
export function applyToModel(model: ExecutionModel, call: Call): boolean | void {
  switch (call.op) {
    case 'execution':
      return model.transition(call.event);
    case 'projectExecution':
      return model.projectState(call.state);
    case 'projectTaskRun':
      return model.projectTaskRun(call.run, call.state);
    case 'recordAttempt':
      return model.recordAttempt(call.run, call.attempt, call.state, call.runningSkipped);
    case 'resumeTaskRun':
      return model.resumeTaskRun(call.run);
    case 'undoResumeTaskRun':
      return model.undoResumeTaskRun(call.run);
  }
}
