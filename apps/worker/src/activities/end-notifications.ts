// A flow's `notifications` (docs/notifications.md): once an execution ends, each entry whose
// `states` include the end is sent by its own Temporal workflow (endNotificationWorkflow), started
// here from the projection with an id naming the execution, the end and the entry: a retried
// projection cannot send twice, and the send is retried with backoff while the receiver is down.
// The workflow's activity (send) renders the entry like runTask renders a task (secret() resolved
// here only, every secret masked) and runs the notification plugin with a summary of the execution.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '@baton/db';
import {
  appendAttemptLogs,
  DEFAULT_TASK_QUEUE,
  END_NOTIFICATION_WORKFLOW,
  endNotificationWorkflowId,
  executionLink,
  isTerminal,
  type EndNotificationRequest,
  type EndNotificationResult,
  type ExecutionSummaries,
  type FlowService,
  type Logger,
  type SecretStore,
  type State,
} from '@baton/engine';
import { expressions, type FlowPlan } from '@baton/flow';
import { createTaskContext, isPluginError, parseProps, SecretMasker, type LogEntry, type PluginRegistry, type PluginRuntime } from '@baton/plugin-sdk';
import type { z } from 'zod';

export interface EndNotificationDeps {
  db: Db;
  flows: FlowService;
  temporal: () => Promise<Client>;
  registry: PluginRegistry;
  runtimes: Map<string, PluginRuntime>;
  secrets: SecretStore;
  summaries: ExecutionSummaries;
  publicUrl: string;
  log?: Logger;
}

const START_DEADLINE_MS = 10_000;

function nonRetryable(message: string) {
  return ApplicationFailure.create({ type: 'NonRetryable', message, nonRetryable: true });
}

export class EndNotifications {
  constructor(private readonly deps: EndNotificationDeps) {}

  /** After an execution's terminal transition: starts one send per matching entry of its revision's `notifications`. */
  async onExecutionEnd(executionId: string): Promise<string[]> {
    const e = await this.deps.db.execution.findUnique({
      where: { id: executionId },
      select: { id: true, tenant: true, namespace: true, flowId: true, flowRevision: true, state: true, histories: true },
    });
    if (!e || !isTerminal(e.state as State)) return [];
    let plan: FlowPlan;
    try {
      plan = await this.deps.flows.plan({ tenant: e.tenant, namespace: e.namespace, id: e.flowId }, e.flowRevision);
    } catch (error) {
      // A flow deleted meanwhile: nothing to send (its revisions stay, so this is rare).
      this.deps.log?.warn({ executionId }, `notifications: the flow revision could not be read (${(error as Error).message})`);
      return [];
    }
    const due = (plan.notifications ?? []).filter((n) => n.states.includes(e.state));
    if (!due.length) return [];
    const client = await this.deps.temporal();
    const endCount = (e.histories as unknown[]).length;
    const started: string[] = [];
    for (const n of due) {
      const request: EndNotificationRequest = {
        tenant: e.tenant,
        executionId: e.id,
        namespace: e.namespace,
        flowId: e.flowId,
        revision: e.flowRevision,
        notificationId: n.task.id,
        state: e.state,
      };
      const workflowId = endNotificationWorkflowId(e.id, endCount, n.task.id);
      try {
        await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          client.workflow.start(END_NOTIFICATION_WORKFLOW, { workflowId, taskQueue: DEFAULT_TASK_QUEUE, args: [request], workflowIdReusePolicy: 'REJECT_DUPLICATE' }),
        );
        started.push(workflowId);
      } catch (error) {
        // Already sent (or being sent) for this end: the projection was retried.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
    return started;
  }

  /** The activity of endNotificationWorkflow: renders the entry and runs its plugin. */
  async send(request: EndNotificationRequest): Promise<EndNotificationResult> {
    const activity = Context.current();
    const attempt = activity.info.attempt;
    const masker = new SecretMasker();
    const lines: LogEntry[] = [];
    const taskRunId = `${request.executionId}-notification-${request.notificationId}`;
    const log = async () => {
      // The lines go to the execution's logs (numbered per attempt, so a retried write is harmless).
      await appendAttemptLogs(
        this.deps.db,
        { executionId: request.executionId, taskRunId, taskId: request.notificationId, attempt },
        lines.map((l, seq) => ({ seq, level: l.level, message: masker.maskText(l.message), timestamp: new Date(l.timestamp) })),
      ).catch((error: unknown) => this.deps.log?.warn({ executionId: request.executionId }, `notifications: logs not written (${(error as Error).message})`));
    };
    try {
      const plan = await this.deps.flows.plan({ tenant: request.tenant, namespace: request.namespace, id: request.flowId }, request.revision);
      const spec = plan.notifications?.find((n) => n.task.id === request.notificationId);
      if (!spec) throw nonRetryable(`notification '${request.notificationId}' is not in revision ${request.revision} of ${request.namespace}.${request.flowId}`);
      const definition = this.deps.registry.resolve(spec.task.pluginId);
      const runtime = this.deps.runtimes.get(spec.task.pluginId);
      if (!definition || !runtime) throw nonRetryable(`no runtime for notification type ${spec.task.type} on this worker`);

      // secret() is synchronous in expressions: the names are fetched first, then masked everywhere.
      const values = new Map<string, string>();
      for (const call of expressions.findFunctionCalls(spec.task.props, ['secret'])) {
        if (call.arg === undefined) throw nonRetryable(`secret() needs a literal name, e.g. secret('SLACK_WEBHOOK')`);
        if (values.has(call.arg)) continue;
        const value = await this.deps.secrets.get(request.tenant, request.namespace, call.arg).catch((error: unknown) => {
          throw nonRetryable((error as Error).message);
        });
        values.set(call.arg, value);
        masker.add(value);
      }
      const summary = await this.deps.summaries.summary(request.tenant, request.executionId);
      const context = {
        flow: { id: request.flowId, namespace: request.namespace, revision: request.revision, tenantId: request.tenant },
        execution: {
          id: request.executionId,
          state: summary.state,
          startDate: summary.startDate,
          endDate: summary.endDate,
          link: executionLink(this.deps.publicUrl, request.tenant, request.executionId),
        },
        labels: summary.labels,
      };
      let rendered: unknown;
      try {
        rendered = expressions.render(spec.task.props, context, {
          functions: {
            secret: Object.assign(
              (name: unknown) => {
                const value = values.get(String(name));
                if (value === undefined) throw new Error(`secret '${String(name)}' was not prefetched`);
                return value;
              },
              { taints: true },
            ),
          },
          onSecretValue: (v) => masker.add(v),
          location: { taskId: spec.task.id },
        });
      } catch (error) {
        throw nonRetryable(masker.maskText(`notification '${spec.task.id}': ${(error as Error).message}`));
      }
      const parsed = parseProps(definition.props as z.ZodType, rendered);
      if (!parsed.success) {
        throw nonRetryable(
          `notification '${spec.task.id}': invalid properties after rendering: ${masker.maskText(parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '))}`,
        );
      }
      const ctx = createTaskContext({
        props: parsed.data,
        signal: activity.cancellationSignal,
        masker,
        heartbeat: () => activity.heartbeat(),
        onLog: (entry) => lines.push(entry),
        resolveSecret: (name) => this.deps.secrets.get(request.tenant, request.namespace, name),
        executions: { summary: (id) => this.deps.summaries.summary(request.tenant, id) },
        taskRun: { executionId: request.executionId, namespace: request.namespace, flowId: request.flowId, taskId: spec.task.id, taskRunId, attempt },
      });
      lines.push({ level: 'INFO', message: `notification '${spec.task.id}' (${spec.task.type}): the execution ended ${request.state}`, timestamp: new Date().toISOString() });
      const outputs = masker.mask((await runtime.run(ctx)) ?? {}) as Record<string, unknown>;
      lines.push({ level: 'INFO', message: `notification '${spec.task.id}' sent`, timestamp: new Date().toISOString() });
      await log();
      this.deps.log?.info({ executionId: request.executionId, notification: spec.task.id }, 'end notification sent');
      return { outputs };
    } catch (error) {
      const message = masker.maskText(error instanceof Error ? error.message : String(error));
      lines.push({
        level: attempt >= 8 || !isRetryable(error) ? 'ERROR' : 'WARN',
        message: `notification '${request.notificationId}' not sent (attempt ${attempt}): ${message}`,
        timestamp: new Date().toISOString(),
      });
      await log();
      if (error instanceof ApplicationFailure) throw ApplicationFailure.create({ type: error.type ?? 'NotificationError', message, nonRetryable: error.nonRetryable ?? undefined });
      if (isPluginError(error))
        throw ApplicationFailure.create({ type: error.retryable ? error.code : 'NonRetryable', message, nonRetryable: !error.retryable, nextRetryDelay: error.retryAfterMs });
      throw ApplicationFailure.create({ type: 'NotificationError', message });
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ApplicationFailure) return !error.nonRetryable;
  if (isPluginError(error)) return error.retryable;
  return true;
}
