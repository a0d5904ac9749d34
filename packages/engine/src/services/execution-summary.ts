// What notification tasks (SlackExecution, MailExecution, ...) and end-of-execution notifications
// say about an execution: Kestra's ExecutionService.executionMap, read from Baton's projection.
import type { Db } from '@baton/db';
import type { ExecutionSummary } from '@baton/plugin-sdk';
import { isTerminal, type State } from '../states';
import { AppError } from './app-error';

/** `1h 2m`, `3m 4s`, `850ms`: short enough for a chat line. */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${rest}s`;
  return `${rest}s`;
}

/** The execution page, as the UI routes it (`/{tenant}/executions/{id}`). */
export function executionLink(publicUrl: string, tenant: string, executionId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/executions/${encodeURIComponent(executionId)}`;
}

export class ExecutionSummaries {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
  ) {}

  /**
   * Summarises an execution of `tenant`. `currentExecutionId` is the execution the asking task
   * runs in: that one has not ended, so its state is FAILED once one of its tasks failed (an
   * `errors` branch notifying about its own failure), else its current state.
   */
  async summary(tenant: string, executionId: string, currentExecutionId?: string, now = new Date()): Promise<ExecutionSummary> {
    const e = await this.db.execution.findUnique({ where: { id: executionId } });
    if (!e || e.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${executionId} not found in tenant ${tenant}`);
    const runs = await this.db.taskRun.findMany({ where: { executionId }, orderBy: [{ seq: 'asc' }], select: { id: true, taskId: true, state: true, error: true, endedAt: true } });
    const failed = runs.find((r) => r.state === 'FAILED');
    const ended = runs.filter((r) => r.endedAt && isTerminal(r.state as State));
    const last = ended.sort((a, b) => a.endedAt!.getTime() - b.endedAt!.getTime()).at(-1);
    const current = e.id === currentExecutionId;
    const state = current && !isTerminal(e.state as State) && failed ? 'FAILED' : e.state;
    const start = e.startedAt ?? e.createdAt;
    const end = e.endedAt ?? (current ? now : undefined);
    const durationMs = end ? end.getTime() - start.getTime() : undefined;
    const labels = Object.fromEntries(Object.entries((e.labels ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    return {
      id: e.id,
      tenant: e.tenant,
      namespace: e.namespace,
      flowId: e.flowId,
      flowRevision: e.flowRevision,
      state,
      current,
      startDate: start.toISOString(),
      ...(e.endedAt ? { endDate: e.endedAt.toISOString() } : {}),
      ...(durationMs !== undefined ? { durationMs, duration: humanDuration(durationMs) } : {}),
      labels,
      link: executionLink(this.publicUrl, e.tenant, e.id),
      ...(failed ? { firstFailed: { taskId: failed.taskId, taskRunId: failed.id, ...(failed.error ? { error: failed.error } : {}) } } : {}),
      ...(last ? { lastTask: { taskId: last.taskId, state: last.state } } : {}),
      ...(e.error ? { error: e.error } : {}),
      ...(e.triggeredBy ? { triggeredBy: e.triggeredBy } : {}),
    };
  }
}
