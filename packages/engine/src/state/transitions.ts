// The named transitions of execution-states.ts as SQL: every write of an execution's, a task
// run's or an attempt's state goes through here, whoever makes it (the workflow's projection, the
// runTask and slot activities, the API's kill, restart and resume).
//
// Each transition is ONE SQL statement (the projection is on the hot path of every task): the
// legality check is the statement's WHERE, built from the table's `from` states, and the history
// entry is appended in PostgreSQL. A transition that is not legal changes nothing, so a late or
// repeated write can never move a row out of a terminal state.
import { EXECUTION_KILLS_CHANNEL, Prisma, type Db } from '@baton/db';
import { ACTIVE_STATES, TERMINAL_STATES, type State } from '../states';
import type { SlotRequest } from '../workflow/contracts';
import {
  executionEventsInto,
  executionTransition,
  legalFrom,
  openAttemptsEndAs,
  TASK_RUN_EVENT_AFTER_ATTEMPT,
  taskRunEventInto,
  taskRunTransition,
  type AttemptState,
  type ExecutionEvent,
  type TaskRunEvent,
} from './execution-states';

/** A client or a transaction: both can run raw statements. */
export type Sql = Pick<Db, '$executeRaw' | '$queryRaw'>;

const TERMINAL = [...TERMINAL_STATES];
const terminal = (state: string) => TERMINAL_STATES.has(state as State);
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const historyEntry = (state: string, at: string, by?: string) => JSON.stringify([{ state, date: at, ...(by ? { by } : {}) }]);
// Columns are TIMESTAMP(3) holding UTC, as Prisma writes them; ISO strings are converted in SQL (…
// AT TIME ZONE 'UTC') so the driver's local-time conversion of Date objects never gets a say.

// ---------------------------------------------------------------------------------------------
// Executions

export interface ExecutionRow {
  id: string;
  tenant: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  parentId?: string;
  triggeredBy?: string;
  /** The trigger that started it: {id, type, variables}. */
  trigger?: unknown;
  at: string;
}

/**
 * `create`: the CREATED row, with its first history entry. With `onlyIf` (an SQL condition) the
 * row is inserted only when it holds, in the same statement: the API's start checks that the
 * plan it used is still the flow's latest and that no kill switch refuses it (ExecutionService).
 * True when the row was inserted.
 */
export async function createExecution(db: Sql, row: ExecutionRow, onlyIf: Prisma.Sql = Prisma.sql`true`): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO executions (id, tenant, namespace, flow_id, flow_revision, state, histories, inputs, labels, parent_id, triggered_by, trigger, created_at, updated_at)
    SELECT ${row.id}::text, ${row.tenant}::text, ${row.namespace}::text, ${row.flowId}::text, ${row.flowRevision}::int, 'CREATED',
            ${historyEntry('CREATED', row.at)}::jsonb, ${JSON.stringify(row.inputs)}::jsonb,
            ${JSON.stringify(row.labels)}::jsonb, ${row.parentId ?? null}::text, ${row.triggeredBy ?? null}::text,
            ${row.trigger === undefined ? null : JSON.stringify(row.trigger)}::jsonb,
            ${row.at}::timestamptz AT TIME ZONE 'UTC', ${row.at}::timestamptz AT TIME ZONE 'UTC'
    WHERE ${onlyIf}`;
  return inserted === 1;
}

export interface ExecutionMove {
  at: string;
  /** Who asked (the API's transitions), kept in the history entry. */
  by?: string;
  /** Terminal states: the flow outputs and the error. */
  outputs?: Record<string, unknown>;
  error?: string;
  /**
   * The kill switch behind a kill or a cancel (docs/kill-switch.md), kept in `kill_switch_id`
   * when the row moves; a restart clears it.
   */
  killSwitch?: string;
}

/**
 * Moves an execution to `to` if it is in one of `from` (or already in `to`: idempotent, no second
 * history entry). Ending in a terminal state stamps ended_at, outputs and error; RESTARTED clears
 * them. A transition that frees open task runs (a kill) ends them KILLED in the same statement,
 * with their running attempts. True when the row was moved.
 */
async function moveExecution(db: Sql, id: string, to: State, from: readonly State[], m: ExecutionMove, endsOpenTaskRuns: boolean): Promise<boolean> {
  const ended = terminal(to);
  const restarted = to === 'RESTARTED';
  const rows = await db.$queryRaw<{ n: number }[]>`
    WITH moved AS (
      UPDATE executions SET
        state = ${to},
        histories = CASE WHEN histories->-1->>'state' = ${to} THEN histories ELSE histories || ${historyEntry(to, m.at, m.by)}::jsonb END,
        started_at = CASE WHEN ${to}::text = 'RUNNING' AND started_at IS NULL THEN (${m.at}::timestamptz AT TIME ZONE 'UTC') ELSE started_at END,
        -- Ending again in the same state (a retried write, a kill that finds it already KILLED)
        -- keeps the first end's date, outputs and error.
        ended_at = CASE WHEN state = ${to} THEN ended_at WHEN ${ended}::boolean THEN (${m.at}::timestamptz AT TIME ZONE 'UTC') WHEN ${restarted}::boolean THEN NULL ELSE ended_at END,
        outputs = CASE WHEN state = ${to} THEN outputs WHEN ${ended}::boolean THEN coalesce(${json(m.outputs)}::jsonb, '{}'::jsonb) ELSE outputs END,
        error = CASE WHEN state = ${to} THEN error WHEN ${ended}::boolean THEN ${m.error ?? null} WHEN ${restarted}::boolean THEN NULL ELSE error END,
        kill_switch_id = CASE WHEN ${restarted}::boolean THEN NULL ELSE coalesce(${m.killSwitch ?? null}::text, kill_switch_id) END,
        updated_at = now() AT TIME ZONE 'UTC'
      WHERE id = ${id} AND state = ANY(${[...from]}::text[])
      RETURNING id
    ), swept AS (
      UPDATE task_runs t SET
        state = 'KILLED',
        histories = t.histories || ${historyEntry('KILLED', m.at)}::jsonb,
        ended_at = coalesce(t.ended_at, ${m.at}::timestamptz AT TIME ZONE 'UTC'),
        attempts = (
          SELECT coalesce(jsonb_agg(CASE WHEN a->'state'->>'current' = 'RUNNING'
                                         THEN jsonb_set(jsonb_set(a, '{state,current}', '"KILLED"'), '{state,endDate}', to_jsonb(${m.at}::text))
                                         ELSE a END ORDER BY (a->>'attempt')::int), '[]'::jsonb)
          FROM jsonb_array_elements(t.attempts) a)
      WHERE ${endsOpenTaskRuns}::boolean AND t.execution_id IN (SELECT id FROM moved) AND t.state <> ALL(${TERMINAL}::text[])
    )
    SELECT count(*)::int AS n FROM moved`;
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Fires a named execution transition (not `create` or the undos, which have their own functions). */
export function transitionExecution(db: Sql, id: string, event: ExecutionEvent, m: ExecutionMove): Promise<boolean> {
  const t = executionTransition(event);
  if (t.to === 'previous' || t.from.length === 0) throw new Error(`${event} has its own function`);
  return moveExecution(db, id, t.to, legalFrom([t], t.to), m, t.frees.openTaskRuns);
}

/**
 * The workflow projects execution states, not events (its history replays as written): the state
 * stands for every transition into it (RUNNING: start or resume).
 */
export function projectExecutionState(db: Sql, id: string, state: State, m: ExecutionMove): Promise<boolean> {
  const transitions = executionEventsInto(state).map(executionTransition);
  return moveExecution(
    db,
    id,
    state,
    legalFrom(transitions, state),
    m,
    transitions.some((t) => t.frees.openTaskRuns),
  );
}

/** Which executions a kill switch reaches (docs/kill-switch.md): none set is the whole tenant. */
export interface KillScope {
  tenant: string;
  namespace?: string | null;
  flowId?: string | null;
  executionId?: string | null;
}

/**
 * The `kill` transition for every open execution in a scope, as one statement (a KILL switch over
 * 500 executions is one round trip, not 500): each moves to KILLING with its history entry and the
 * switch id. Returns the ids moved; the caller then cancels their workflows.
 */
export async function killInScope(db: Sql, scope: KillScope, m: ExecutionMove): Promise<string[]> {
  const from = legalFrom([executionTransition('kill')], 'KILLING');
  // Each moved row is announced on the kills channel at commit: workers abort its running tasks.
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH moved AS (UPDATE executions SET
      state = 'KILLING',
      histories = histories || ${historyEntry('KILLING', m.at, m.by)}::jsonb,
      kill_switch_id = coalesce(${m.killSwitch ?? null}::text, kill_switch_id),
      updated_at = now() AT TIME ZONE 'UTC'
    WHERE tenant = ${scope.tenant} AND state = ANY(${[...from].filter((s) => s !== 'KILLING')}::text[])
      AND CASE WHEN ${scope.executionId ?? null}::text IS NOT NULL THEN id = ${scope.executionId ?? null}::text
               WHEN ${scope.flowId ?? null}::text IS NOT NULL THEN namespace = ${scope.namespace ?? null}::text AND flow_id = ${scope.flowId ?? null}::text
               WHEN ${scope.namespace ?? null}::text IS NOT NULL THEN namespace = ${scope.namespace ?? null}::text OR starts_with(namespace, ${scope.namespace ?? null}::text || '.')
               ELSE true END
    RETURNING id)
    SELECT m.id FROM moved m CROSS JOIN LATERAL (SELECT pg_notify(${EXECUTION_KILLS_CHANNEL}, m.id)) notified`;
  return rows.map((r) => r.id);
}

/** Announces a single kill on the kills channel (ExecutionService.kill), as killInScope does for a sweep. */
export async function announceKill(db: Sql, id: string): Promise<void> {
  await db.$queryRaw`SELECT 1 AS sent FROM (SELECT pg_notify(${EXECUTION_KILLS_CHANNEL}, ${id}::text)) notified`;
}

/** `undoKill`: the kill never reached Temporal; the execution is back where it was, without the entry. */
export async function undoKill(db: Sql, id: string): Promise<boolean> {
  const moved = await db.$executeRaw`
    UPDATE executions SET state = histories->-2->>'state', histories = histories - (jsonb_array_length(histories) - 1),
      updated_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${id} AND state = ANY(${[...executionTransition('undoKill').from]}::text[])
      AND histories->-1->>'state' = state AND jsonb_array_length(histories) >= 2`;
  return moved > 0;
}

/** `undoRestart`: the restarted workflow could not be started; the execution ends as it had. */
export async function undoRestart(db: Sql, id: string, before: { endedAt: Date | null; error: string | null }): Promise<boolean> {
  const moved = await db.$executeRaw`
    UPDATE executions SET state = histories->-2->>'state', histories = histories - (jsonb_array_length(histories) - 1),
      ended_at = (${before.endedAt?.toISOString() ?? null}::timestamptz AT TIME ZONE 'UTC'), error = ${before.error},
      updated_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${id} AND state = ANY(${[...executionTransition('undoRestart').from]}::text[])
      AND histories->-1->>'state' = state AND jsonb_array_length(histories) >= 2`;
  return moved > 0;
}

/** A start Temporal says never happened: the CREATED row goes (nothing ran, nothing to show). */
export async function discardUnstarted(db: Sql, id: string): Promise<boolean> {
  return (await db.$executeRaw`DELETE FROM executions WHERE id = ${id} AND state = 'CREATED'`) > 0;
}

/** The execution's labels after a Labels task (all of them: the column is replaced). Not a state. */
export async function replaceLabels(db: Sql, id: string, labels: Record<string, string>): Promise<void> {
  await db.$executeRaw`UPDATE executions SET labels = ${JSON.stringify(labels)}::jsonb WHERE id = ${id}`;
}

/**
 * `start` under a flow's concurrency limit. Slots are the flow's executions in ACTIVE_STATES, so
 * the count and the transition run under a per-flow advisory lock: nobody can count between them.
 * True when there was room (the execution is RUNNING unless a kill came first).
 */
export function acquireSlot(db: Db, request: SlotRequest): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${request.tenant}/${request.namespace}/${request.flowId}`}))`;
    const [{ n }] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM executions
      WHERE tenant = ${request.tenant} AND namespace = ${request.namespace} AND flow_id = ${request.flowId}
        AND state = ANY(${[...ACTIVE_STATES]}::text[]) AND id <> ${request.executionId}`;
    if (Number(n) >= request.limit) return false;
    await transitionExecution(tx, request.executionId, 'start', { at: new Date().toISOString() });
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Task runs and attempts

/** What identifies a task run; the first write inserts the row with it. */
export interface TaskRunIdentity {
  id: string;
  executionId: string;
  taskId: string;
  parentTaskRunId?: string;
  value?: string;
  seq: number;
}

export interface TaskRunWrite extends TaskRunIdentity {
  event: TaskRunEvent;
  at: string;
  outputs?: Record<string, unknown>;
  renderedProps?: Record<string, unknown>;
  error?: string;
  /** One attempt to insert or replace (by attempt number). */
  attempt?: { attempt: number; state: { current: AttemptState; startDate: string; endDate?: string }; error?: string };
  startedAt?: string;
  /** States to record before this one when this write is the task run's first. */
  priorStates?: { state: string; date: string }[];
}

/**
 * One task-run transition as one upsert: the first write inserts the row, later ones move it if
 * the table allows. Attempts are merged in SQL: this write's attempt replaces the one with its
 * number (but a late RUNNING never replaces an ended attempt); an earlier attempt still RUNNING
 * ends FAILED (Temporal gave up on it: its worker was lost); and when the task run ends, its
 * attempts still RUNNING end with it (KILLED with a kill, FAILED otherwise). Nothing is written
 * once the execution has ended.
 */
async function writeTaskRun(db: Sql, w: TaskRunWrite): Promise<void> {
  const t = taskRunTransition(w.event);
  const state = t.to as State;
  const from = legalFrom([t], state);
  const entry = JSON.stringify([...(w.priorStates ?? []), { state, date: w.at }]);
  const attempt = w.attempt ? JSON.stringify([w.attempt]) : '[]';
  const attemptNo = w.attempt?.attempt ?? -1;
  const attemptState = w.attempt?.state.current ?? null;
  const endOpenAs = t.frees.openTaskRuns ? (openAttemptsEndAs(state) ?? null) : null;
  const ended = terminal(state);
  const started = w.startedAt ?? (state === 'RUNNING' ? w.at : null);
  await db.$executeRaw`
    INSERT INTO task_runs (id, execution_id, task_id, parent_task_run_id, value, seq, state, histories, attempts, outputs, rendered_props, error, started_at, ended_at, created_at)
    SELECT ${w.id}, ${w.executionId}, ${w.taskId}, ${w.parentTaskRunId ?? null}, ${w.value ?? null}, ${w.seq}, ${state}, ${entry}::jsonb, ${attempt}::jsonb,
           ${json(w.outputs)}::jsonb, ${json(w.renderedProps)}::jsonb, ${w.error ?? null},
           (${started}::timestamptz AT TIME ZONE 'UTC'), (${ended ? w.at : null}::timestamptz AT TIME ZONE 'UTC'), now() AT TIME ZONE 'UTC'
    -- The task runs of an ended execution are final: a late write (an activity still running after
    -- the kill grace) neither creates nor moves one.
    WHERE NOT EXISTS (SELECT 1 FROM executions WHERE id = ${w.executionId} AND state = ANY(${TERMINAL}::text[]))
    ON CONFLICT (id) DO UPDATE SET
      state = EXCLUDED.state,
      histories = CASE WHEN task_runs.histories->-1->>'state' = EXCLUDED.state THEN task_runs.histories ELSE task_runs.histories || EXCLUDED.histories END,
      attempts = (
        SELECT coalesce(jsonb_agg(a ORDER BY (a->>'attempt')::int), '[]'::jsonb) FROM (
          SELECT CASE WHEN a->'state'->>'current' = 'RUNNING' AND (${endOpenAs}::text IS NOT NULL OR (a->>'attempt')::int < ${attemptNo}::int)
                      THEN jsonb_set(jsonb_set(a, '{state,current}', to_jsonb(coalesce(${endOpenAs}::text, 'FAILED'))), '{state,endDate}', to_jsonb(${w.at}::text))
                      ELSE a END
          FROM jsonb_array_elements(task_runs.attempts) a
          WHERE (a->>'attempt')::int <> ${attemptNo}::int OR (${attemptState}::text = 'RUNNING' AND a->'state'->>'current' <> 'RUNNING')
          UNION ALL
          SELECT EXCLUDED.attempts->0 WHERE ${attemptNo}::int >= 0 AND NOT EXISTS (
            SELECT 1 FROM jsonb_array_elements(task_runs.attempts) b
            WHERE (b->>'attempt')::int = ${attemptNo}::int AND ${attemptState}::text = 'RUNNING' AND b->'state'->>'current' <> 'RUNNING')
        ) s(a)),
      outputs = coalesce(EXCLUDED.outputs, task_runs.outputs),
      rendered_props = coalesce(EXCLUDED.rendered_props, task_runs.rendered_props),
      -- A task run that succeeded after retries does not keep an earlier attempt's error as its own
      -- (the attempts keep theirs).
      error = CASE WHEN EXCLUDED.state = 'SUCCESS' THEN EXCLUDED.error ELSE coalesce(EXCLUDED.error, task_runs.error) END,
      started_at = coalesce(task_runs.started_at, EXCLUDED.started_at),
      ended_at = coalesce(EXCLUDED.ended_at, task_runs.ended_at)
    WHERE task_runs.state = ANY(${from}::text[])`;
}

/** The workflow projects a task run's state (flowables, failures, skips, kills). */
export function projectTaskRunState(db: Sql, run: TaskRunIdentity & { state: State; at: string; outputs?: Record<string, unknown>; error?: string }): Promise<void> {
  const { state, ...rest } = run;
  return writeTaskRun(db, { ...rest, event: taskRunEventInto(state) });
}

export interface AttemptWrite extends TaskRunIdentity {
  attempt: number;
  state: AttemptState;
  startedAt: string;
  endedAt?: string;
  error?: string;
  outputs?: Record<string, unknown>;
  renderedProps?: Record<string, unknown>;
  /** The RUNNING write never happened (a quick task): record RUNNING in the history now. */
  runningSkipped?: boolean;
}

/**
 * runTask records one attempt and what it makes of the task run (TASK_RUN_EVENT_AFTER_ATTEMPT),
 * creating the task run on the first attempt. A successful attempt ends the task run itself,
 * saving the workflow a projection round trip.
 */
export function recordAttempt(db: Sql, a: AttemptWrite): Promise<void> {
  const event = TASK_RUN_EVENT_AFTER_ATTEMPT[a.state];
  const { attempt, state, startedAt, endedAt, error, runningSkipped, ...run } = a;
  return writeTaskRun(db, {
    ...run,
    event,
    at: endedAt ?? startedAt,
    startedAt,
    error,
    priorStates: runningSkipped && state !== 'RUNNING' ? [{ state: 'RUNNING', date: startedAt }] : undefined,
    attempt: { attempt, state: { current: state, startDate: startedAt, endDate: endedAt }, ...(error ? { error } : {}) },
  });
}

/**
 * `resume` of a paused task run, by the API before it signals the workflow. A claim, so strict:
 * only PAUSED qualifies (of two concurrent resumes, exactly one gets true).
 */
export async function resumeTaskRun(db: Sql, id: string, by: string, at: string): Promise<boolean> {
  const t = taskRunTransition('resume');
  const claimed = await db.$executeRaw`
    UPDATE task_runs SET state = ${t.to}, histories = histories || ${historyEntry(t.to, at, by)}::jsonb
    WHERE id = ${id} AND state = ANY(${[...t.from]}::text[])
      AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = task_runs.execution_id AND e.state = ANY(${TERMINAL}::text[]))`;
  return claimed > 0;
}

/** `undoResume`: the resume signal did not reach the workflow; the task run is PAUSED again. */
export async function undoResumeTaskRun(db: Sql, id: string, at: string): Promise<void> {
  const t = taskRunTransition('undoResume');
  await db.$executeRaw`
    UPDATE task_runs SET state = ${t.to}, histories = histories || ${historyEntry(t.to, at)}::jsonb
    WHERE id = ${id} AND state = ANY(${[...t.from]}::text[])
      AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = task_runs.execution_id AND e.state = ANY(${TERMINAL}::text[]))`;
}
