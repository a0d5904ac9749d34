import type { Db } from '@baton/db';
import type { StateHistory } from '../states';
import { isTerminal } from '../states';
import type { ProjectionEvent } from '../workflow/contracts';

type Json = object;

/** Appends a state to a history unless it is already the last one: replays write nothing twice. */
export function appendHistory(histories: unknown, state: string, at: string): StateHistory[] {
  const list = Array.isArray(histories) ? (histories as StateHistory[]) : [];
  if (list.length && list[list.length - 1].state === state) return list;
  return [...list, { state: state as StateHistory['state'], date: at }];
}

/**
 * Writes the workflow's state changes to PostgreSQL. Idempotent: an event applied twice (a retried
 * local activity) leaves the same rows, and a late event never moves a row out of a terminal state
 * into a non-terminal one.
 */
export async function applyProjection(db: Db, events: ProjectionEvent[]): Promise<void> {
  for (const event of events) {
    if (event.kind === 'execution') await projectExecution(db, event);
    else await projectTaskRun(db, event);
  }
}

async function projectExecution(db: Db, e: Extract<ProjectionEvent, { kind: 'execution' }>) {
  const row = await db.execution.findUnique({ where: { id: e.id }, select: { state: true, histories: true } });
  if (!row) return; // created by the API or prepareSubflow before the workflow starts
  if (isTerminal(row.state) && row.state !== e.state) return;
  await db.execution.update({
    where: { id: e.id },
    data: {
      state: e.state,
      histories: appendHistory(row.histories, e.state, e.at) as unknown as Json,
      ...(e.state === 'RUNNING' && row.state !== 'PAUSED' ? { startedAt: new Date(e.at) } : {}),
      ...(isTerminal(e.state) ? { endedAt: new Date(e.at), outputs: (e.outputs ?? {}) as Json, error: e.error ?? null } : {}),
    },
  });
}

async function projectTaskRun(db: Db, e: Extract<ProjectionEvent, { kind: 'taskRun' }>) {
  const existing = await db.taskRun.findUnique({ where: { id: e.id }, select: { state: true, histories: true } });
  if (existing && isTerminal(existing.state) && existing.state !== e.state) return;
  const histories = appendHistory(existing?.histories, e.state, e.at) as unknown as Json;
  const terminal = isTerminal(e.state);
  const data = {
    state: e.state,
    histories,
    ...(e.state === 'RUNNING' && !existing ? { startedAt: new Date(e.at) } : {}),
    ...(terminal ? { endedAt: new Date(e.at) } : {}),
    ...(e.outputs !== undefined ? { outputs: e.outputs as Json } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
  };
  await db.taskRun.upsert({
    where: { id: e.id },
    create: {
      id: e.id,
      executionId: e.executionId,
      taskId: e.taskId,
      parentTaskRunId: e.parentTaskRunId ?? null,
      value: e.value ?? null,
      seq: e.seq,
      startedAt: e.state === 'RUNNING' ? new Date(e.at) : null,
      ...data,
    },
    update: data,
  });
}
