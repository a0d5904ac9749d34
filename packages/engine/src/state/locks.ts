// Resource locks (docs/locks.md) as SQL. A lock row names the execution holding it; the row of an
// execution that ended (in any way: killed, failed, its workflow gone) no longer blocks anyone, so
// a lock cannot leak even when nothing released it. Taking is all keys or none, under one
// advisory lock per key (taken in the sorted order the workflow sends, so two takers never
// deadlock): nobody can check a key between our check and our insert.
import type { Db } from '@baton/db';
import { TERMINAL_STATES } from '../states';
import type { LockAnswer, LockRelease, LockRequest } from '../workflow/contracts';
import { transitionExecution } from './transitions';

const TERMINAL = [...TERMINAL_STATES];

export function acquireLocks(db: Db, request: LockRequest): Promise<LockAnswer> {
  const keys = [...new Set(request.keys)].sort();
  return db.$transaction(async (tx) => {
    for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`lock/${request.tenant}/${key}`}))`;
    // Blocked by a row of another open execution, or by another task run of this one (the
    // execution's own flow-level lock lets its tasks through).
    const blockers = await tx.$queryRaw<{ key: string; execution_id: string }[]>`
      SELECT l.key, l.execution_id FROM resource_locks l
      JOIN executions e ON e.id = l.execution_id AND e.state <> ALL(${TERMINAL}::text[])
      WHERE l.tenant = ${request.tenant} AND l.key = ANY(${keys}::text[])
        AND NOT (l.execution_id = ${request.executionId} AND (l.holder = '' OR l.holder = ${request.holder}))
      ORDER BY l.key LIMIT 1`;
    if (blockers.length) {
      const [{ key, execution_id: heldBy }] = blockers;
      await tx.$executeRaw`
        INSERT INTO resource_lock_waits (execution_id, holder, tenant, task_id, key, held_by)
        VALUES (${request.executionId}, ${request.holder}, ${request.tenant}, ${request.taskId ?? null}, ${key}, ${heldBy})
        ON CONFLICT (execution_id, holder) DO UPDATE SET key = EXCLUDED.key, held_by = EXCLUDED.held_by,
          since = CASE WHEN resource_lock_waits.key = EXCLUDED.key AND resource_lock_waits.held_by = EXCLUDED.held_by THEN resource_lock_waits.since ELSE EXCLUDED.since END`;
      // A wait before the first task would leave the row CREATED (the first task's activity is what
      // records RUNNING): the execution has started, it is waiting, and the page says for whom.
      await transitionExecution(tx, request.executionId, 'start', { at: new Date().toISOString() });
      return { acquired: false, key, heldBy };
    }
    // Taking over a stale row replaces it; the execution's own flow-level row stays as it is.
    await tx.$executeRaw`
      INSERT INTO resource_locks (tenant, key, execution_id, holder)
      SELECT ${request.tenant}, k, ${request.executionId}, ${request.holder} FROM unnest(${keys}::text[]) AS k
      ON CONFLICT (tenant, key) DO UPDATE SET execution_id = EXCLUDED.execution_id, holder = EXCLUDED.holder, acquired_at = now()
      WHERE NOT (resource_locks.execution_id = EXCLUDED.execution_id AND resource_locks.holder = '')`;
    await tx.$executeRaw`DELETE FROM resource_lock_waits WHERE execution_id = ${request.executionId} AND holder = ${request.holder}`;
    return { acquired: true as const };
  });
}

/** A holder's locks (or, without a holder, every lock and wait of the execution) are given back. */
export async function releaseLocks(db: Db, request: LockRelease): Promise<void> {
  if (request.holder === undefined) {
    await db.$executeRaw`DELETE FROM resource_locks WHERE tenant = ${request.tenant} AND execution_id = ${request.executionId}`;
    await db.$executeRaw`DELETE FROM resource_lock_waits WHERE execution_id = ${request.executionId}`;
    return;
  }
  await db.$executeRaw`DELETE FROM resource_locks WHERE tenant = ${request.tenant} AND execution_id = ${request.executionId} AND holder = ${request.holder}`;
  await db.$executeRaw`DELETE FROM resource_lock_waits WHERE execution_id = ${request.executionId} AND holder = ${request.holder}`;
}

/** What an open execution waits for now: a lock key and the execution holding it. */
export interface LockWait {
  key: string;
  heldBy: string;
  taskId?: string;
  since: string;
}

export async function lockWaits(db: Db, executionId: string): Promise<LockWait[]> {
  const rows = await db.$queryRaw<{ key: string; held_by: string; task_id: string | null; since: Date }[]>`
    SELECT w.key, w.held_by, w.task_id, w.since FROM resource_lock_waits w
    JOIN executions e ON e.id = w.execution_id AND e.state <> ALL(${TERMINAL}::text[])
    WHERE w.execution_id = ${executionId} ORDER BY w.since`;
  return rows.map((r) => ({ key: r.key, heldBy: r.held_by, ...(r.task_id ? { taskId: r.task_id } : {}), since: r.since.toISOString() }));
}
