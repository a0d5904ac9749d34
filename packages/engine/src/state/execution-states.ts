// The state machine of executions, task runs and attempts, written once as data. The SQL in
// transitions.ts derives its WHERE clauses from these tables, and the property tests drive random
// event sequences through them, so what is legal is decided here and nowhere else.
//
// Conventions every transition shares (so they are not repeated in each row):
// - A transition to the state the row is already in is an idempotent no-op for the history (a
//   retried activity or local activity writes the same thing twice).
// - Nothing leaves a terminal state, except an execution's `restart` (and `undoRestart`, which puts
//   it back where it was when the restart could not start the workflow).
// - A concurrency slot is not a row: it is held by every execution in an ACTIVE_STATES state
//   (states.ts), so whatever makes an execution terminal frees its slot.
import { ACTIVE_STATES, STATES, TERMINAL_STATES, type State } from '../states';

export const NON_TERMINAL: readonly State[] = STATES.filter((s) => !TERMINAL_STATES.has(s));

/** Whether an execution in this state holds one of its flow's concurrency slots. */
export function holdsSlot(state: State): boolean {
  return ACTIVE_STATES.includes(state);
}

interface Transition<Event extends string> {
  event: Event;
  /** The states the row may be in for this transition to apply ([] : the row is created). */
  from: readonly State[];
  /** The state it ends in; `previous` goes back to the state before the last history entry. */
  to: State | 'previous';
  /** `append` adds {state, date[, by]}; `drop-last` removes the entry the undone transition added. */
  history: 'append' | 'drop-last';
  /** What ends with it: the slot, and the open task runs and their running attempts. */
  frees: { slot: boolean; openTaskRuns: boolean };
  /**
   * A claim: the row must be in `from`, being in `to` already does not count, so of two callers
   * racing, exactly one wins (two restarts would start the workflow twice).
   */
  claim?: true;
}

const none = { slot: false, openTaskRuns: false };
const ends = { slot: true, openTaskRuns: false };

export type ExecutionEvent =
  'create' | 'queue' | 'start' | 'pause' | 'resume' | 'kill' | 'killed' | 'succeed' | 'warn' | 'fail' | 'cancel' | 'failToStart' | 'restart' | 'undoKill' | 'undoRestart';

/**
 * Executions. Who fires what: the API creates, kills, restarts (and undoes a kill or restart that
 * never reached Temporal, and fails a start Temporal cannot confirm); the slot activity or the
 * first task's activity starts; the workflow queues, pauses, resumes and ends.
 */
export const EXECUTION_TRANSITIONS: readonly Transition<ExecutionEvent>[] = [
  { event: 'create', from: [], to: 'CREATED', history: 'append', frees: none },
  { event: 'queue', from: ['CREATED', 'RESTARTED'], to: 'QUEUED', history: 'append', frees: none },
  // Takes a slot (RUNNING is active); acquireSlot fires it only when one is free.
  { event: 'start', from: ['CREATED', 'QUEUED', 'RESTARTED'], to: 'RUNNING', history: 'append', frees: none },
  { event: 'pause', from: ['RUNNING'], to: 'PAUSED', history: 'append', frees: none },
  { event: 'resume', from: ['PAUSED'], to: 'RUNNING', history: 'append', frees: none },
  // KILLING still holds the slot: the tasks may still be stopping.
  { event: 'kill', from: ['CREATED', 'QUEUED', 'RESTARTED', 'RUNNING', 'PAUSED', 'RETRYING'], to: 'KILLING', history: 'append', frees: none },
  // From any open state: the workflow records it after a kill, the API when the workflow is gone.
  { event: 'killed', from: NON_TERMINAL, to: 'KILLED', history: 'append', frees: { slot: true, openTaskRuns: true } },
  // The workflow's ends. From KILLING too: a kill that races the last task loses to its result.
  { event: 'succeed', from: NON_TERMINAL, to: 'SUCCESS', history: 'append', frees: ends },
  { event: 'warn', from: NON_TERMINAL, to: 'WARNING', history: 'append', frees: ends },
  { event: 'fail', from: NON_TERMINAL, to: 'FAILED', history: 'append', frees: ends },
  { event: 'cancel', from: NON_TERMINAL, to: 'CANCELLED', history: 'append', frees: ends },
  // The API could not start the workflow and Temporal cannot say whether it exists.
  { event: 'failToStart', from: ['CREATED'], to: 'FAILED', history: 'append', frees: ends },
  { event: 'restart', from: ['FAILED', 'KILLED', 'CANCELLED'], to: 'RESTARTED', history: 'append', frees: none, claim: true },
  // Temporal was not reached: the kill or restart never happened, so its history entry goes too.
  { event: 'undoKill', from: ['KILLING'], to: 'previous', history: 'drop-last', frees: none },
  { event: 'undoRestart', from: ['RESTARTED'], to: 'previous', history: 'drop-last', frees: none },
];

export type TaskRunEvent = 'start' | 'attemptFailed' | 'attemptKilled' | 'retry' | 'pause' | 'resume' | 'undoResume' | 'succeed' | 'warn' | 'fail' | 'cancel' | 'skip' | 'killed';

/**
 * Task runs. The first write of a task run inserts it in the event's `to` state (a quick task's
 * first write is already SUCCESS); later writes are these transitions. The activity and the
 * workflow write the same task run without ordering between them, so most transitions accept any
 * open state; the table still forbids leaving a terminal state (but SUCCESS → WARNING:
 * warningOnRetry and allowFailure turn the activity's SUCCESS into the workflow's WARNING).
 */
export const TASK_RUN_TRANSITIONS: readonly Transition<TaskRunEvent>[] = [
  { event: 'start', from: NON_TERMINAL, to: 'RUNNING', history: 'append', frees: none },
  // An attempt failed and Temporal may retry it: the workflow says FAILED when it will not.
  { event: 'attemptFailed', from: NON_TERMINAL, to: 'RETRYING', history: 'append', frees: none },
  // An attempt stopped on a kill: the workflow records KILLED once the execution is killed.
  { event: 'attemptKilled', from: NON_TERMINAL, to: 'KILLING', history: 'append', frees: none },
  { event: 'retry', from: NON_TERMINAL, to: 'RETRYING', history: 'append', frees: none },
  { event: 'pause', from: NON_TERMINAL, to: 'PAUSED', history: 'append', frees: none },
  // The API claims a paused task run before signalling the workflow: of two resumes, one wins.
  { event: 'resume', from: ['PAUSED'], to: 'RUNNING', history: 'append', frees: none, claim: true },
  { event: 'undoResume', from: ['RUNNING'], to: 'PAUSED', history: 'append', frees: none },
  { event: 'succeed', from: NON_TERMINAL, to: 'SUCCESS', history: 'append', frees: { slot: false, openTaskRuns: true } },
  { event: 'warn', from: [...NON_TERMINAL, 'SUCCESS'], to: 'WARNING', history: 'append', frees: { slot: false, openTaskRuns: true } },
  { event: 'fail', from: NON_TERMINAL, to: 'FAILED', history: 'append', frees: { slot: false, openTaskRuns: true } },
  { event: 'cancel', from: NON_TERMINAL, to: 'CANCELLED', history: 'append', frees: { slot: false, openTaskRuns: true } },
  { event: 'skip', from: NON_TERMINAL, to: 'SKIPPED', history: 'append', frees: { slot: false, openTaskRuns: true } },
  { event: 'killed', from: NON_TERMINAL, to: 'KILLED', history: 'append', frees: { slot: false, openTaskRuns: true } },
];

/** An attempt of a runnable task: RUNNING, then one end. */
export const ATTEMPT_STATES = ['RUNNING', 'SUCCESS', 'FAILED', 'KILLED'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/**
 * What an attempt's write makes of its task run. A failed attempt leaves the task run RETRYING
 * (the workflow decides whether it is retried or FAILED); a killed one KILLING (the workflow
 * records KILLED with the execution).
 */
export const TASK_RUN_EVENT_AFTER_ATTEMPT: Record<AttemptState, TaskRunEvent> = {
  RUNNING: 'start',
  SUCCESS: 'succeed',
  FAILED: 'attemptFailed',
  KILLED: 'attemptKilled',
};

/**
 * How a task run's attempts still RUNNING end: when the task run ends (KILLED with a kill, FAILED
 * otherwise: their worker was lost and nobody will report them), and when a later attempt of the
 * same task run is written (FAILED: Temporal gave up on it and retried).
 */
export function openAttemptsEndAs(taskRunState: State): AttemptState | undefined {
  if (!TERMINAL_STATES.has(taskRunState)) return undefined;
  return taskRunState === 'KILLED' ? 'KILLED' : 'FAILED';
}

function byEvent<E extends string>(table: readonly Transition<E>[]): Map<E, Transition<E>> {
  return new Map(table.map((t) => [t.event, t]));
}
const executionByEvent = byEvent(EXECUTION_TRANSITIONS);
const taskRunByEvent = byEvent(TASK_RUN_TRANSITIONS);

export function executionTransition(event: ExecutionEvent): Transition<ExecutionEvent> {
  return executionByEvent.get(event)!;
}

export function taskRunTransition(event: TaskRunEvent): Transition<TaskRunEvent> {
  return taskRunByEvent.get(event)!;
}

/**
 * The event a workflow projection of an execution state stands for. The workflow projects states
 * (its history replays as it was written); RUNNING is `start` or `resume`, and the SQL accepts the
 * `from` states of both.
 */
const EXECUTION_EVENTS_INTO = new Map<State, ExecutionEvent[]>();
for (const t of EXECUTION_TRANSITIONS) {
  if (t.to === 'previous' || t.event === 'failToStart' || t.event === 'create' || t.event === 'restart') continue;
  EXECUTION_EVENTS_INTO.set(t.to, [...(EXECUTION_EVENTS_INTO.get(t.to) ?? []), t.event]);
}

export function executionEventsInto(state: State): ExecutionEvent[] {
  const events = EXECUTION_EVENTS_INTO.get(state);
  if (!events) throw new Error(`no execution transition leads to ${state}`);
  return events;
}

/** The task-run event a workflow projection of a task-run state stands for. */
const TASK_RUN_EVENT_INTO: Partial<Record<State, TaskRunEvent>> = {
  RUNNING: 'start',
  RETRYING: 'retry',
  PAUSED: 'pause',
  KILLING: 'attemptKilled',
  SUCCESS: 'succeed',
  WARNING: 'warn',
  FAILED: 'fail',
  CANCELLED: 'cancel',
  SKIPPED: 'skip',
  KILLED: 'killed',
};

export function taskRunEventInto(state: State): TaskRunEvent {
  const event = TASK_RUN_EVENT_INTO[state];
  if (!event) throw new Error(`no task-run transition leads to ${state}`);
  return event;
}

/** The states a row may be in for any of these events to move it to `to` (`to` itself included, but for claims: idempotent). */
export function legalFrom(transitions: readonly Transition<string>[], to: State): State[] {
  const idempotent = transitions.some((t) => !t.claim);
  return [...new Set([...transitions.flatMap((t) => t.from), ...(idempotent ? [to] : [])])];
}

/**
 * The pure step the SQL implements: the state after `event`, or undefined when the event is not
 * legal in `current` (the row is left as it is). `previous` is the state under the last entry.
 */
export function nextExecutionState(current: State | undefined, event: ExecutionEvent, history: readonly State[]): State | undefined {
  const t = executionTransition(event);
  if (current === undefined) return t.from.length === 0 ? (t.to as State) : undefined;
  if (t.to === 'previous') return t.from.includes(current) && history.length >= 2 ? history[history.length - 2] : undefined;
  if (current === t.to && !t.claim) return current;
  return t.from.includes(current) ? t.to : undefined;
}

export function nextTaskRunState(current: State | undefined, event: TaskRunEvent): State | undefined {
  const t = taskRunTransition(event);
  if (current === undefined) return t.to as State;
  if (current === t.to && !t.claim) return current;
  return t.from.includes(current) ? (t.to as State) : undefined;
}
