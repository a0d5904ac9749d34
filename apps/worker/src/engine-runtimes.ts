import type { Db } from '@baton/db';
import type { ExecutionFiles } from '@baton/engine/storage';
import { purgeExecutions, purgeLogs } from '@baton/plugin-core';
import { defineRuntime, PluginError, type PluginRuntime, type TaskContext } from '@baton/plugin-sdk';
import { TERMINAL_STATE_LIST } from '@baton/contract';

// Runtimes of core tasks that delete Baton's own rows (retention). They live in the worker, the
// one place besides the engine's services that holds the database; only ended executions and
// their lines are ever deleted, so nothing a running workflow projects into disappears.

/** The states an execution ends in (never SKIPPED: only task runs are skipped). */
const ENDED: string[] = TERMINAL_STATE_LIST.filter((s) => s !== 'SKIPPED');

function date(value: string | undefined, name: string): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PluginError('INVALID_PROPERTIES', `${name} '${value.slice(0, 40)}' is not an ISO-8601 date-time`);
  return new Date(ms).toISOString();
}

/** The tenant of the running execution: a purge never reaches another tenant. */
async function tenantOf(db: Db, ctx: TaskContext<unknown>): Promise<string> {
  const rows = await db.$queryRaw<{ tenant: string }[]>`SELECT tenant FROM executions WHERE id = ${ctx.taskRun.executionId}`;
  if (!rows.length) throw new PluginError('NOT_FOUND', 'the running execution was not found');
  return rows[0].tenant;
}

export function createEngineRuntimes(db: Db, files?: ExecutionFiles): PluginRuntime[] {
  const executions = defineRuntime(purgeExecutions, async (ctx) => {
    const { props } = ctx;
    const tenant = await tenantOf(db, ctx);
    const start = date(props.startDate, 'startDate');
    const end = date(props.endDate, 'endDate');
    const states = props.states ?? ENDED;
    const ns = props.namespace ?? null;
    // The execution running this task is never its own victim.
    const ids = (
      await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM executions
      WHERE tenant = ${tenant} AND state = ANY(${states}) AND id <> ${ctx.taskRun.executionId}
        AND (${ns}::text IS NULL OR namespace = ${ns} OR starts_with(namespace, ${`${ns ?? ''}.`}))
        AND (${props.flowId ?? null}::text IS NULL OR flow_id = ${props.flowId ?? ''})
        AND (${start}::timestamptz IS NULL OR created_at >= (${start}::timestamptz AT TIME ZONE 'UTC'))
        AND created_at < (${end}::timestamptz AT TIME ZONE 'UTC')`
    ).map((r) => r.id);
    let logsCount = 0;
    let executionsCount = 0;
    let storagesCount = 0;
    if (ids.length && props.purgeLog !== false) logsCount = await db.$executeRaw`DELETE FROM logs WHERE execution_id = ANY(${ids})`;
    if (ids.length && props.purgeExecution !== false) {
      const deleted = await db.$queryRaw<{ id: string; namespace: string; flow_id: string }[]>`
        DELETE FROM executions WHERE id = ANY(${ids}) AND state = ANY(${ENDED}) RETURNING id, namespace, flow_id`;
      executionsCount = deleted.length;
      // Their files go with them (Kestra's purgeStorage, on whenever the executions are purged).
      if (files && props.purgeStorage !== false) {
        for (const e of deleted) storagesCount += await files.deleteExecution(tenant, { namespace: e.namespace, flowId: e.flow_id, executionId: e.id });
      }
    }
    ctx.logger.info(`purged ${executionsCount} executions, ${logsCount} log lines and ${storagesCount} files`);
    return { executionsCount, logsCount, storagesCount };
  });

  const logs = defineRuntime(purgeLogs, async (ctx) => {
    const { props } = ctx;
    const tenant = await tenantOf(db, ctx);
    const start = date(props.startDate, 'startDate');
    const end = date(props.endDate, 'endDate');
    const ns = props.namespace ?? null;
    const count = await db.$executeRaw`
      DELETE FROM logs l USING executions e
      WHERE l.execution_id = e.id AND e.tenant = ${tenant} AND e.state = ANY(${ENDED})
        AND (${ns}::text IS NULL OR e.namespace = ${ns} OR starts_with(e.namespace, ${`${ns ?? ''}.`}))
        AND (${props.flowId ?? null}::text IS NULL OR e.flow_id = ${props.flowId ?? ''})
        AND (${props.executionId ?? null}::text IS NULL OR e.id = ${props.executionId ?? ''})
        AND (${props.logLevels ?? null}::text[] IS NULL OR l.level = ANY(${props.logLevels ?? []}))
        AND (${start}::timestamptz IS NULL OR l.timestamp >= (${start}::timestamptz AT TIME ZONE 'UTC'))
        AND l.timestamp < (${end}::timestamptz AT TIME ZONE 'UTC')`;
    ctx.logger.info(`purged ${count} log lines`);
    return { count };
  });

  return [executions, logs] as PluginRuntime[];
}
