import type { Db } from '@baton/db';
import { ACTIVE_STATES, AppError, appendHistory, applyProjection, type CredentialTokens, type EngineActivities, type ExecutionService, type Keyring, type KvStore, type SecretStore } from '@baton/engine';
import type { PluginRegistry, PluginRuntime } from '@baton/plugin-sdk';
import { ApplicationFailure } from '@temporalio/common';
import type { JqRunner } from './jq-runner';
import { createRunTask } from './run-task';

export interface ActivityDeps {
  db: Db;
  registry: PluginRegistry;
  runtimes: Map<string, PluginRuntime>;
  secrets: SecretStore;
  credentials: CredentialTokens;
  kv: KvStore;
  jq?: JqRunner;
  executions: ExecutionService;
  keyring?: Keyring;
}

export function createActivities(deps: ActivityDeps): EngineActivities {
  return {
    runTask: createRunTask(deps),
    project: (events) => applyProjection(deps.db, events),
    async acquireSlot(request) {
      // One transaction under a per-flow advisory lock: count the active executions and, when
      // there is room, mark this one RUNNING before anyone else can count it.
      return deps.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${request.tenant}/${request.namespace}/${request.flowId}`}))`;
        const active = await tx.execution.count({
          where: { tenant: request.tenant, namespace: request.namespace, flowId: request.flowId, state: { in: [...ACTIVE_STATES] }, id: { not: request.executionId } },
        });
        if (active >= request.limit) return false;
        const row = await tx.execution.findUnique({ where: { id: request.executionId }, select: { histories: true } });
        const now = new Date();
        await tx.execution.update({
          where: { id: request.executionId },
          data: { state: 'RUNNING', startedAt: now, histories: appendHistory(row?.histories, 'RUNNING', now.toISOString()) as object },
        });
        return true;
      });
    },
    prepareSubflow: (request) =>
      deps.executions
        .prepare({ tenant: request.tenant, namespace: request.namespace, id: request.flowId }, request.inputs, {
          labels: request.labels,
          revision: request.revision,
          parent: request.parent,
          triggeredBy: `subflow:${request.parent.executionId}`,
          secretValues: request.secretValues,
        })
        .catch((error: unknown) => {
          // A missing flow or invalid inputs will not fix themselves: fail now, never retry (a
          // retry could start a flow created meanwhile, which nobody asked for).
          if (error instanceof AppError && error.status < 500) {
            const what = error.code === 'NOT_FOUND' ? `subflow ${request.namespace}.${request.flowId} not found: ${error.message}` : error.message;
            throw ApplicationFailure.create({ type: 'NonRetryable', message: what, nonRetryable: true });
          }
          throw error;
        }),
  };
}
