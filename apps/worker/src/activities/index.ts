import type { Db } from '@baton/db';
import { mergeSubflowOutputs, splitItemsFile, type ExecutionFiles } from '@baton/engine/storage';
import {
  acquireLocks,
  acquireSlot,
  AppError,
  type ApprovalNotifier,
  type Logger,
  applyProjection,
  releaseLocks,
  type CredentialTokens,
  type EngineActivities,
  type ExecutionService,
  type ExecutionSummaries,
  type NotificationActivities,
  type Keyring,
  type KvStore,
  type SecretStore,
  type TriggerActivities,
  type TriggerService,
} from '@baton/engine';
import type { PluginRegistry, PluginRuntime } from '@baton/plugin-sdk';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { JqRunner } from './jq-runner';
import type { EndNotifications } from './end-notifications';
import { createRunTask, type KillNotices } from './run-task';

export interface ActivityDeps {
  db: Db;
  registry: PluginRegistry;
  runtimes: Map<string, PluginRuntime>;
  secrets: SecretStore;
  credentials: CredentialTokens;
  kv: KvStore;
  jq?: JqRunner;
  executions: ExecutionService;
  /** Internal storage; without it, read(), fileSize() and file tasks fail saying so. */
  files?: ExecutionFiles;
  keyring?: Keyring;
  /** Kill notices: running tasks of an execution being killed are aborted at once (see RunTaskDeps.kills). */
  kills?: KillNotices;
  /** Approval notifications (webhook, e-mail); without it, notifyApprovers does nothing. */
  notifier?: ApprovalNotifier;
  /** Execution summaries for notification tasks (ctx.executions). */
  summaries?: ExecutionSummaries;
  /** A flow's `notifications`, started after each execution end (docs/notifications.md). */
  endNotifications?: EndNotifications;
  /** Schedules (evaluateSchedule) and Flow triggers (evaluated after each execution end). */
  triggers?: TriggerService;
  log?: Logger;
}

/** A user's mistake (a 4xx AppError) will not fix itself: fail at once, never retry. */
function nonRetryableOn4xx(error: unknown): never {
  if (error instanceof AppError && error.status < 500) throw ApplicationFailure.create({ type: 'NonRetryable', message: error.message, nonRetryable: true });
  throw error;
}

function needFiles(files: ExecutionFiles | undefined): ExecutionFiles {
  if (!files) throw ApplicationFailure.create({ type: 'NonRetryable', message: 'internal storage is not configured on this worker', nonRetryable: true });
  return files;
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED']);

/**
 * What follows an execution's end, wherever the end was written (the workflow's final projection,
 * or the activity of a last task that ended it): Flow triggers, then the flow's `notifications`
 * (one workflow each, whose id makes a repeat harmless).
 */
async function afterExecutionEnd(deps: ActivityDeps, executionId: string): Promise<void> {
  await deps.triggers?.flowTriggers.onExecutionEnd(executionId);
  await deps.endNotifications?.onExecutionEnd(executionId);
}

export function createActivities(deps: ActivityDeps): EngineActivities & TriggerActivities & NotificationActivities {
  return {
    splitItems: (request) => splitItemsFile(needFiles(deps.files), request).catch(nonRetryableOn4xx),
    mergeSubflowOutputs: (request) => mergeSubflowOutputs(needFiles(deps.files), deps.db, request).catch(nonRetryableOn4xx),
    // An execution its last task ended (no final projection follows): the same end work as below.
    runTask: createRunTask({ ...deps, onExecutionEnd: (id) => afterExecutionEnd(deps, id) }),
    project: async (events) => {
      await applyProjection(deps.db, events);
      // An execution reached its end: Flow triggers are evaluated once for it (a retry of this
      // local activity evaluates again, and the fire's execution id makes that start a duplicate).
      for (const event of events) {
        if (event.kind !== 'execution' || !TERMINAL.has(event.state)) continue;
        await afterExecutionEnd(deps, event.id);
      }
    },
    sendEndNotification: async (request) => {
      if (!deps.endNotifications) throw ApplicationFailure.create({ message: 'this worker does not send notifications', nonRetryable: false });
      return deps.endNotifications.send(request);
    },
    evaluateSchedule: async (ref) => {
      if (!deps.triggers) throw ApplicationFailure.create({ message: 'this worker has no trigger service', nonRetryable: false });
      return deps.triggers.schedules.evaluate(ref);
    },
    describePolling: async (ref) => {
      if (!deps.triggers) throw ApplicationFailure.create({ message: 'this worker has no trigger service', nonRetryable: false });
      return deps.triggers.polling.describe(ref);
    },
    pollTrigger: async (ref) => {
      if (!deps.triggers) throw ApplicationFailure.create({ message: 'this worker has no trigger service', nonRetryable: false });
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), 2_000);
      try {
        context.heartbeat();
        return await deps.triggers.polling.poll(ref, new Date(), context.cancellationSignal);
      } finally {
        clearInterval(beat);
      }
    },
    acquireSlot: (request) => acquireSlot(deps.db, request),
    acquireLocks: (request) => acquireLocks(deps.db, request),
    releaseLocks: (request) => releaseLocks(deps.db, request),
    notifyApprovers: async (notice) => {
      if (!deps.notifier) return;
      const row = await deps.db.execution.findUnique({ where: { id: notice.executionId }, select: { triggeredBy: true } });
      const sent = await deps.notifier.notify(notice, { startedBy: row?.triggeredBy ?? null });
      deps.log?.info({ executionId: notice.executionId, taskId: notice.taskId, webhook: sent.webhook, emails: sent.emailedTo.length }, 'approvers notified');
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
