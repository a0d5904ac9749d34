// The transitions of transitions.ts in memory: what each SQL statement does to the rows, written
// plainly from the same table. The property tests drive random event sequences through this model
// (test/execution-states.test.ts) and through the real SQL against PostgreSQL
// (test/execution-states.int.test.ts), compare the two and check the invariants on both.
import { TERMINAL_STATES, type State } from '../states';
import {
  ATTEMPT_STATES,
  executionEventsInto,
  executionTransition,
  holdsSlot,
  legalFrom,
  openAttemptsEndAs,
  TASK_RUN_EVENT_AFTER_ATTEMPT,
  taskRunEventInto,
  taskRunTransition,
  type AttemptState,
  type ExecutionEvent,
  type TaskRunEvent,
} from './execution-states';

export interface AttemptSnapshot {
  attempt: number;
  state: AttemptState;
}

export interface TaskRunSnapshot {
  id: string;
  state: State;
  histories: State[];
  attempts: AttemptSnapshot[];
}

/** An execution and its task runs, as the invariants and the comparison see them. */
export interface ExecutionSnapshot {
  state: State;
  histories: State[];
  taskRuns: TaskRunSnapshot[];
}

const isTerminal = (s: State) => TERMINAL_STATES.has(s);

export class ExecutionModel {
  state: State | undefined;
  histories: State[] = [];
  readonly taskRuns = new Map<string, TaskRunSnapshot>();

  create(): void {
    if (this.state === undefined) this.move('CREATED', [], false, true);
  }

  transition(event: ExecutionEvent): boolean {
    const t = executionTransition(event);
    if (t.to === 'previous') return this.undo(t.from);
    return this.move(t.to, legalFrom([t], t.to), t.frees.openTaskRuns);
  }

  projectState(state: State): boolean {
    const transitions = executionEventsInto(state).map(executionTransition);
    return this.move(
      state,
      legalFrom(transitions, state),
      transitions.some((t) => t.frees.openTaskRuns),
    );
  }

  private move(to: State, from: readonly State[], endsOpenTaskRuns: boolean, creating = false): boolean {
    if (!creating && (this.state === undefined || !from.includes(this.state))) return false;
    this.state = to;
    if (this.histories.at(-1) !== to) this.histories.push(to);
    if (endsOpenTaskRuns) {
      for (const run of this.taskRuns.values()) {
        if (isTerminal(run.state)) continue;
        run.state = 'KILLED';
        run.histories.push('KILLED');
        for (const a of run.attempts) if (a.state === 'RUNNING') a.state = 'KILLED';
      }
    }
    return true;
  }

  private undo(from: readonly State[]): boolean {
    if (this.state === undefined || !from.includes(this.state) || this.histories.at(-1) !== this.state || this.histories.length < 2) return false;
    this.histories.pop();
    this.state = this.histories.at(-1);
    return true;
  }

  projectTaskRun(id: string, state: State): void {
    this.writeTaskRun(id, taskRunEventInto(state));
  }

  recordAttempt(id: string, attempt: number, state: AttemptState, runningSkipped = false): void {
    const prior: State[] = runningSkipped && state !== 'RUNNING' ? ['RUNNING'] : [];
    this.writeTaskRun(id, TASK_RUN_EVENT_AFTER_ATTEMPT[state], { attempt, state }, prior);
  }

  resumeTaskRun(id: string): boolean {
    return this.claim(id, 'resume');
  }

  undoResumeTaskRun(id: string): boolean {
    return this.claim(id, 'undoResume');
  }

  private claim(id: string, event: TaskRunEvent): boolean {
    const t = taskRunTransition(event);
    const run = this.taskRuns.get(id);
    if (!run || !t.from.includes(run.state) || this.ended()) return false;
    run.state = t.to as State;
    run.histories.push(run.state);
    return true;
  }

  private writeTaskRun(id: string, event: TaskRunEvent, attempt?: AttemptSnapshot, prior: State[] = []): void {
    const t = taskRunTransition(event);
    const to = t.to as State;
    if (this.ended()) return;
    const run = this.taskRuns.get(id);
    if (!run) {
      this.taskRuns.set(id, { id, state: to, histories: [...prior, to], attempts: attempt ? [{ ...attempt }] : [] });
      return;
    }
    if (!legalFrom([t], to).includes(run.state)) return;
    run.state = to;
    if (run.histories.at(-1) !== to) run.histories.push(...prior, to);
    const endOpenAs = t.frees.openTaskRuns ? openAttemptsEndAs(to) : undefined;
    const n = attempt?.attempt ?? -1;
    const kept = run.attempts
      .filter((a) => a.attempt !== n || (attempt?.state === 'RUNNING' && a.state !== 'RUNNING'))
      .map((a) => (a.state === 'RUNNING' && (endOpenAs !== undefined || a.attempt < n) ? { ...a, state: endOpenAs ?? 'FAILED' } : a));
    const lateRunning = run.attempts.some((b) => b.attempt === n && attempt?.state === 'RUNNING' && b.state !== 'RUNNING');
    if (attempt && !lateRunning) kept.push({ ...attempt });
    run.attempts = kept.sort((a, b) => a.attempt - b.attempt);
  }

  /** Task runs of an ended execution are final: a late write (a stuck activity) changes nothing. */
  private ended(): boolean {
    return this.state !== undefined && isTerminal(this.state);
  }

  snapshot(): ExecutionSnapshot | undefined {
    if (this.state === undefined) return undefined;
    return {
      state: this.state,
      histories: [...this.histories],
      taskRuns: [...this.taskRuns.values()]
        .map((r) => ({ ...r, histories: [...r.histories], attempts: r.attempts.map((a) => ({ ...a })) }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    };
  }
}

/**
 * The invariants every sequence of transitions keeps, given the rows before and after a step.
 * Returns what is broken (empty: nothing).
 */
export function brokenInvariants(before: ExecutionSnapshot | undefined, after: ExecutionSnapshot | undefined): string[] {
  const broken: string[] = [];
  if (!after) return broken;
  // Every state, terminal ones above all, is recorded in the history: the last entry is the state.
  if (after.histories.at(-1) !== after.state) broken.push(`execution is ${after.state} but its history ends ${after.histories.at(-1)}`);
  for (const run of after.taskRuns) {
    if (run.histories.at(-1) !== run.state) broken.push(`task run ${run.id} is ${run.state} but its history ends ${run.histories.at(-1)}`);
    // Attempts end: when their task run ends, and when a later attempt exists.
    const last = Math.max(...run.attempts.map((a) => a.attempt));
    for (const a of run.attempts) {
      if (!ATTEMPT_STATES.includes(a.state)) broken.push(`task run ${run.id} attempt ${a.attempt} is ${a.state}`);
      if (a.state === 'RUNNING' && isTerminal(run.state)) broken.push(`task run ${run.id} is ${run.state} with attempt ${a.attempt} still RUNNING`);
      if (a.state === 'RUNNING' && a.attempt < last) broken.push(`task run ${run.id} attempt ${a.attempt} is RUNNING after attempt ${last} began`);
    }
  }
  // What a kill frees: a KILLED execution has no open task run (and so no running attempt).
  if (after.state === 'KILLED') {
    for (const run of after.taskRuns) if (!isTerminal(run.state)) broken.push(`execution is KILLED but task run ${run.id} is ${run.state}`);
  }
  // No slot held by a terminal execution (slots are ACTIVE_STATES, never terminal).
  if (isTerminal(after.state) && holdsSlot(after.state)) broken.push(`terminal ${after.state} holds a slot`);
  if (!before) return broken;
  // Nothing leaves a terminal state but a restart (an execution) or SUCCESS → WARNING (a task run).
  if (isTerminal(before.state) && after.state !== before.state && after.state !== 'RESTARTED') broken.push(`execution left ${before.state} for ${after.state}`);
  for (const run of before.taskRuns) {
    const now = after.taskRuns.find((r) => r.id === run.id)!;
    if (isTerminal(run.state) && now.state !== run.state && !(run.state === 'SUCCESS' && now.state === 'WARNING'))
      broken.push(`task run ${run.id} left ${run.state} for ${now.state}`);
    // An ended attempt stays ended.
    for (const a of run.attempts) {
      const later = now.attempts.find((b) => b.attempt === a.attempt);
      if (a.state !== 'RUNNING' && later && later.state !== a.state) broken.push(`task run ${run.id} attempt ${a.attempt} went from ${a.state} to ${later.state}`);
    }
  }
  return broken;
}
