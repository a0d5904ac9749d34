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
  AppError,
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
  type NamespaceNotificationsService,
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
  /** Namespace notification rules: for flows that list no `notifications` themselves. */
  namespaceRules?: NamespaceNotificationsService;
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
    // The flow's own list wins, even empty (its opt-out); otherwise its namespace's rule applies.
    let entries = plan.notifications;
    let rule: EndNotificationRequest['rule'];
    if (entries === undefined && this.deps.namespaceRules) {
      const effective = await this.deps.namespaceRules.effective(e.tenant, e.namespace).catch((error: unknown) => {
        // A rule no longer valid for this flow (a plugin default it relied on was removed): said, not retried forever.
        if (error instanceof AppError && error.status < 500) {
          this.deps.log?.warn({ executionId }, `notifications: the namespace rule does not apply (${error.message})`);
          return undefined;
        }
        throw error;
      });
      if (effective) {
        entries = effective.notifications;
        rule = { namespace: effective.namespace, revision: effective.revision };
      }
    }
    const due = (entries ?? []).filter((n) => n.states.includes(e.state));
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
        ...(rule ? { rule } : {}),
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
      const spec = await this.entry(request);
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

  /** The entry a send was started for: in the flow's revision, or in the pinned revision of a namespace rule. */
  private async entry(request: EndNotificationRequest) {
    if (request.rule) {
      if (!this.deps.namespaceRules) throw nonRetryable('this worker does not read namespace notification rules');
      const effective = await this.deps.namespaceRules.effective(request.tenant, request.namespace, request.rule).catch((error: unknown) => {
        throw error instanceof AppError && error.status < 500 ? nonRetryable(error.message) : error;
      });
      const spec = effective?.notifications.find((n) => n.task.id === request.notificationId);
      if (!spec) throw nonRetryable(`notification '${request.notificationId}' is not in revision ${request.rule.revision} of namespace ${request.rule.namespace}'s rule`);
      return spec;
    }
    const plan = await this.deps.flows.plan({ tenant: request.tenant, namespace: request.namespace, id: request.flowId }, request.revision);
    const spec = plan.notifications?.find((n) => n.task.id === request.notificationId);
    if (!spec) throw nonRetryable(`notification '${request.notificationId}' is not in revision ${request.revision} of ${request.namespace}.${request.flowId}`);
    return spec;
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ApplicationFailure) return !error.nonRetryable;
  if (isPluginError(error)) return error.retryable;
  return true;
}
