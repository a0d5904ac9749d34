import type { Db } from '@baton/db';
import type { StateHistory } from '../states';
import { TERMINAL_STATES } from '../states';
import type { ProjectionEvent } from '../workflow/contracts';

// The projection is on the hot path of every task, so each write is ONE SQL statement (an upsert
// that merges histories and attempts in PostgreSQL) instead of a read followed by a write through
// the ORM: half the round trips and no query compilation.
//
// Every write is idempotent (a retried local activity or activity leaves the same row) and never
// moves a row out of a terminal state, so a late write cannot resurrect a killed task.

const TERMINAL = [...TERMINAL_STATES];

/** Appends a state to a history unless it is already the last one (used where rows are built in JS). */
export function appendHistory(histories: unknown, state: string, at: string): StateHistory[] {
  const list = Array.isArray(histories) ? (histories as StateHistory[]) : [];
  if (list.length && list[list.length - 1].state === state) return list;
  return [...list, { state: state as StateHistory['state'], date: at }];
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
// Columns are TIMESTAMP(3) holding UTC, as Prisma writes them; ISO strings are converted in SQL so the
// driver's local-time conversion of Date objects never gets a say.
const terminal = (state: string) => TERMINAL_STATES.has(state as never);

export async function applyProjection(db: Db, events: ProjectionEvent[]): Promise<void> {
  for (const event of events) {
    if (event.kind === 'execution') await projectExecution(db, event);
    else if (event.kind === 'log') await projectLog(db, event);
    else if (event.kind === 'labels') await db.$executeRaw`UPDATE executions SET labels = ${JSON.stringify(event.labels)}::jsonb WHERE id = ${event.executionId}`;
    else await projectTaskRun(db, event);
  }
}

/**
 * A log line from the workflow. Workflow lines use attempt 0 (activities number theirs from 1) and
 * are numbered after the lines already there; the (execution, task run, attempt, message,
 * timestamp) check makes a retried projection write the line once.
 */
export async function projectLog(db: Db, e: Extract<ProjectionEvent, { kind: 'log' }>): Promise<void> {
  await db.$executeRaw`
    INSERT INTO logs (execution_id, task_run_id, task_id, attempt, seq, level, message, timestamp)
    SELECT ${e.executionId}, ${e.taskRunId}, ${e.taskId}, 0,
           coalesce((SELECT max(seq) + 1 FROM logs WHERE execution_id = ${e.executionId} AND task_run_id = ${e.taskRunId} AND attempt = 0), 0),
           ${e.level}, ${e.message}, (${e.at}::timestamptz AT TIME ZONE 'UTC')
    WHERE NOT EXISTS (SELECT 1 FROM logs WHERE execution_id = ${e.executionId} AND task_run_id = ${e.taskRunId} AND attempt = 0
                      AND message = ${e.message} AND timestamp = (${e.at}::timestamptz AT TIME ZONE 'UTC'))
    ON CONFLICT DO NOTHING`;
}

export async function projectExecution(db: Db, e: Extract<ProjectionEvent, { kind: 'execution' }>): Promise<void> {
  const entry = JSON.stringify([{ state: e.state, date: e.at }]);
  const ended = terminal(e.state);
  await db.$executeRaw`
    UPDATE executions SET
      state = ${e.state},
      histories = CASE WHEN histories->-1->>'state' = ${e.state} THEN histories ELSE histories || ${entry}::jsonb END,
      started_at = CASE WHEN ${e.state} = 'RUNNING' AND started_at IS NULL THEN (${e.at}::timestamptz AT TIME ZONE 'UTC') ELSE started_at END,
      ended_at = CASE WHEN ${ended} THEN (${e.at}::timestamptz AT TIME ZONE 'UTC') ELSE ended_at END,
      outputs = CASE WHEN ${ended} THEN coalesce(${json(e.outputs)}::jsonb, '{}'::jsonb) ELSE outputs END,
      error = CASE WHEN ${ended} THEN ${e.error ?? null} ELSE error END,
      updated_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${e.id} AND (state <> ALL(${TERMINAL}::text[]) OR state = ${e.state})`;
}

export async function projectTaskRun(db: Db, e: Extract<ProjectionEvent, { kind: 'taskRun' }>): Promise<void> {
  await upsertTaskRun(db, {
    id: e.id,
    executionId: e.executionId,
    taskId: e.taskId,
    parentTaskRunId: e.parentTaskRunId,
    value: e.value,
    seq: e.seq,
    state: e.state,
    at: e.at,
    outputs: e.outputs,
    error: e.error,
  });
}

export interface TaskRunWrite {
  id: string;
  executionId: string;
  taskId: string;
  parentTaskRunId?: string;
  value?: string;
  seq: number;
  state: string;
  at: string;
  outputs?: Record<string, unknown>;
  renderedProps?: Record<string, unknown>;
  error?: string;
  /** One attempt entry to insert or replace (by attempt number). */
  attempt?: { attempt: number; state: { current: string; startDate: string; endDate?: string }; error?: string };
  startedAt?: string;
  /** States to record before `state` when this write is the task run's first. */
  priorStates?: { state: string; date: string }[];
}

export async function upsertTaskRun(db: Db, w: TaskRunWrite): Promise<void> {
  const entry = JSON.stringify([...(w.priorStates ?? []), { state: w.state, date: w.at }]);
  const attempt = w.attempt ? JSON.stringify([w.attempt]) : '[]';
  const attemptNo = w.attempt?.attempt ?? -1;
  const ended = terminal(w.state);
  const started = w.startedAt ?? (w.state === 'RUNNING' ? w.at : null);
  await db.$executeRaw`
    INSERT INTO task_runs (id, execution_id, task_id, parent_task_run_id, value, seq, state, histories, attempts, outputs, rendered_props, error, started_at, ended_at, created_at)
    VALUES (${w.id}, ${w.executionId}, ${w.taskId}, ${w.parentTaskRunId ?? null}, ${w.value ?? null}, ${w.seq}, ${w.state}, ${entry}::jsonb, ${attempt}::jsonb,
            ${json(w.outputs)}::jsonb, ${json(w.renderedProps)}::jsonb, ${w.error ?? null},
            (${started}::timestamptz AT TIME ZONE 'UTC'), (${ended ? w.at : null}::timestamptz AT TIME ZONE 'UTC'), now() AT TIME ZONE 'UTC')
    ON CONFLICT (id) DO UPDATE SET
      state = EXCLUDED.state,
      histories = CASE WHEN task_runs.histories->-1->>'state' = EXCLUDED.state THEN task_runs.histories ELSE task_runs.histories || EXCLUDED.histories END,
      attempts = CASE WHEN ${attemptNo} < 0 AND EXCLUDED.state = 'KILLED' THEN (
        -- A kill ends every attempt still running: the attempt list never shows a RUNNING ghost.
        SELECT coalesce(jsonb_agg(CASE WHEN a->'state'->>'current' = 'RUNNING'
                                       THEN jsonb_set(jsonb_set(a, '{state,current}', '"KILLED"'), '{state,endDate}', to_jsonb(${w.at}::text))
                                       ELSE a END ORDER BY (a->>'attempt')::int), '[]'::jsonb)
        FROM jsonb_array_elements(task_runs.attempts) a)
      WHEN ${attemptNo} < 0 THEN task_runs.attempts ELSE (
        SELECT coalesce(jsonb_agg(a ORDER BY (a->>'attempt')::int), '[]'::jsonb) FROM (
          SELECT a FROM jsonb_array_elements(task_runs.attempts) a WHERE (a->>'attempt')::int <> ${attemptNo}
          UNION ALL SELECT EXCLUDED.attempts->0) s(a)) END,
      outputs = coalesce(EXCLUDED.outputs, task_runs.outputs),
      rendered_props = coalesce(EXCLUDED.rendered_props, task_runs.rendered_props),
      -- A task run that succeeded after retries does not keep an earlier attempt's error as its own
      -- (the attempts keep theirs).
      error = CASE WHEN EXCLUDED.state = 'SUCCESS' THEN EXCLUDED.error ELSE coalesce(EXCLUDED.error, task_runs.error) END,
      started_at = coalesce(task_runs.started_at, EXCLUDED.started_at),
      ended_at = coalesce(EXCLUDED.ended_at, task_runs.ended_at)
    WHERE task_runs.state <> ALL(${TERMINAL}::text[]) OR task_runs.state = EXCLUDED.state
       OR (task_runs.state = 'SUCCESS' AND EXCLUDED.state = 'WARNING')`;
}

/** CREATED → RUNNING when the first task starts; a no-op in any other state. */
export async function markExecutionRunning(db: Db, executionId: string, at: string): Promise<void> {
  const entry = JSON.stringify([{ state: 'RUNNING', date: at }]);
  await db.$executeRaw`
    UPDATE executions SET state = 'RUNNING', histories = histories || ${entry}::jsonb,
      started_at = coalesce(started_at, ${at}::timestamptz AT TIME ZONE 'UTC'), updated_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${executionId} AND state IN ('CREATED', 'RESTARTED')`;
}
