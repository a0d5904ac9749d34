import crypto from 'node:crypto';
import type { Db, Execution, LogEntry, Prisma, TaskRun } from '@baton/db';
import { resolveInputs, type FlowInput, type FlowPlan } from '@baton/flow';
import type { Client } from '@temporalio/client';
import { isTerminal, TERMINAL_STATES, type State } from '../states';
import { DEFAULT_TASK_QUEUE, RESUME_SIGNAL, WORKFLOW_NAME, type ExecutionInput, type ResumeSignal } from '../workflow/contracts';
import { AppError } from './app-error';
import type { FlowRef, FlowService } from './flows';
import { searchAttributesFor } from './search-attributes';

/** Kestra-style ids are short and URL-safe; 22 base62 characters hold 128 random bits. */
export function newExecutionId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = crypto.randomBytes(22);
  let id = '';
  for (const b of bytes) id += alphabet[b % 62];
  return id;
}

export interface ExecutionView {
  id: string;
  tenantId: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: { current: string; histories: unknown; startDate?: string; endDate?: string; duration?: number };
  taskRunList: unknown[];
  inputs: unknown;
  outputs: unknown;
  labels: { key: string; value: string }[];
  error?: string | null;
  parentId?: string | null;
  triggeredBy?: string | null;
}

/** The execution in Kestra's shape, read from the PostgreSQL projection only. */
export function toExecutionView(execution: Execution, taskRuns: TaskRun[]): ExecutionView {
  const start = execution.startedAt ?? execution.createdAt;
  return {
    id: execution.id,
    tenantId: execution.tenant,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: {
      current: execution.state,
      histories: execution.histories,
      startDate: start.toISOString(),
      endDate: execution.endedAt?.toISOString(),
      duration: execution.endedAt ? execution.endedAt.getTime() - start.getTime() : undefined,
    },
    taskRunList: taskRuns.map((t) => ({
      id: t.id,
      executionId: t.executionId,
      taskId: t.taskId,
      parentTaskRunId: t.parentTaskRunId,
      value: t.value,
      state: { current: t.state, histories: t.histories, startDate: t.startedAt?.toISOString(), endDate: t.endedAt?.toISOString() },
      attempts: t.attempts,
      outputs: t.outputs ?? {},
      renderedProperties: t.renderedProps ?? undefined,
      error: t.error,
    })),
    inputs: execution.inputs,
    outputs: execution.outputs,
    labels: Object.entries((execution.labels as Record<string, string>) ?? {}).map(([key, value]) => ({ key, value })),
    error: execution.error,
    parentId: execution.parentId,
    triggeredBy: execution.triggeredBy,
  };
}

/**
 * The view of an execution that was just created, built from what the caller already has: the
 * start endpoint answers without reading the rows back (two queries fewer per start).
 */
export function createdExecutionView(input: ExecutionInput, createdAt: Date, triggeredBy?: string): ExecutionView {
  const date = createdAt.toISOString();
  return {
    id: input.executionId,
    tenantId: input.tenant,
    namespace: input.plan.namespace,
    flowId: input.plan.id,
    flowRevision: input.plan.revision,
    state: { current: 'CREATED', histories: [{ state: 'CREATED', date }], startDate: date },
    taskRunList: [],
    inputs: maskSecretInputs(input.plan.inputs, input.inputs),
    outputs: {},
    labels: Object.entries(input.labels).map(([key, value]) => ({ key, value })),
    error: null,
    parentId: input.parent?.executionId ?? null,
    triggeredBy: triggeredBy ?? null,
  };
}

/** A log line as the API returns it (Kestra's shape plus the row id, the follow stream's cursor). */
export function toLogView(r: LogEntry) {
  return {
    id: r.id.toString(),
    executionId: r.executionId,
    taskRunId: r.taskRunId,
    taskId: r.taskId,
    attemptNumber: r.attempt,
    level: r.level,
    message: r.message,
    timestamp: r.timestamp.toISOString(),
  };
}

export interface ExecutionFilter {
  namespace?: string;
  flowId?: string;
  state?: string[];
  startDate?: Date;
  endDate?: Date;
  labels?: Record<string, string>;
}

/** The WHERE of every execution search: a namespace includes its children; labels match exactly. */
export function executionWhere(tenant: string, f: ExecutionFilter): Prisma.ExecutionWhereInput {
  const and: Prisma.ExecutionWhereInput[] = [{ tenant }];
  if (f.namespace) and.push({ OR: [{ namespace: f.namespace }, { namespace: { startsWith: `${f.namespace}.` } }] });
  if (f.flowId) and.push({ flowId: f.flowId });
  if (f.state?.length) and.push({ state: { in: f.state } });
  if (f.startDate) and.push({ createdAt: { gte: f.startDate } });
  if (f.endDate) and.push({ createdAt: { lte: f.endDate } });
  for (const [key, value] of Object.entries(f.labels ?? {})) and.push({ labels: { path: [key], equals: value } });
  return { AND: and };
}

export interface SearchQuery extends ExecutionFilter {
  page?: number;
  size?: number;
}

export class ExecutionService {
  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    private readonly temporal: () => Promise<Client>,
  ) {}

  /** Validates inputs and records a CREATED execution; does not start it. */
  async prepare(
    ref: FlowRef,
    provided: Record<string, unknown>,
    options: { labels?: Record<string, string>; revision?: number; parent?: ExecutionInput['parent']; triggeredBy?: string } = {},
  ): Promise<ExecutionInput> {
    const plan = await this.flows.plan(ref, options.revision);
    if (plan.disabled) throw new AppError('CONFLICT', `flow ${ref.namespace}.${ref.id} is disabled; enable it to run it`);
    const { values, errors } = resolveInputs(plan.inputs, provided);
    if (errors.length) throw new AppError('INVALID_INPUTS', 'invalid inputs', errors);
    const id = newExecutionId();
    const labels = { ...plan.labels, ...(options.labels ?? {}) };
    const now = new Date().toISOString();
    // Raw SQL on the start path (see FlowService.plan); timestamps are UTC like Prisma writes them.
    await this.db.$executeRaw`
      INSERT INTO executions (id, tenant, namespace, flow_id, flow_revision, state, histories, inputs, labels, parent_id, triggered_by, created_at, updated_at)
      VALUES (${id}, ${ref.tenant}, ${plan.namespace}, ${plan.id}, ${plan.revision}, 'CREATED',
              ${JSON.stringify([{ state: 'CREATED', date: now }])}::jsonb, ${JSON.stringify(maskSecretInputs(plan.inputs, values))}::jsonb,
              ${JSON.stringify(labels)}::jsonb, ${options.parent?.executionId ?? null}, ${options.triggeredBy ?? null},
              ${now}::timestamptz AT TIME ZONE 'UTC', ${now}::timestamptz AT TIME ZONE 'UTC')`;
    return { executionId: id, tenant: ref.tenant, plan, inputs: values, labels, parent: options.parent };
  }

  async start(ref: FlowRef, provided: Record<string, unknown>, options: { labels?: Record<string, string>; revision?: number; triggeredBy?: string } = {}) {
    const input = await this.prepare(ref, provided, options);
    try {
      await this.launch(input);
    } catch (error) {
      // A row whose workflow never started must not look CREATED forever.
      await this.db.execution.update({ where: { id: input.executionId }, data: { state: 'FAILED', error: `could not start: ${(error as Error).message}`, endedAt: new Date() } });
      throw error;
    }
    return input;
  }

  /** Starts the execution workflow (workflow id = execution id) with its search attributes. */
  private async launch(input: ExecutionInput) {
    const client = await this.temporal();
    await client.workflow.start(WORKFLOW_NAME, {
      workflowId: input.executionId,
      taskQueue: DEFAULT_TASK_QUEUE,
      args: [input],
      typedSearchAttributes: searchAttributesFor(input.tenant, input.plan.namespace, input.plan.id),
    });
  }

  async get(tenant: string, id: string): Promise<ExecutionView> {
    const execution = await this.db.execution.findUnique({ where: { id } });
    if (!execution || execution.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${id} not found`);
    const taskRuns = await this.db.taskRun.findMany({ where: { executionId: id }, orderBy: [{ seq: 'asc' }] });
    return toExecutionView(execution, taskRuns);
  }

  async search(tenant: string, q: SearchQuery) {
    const size = Math.min(Math.max(q.size ?? 25, 1), 200);
    const page = Math.max(q.page ?? 1, 1);
    const where = executionWhere(tenant, q);
    const [rows, total] = await Promise.all([
      this.db.execution.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * size, take: size }),
      this.db.execution.count({ where }),
    ]);
    return { results: rows.map((r) => toExecutionView(r, [])), total };
  }

  async resume(tenant: string, id: string, by: string, inputs: Record<string, unknown>) {
    const execution = await this.get(tenant, id);
    if (execution.state.current !== 'PAUSED') {
      throw new AppError('CONFLICT', `execution ${id} is ${execution.state.current}, not PAUSED; only a paused execution can be resumed`);
    }
    const paused = (execution.taskRunList as { id: string; taskId: string; state: { current: string } }[]).find((t) => t.state.current === 'PAUSED');
    if (!paused) throw new AppError('CONFLICT', `execution ${id} has no paused task`);
    const plan = await this.flows.plan({ tenant, namespace: execution.namespace, id: execution.flowId }, execution.flowRevision);
    const task = findTask(plan, paused.taskId);
    const onResume = (task?.props.onResume as FlowInput[] | undefined) ?? [];
    const { values, errors } = resolveInputs(onResume, inputs);
    if (errors.length) throw new AppError('INVALID_INPUTS', 'invalid resume inputs', errors);
    const signal: ResumeSignal = { taskRunId: paused.id, by, inputs: values };
    const client = await this.temporal();
    await client.workflow.getHandle(id).signal(RESUME_SIGNAL, signal);
    return { resumed: paused.taskId, by, inputs: values };
  }

  /**
   * Kill: the execution goes KILLING now; the workflow is cancelled, which aborts running
   * activities on their next heartbeat, and records KILLED. A second kill of an execution that is
   * still KILLING terminates the workflow (the last resort when a worker is gone).
   */
  async kill(tenant: string, id: string, by: string) {
    const execution = await this.db.execution.findUnique({ where: { id } });
    if (!execution || execution.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${id} not found`);
    if (isTerminal(execution.state)) throw new AppError('CONFLICT', `execution ${id} already ended ${execution.state}`);
    const client = await this.temporal();
    const handle = client.workflow.getHandle(id);
    const forced = execution.state === 'KILLING';
    // Conditional: if the execution ended meanwhile, its final state stays.
    const marked = await this.db.execution.updateMany({
      where: { id, state: { notIn: [...TERMINAL_STATES] } },
      data: { state: 'KILLING', histories: [...((execution.histories as unknown[]) ?? []), { state: 'KILLING', date: new Date().toISOString(), by }] as object },
    });
    if (marked.count === 0) throw new AppError('CONFLICT', `execution ${id} ended before it could be killed`);
    try {
      if (forced) {
        await handle.terminate(`killed by ${by} (forced)`);
        await this.db.execution.updateMany({ where: { id, state: 'KILLING' }, data: { state: 'KILLED', endedAt: new Date(), error: 'terminated' } });
      } else {
        await handle.cancel();
      }
    } catch (error) {
      const status = await handle.describe().then((d) => d.status.name, () => 'NOT_FOUND');
      if (status === 'RUNNING') throw error;
      // The workflow is gone or closed: it will not record KILLED itself.
      await this.db.execution.updateMany({ where: { id, state: 'KILLING' }, data: { state: 'KILLED', endedAt: new Date() } });
    }
    return { id, state: forced ? 'KILLED' : 'KILLING' };
  }

  /**
   * Restart from the failed task: the same execution runs again on its pinned revision, keeping
   * every task run that succeeded (and its outputs) and running the rest. Allowed once the
   * execution has ended FAILED, KILLED or CANCELLED.
   */
  async restart(tenant: string, id: string, by: string) {
    const execution = await this.db.execution.findUnique({ where: { id } });
    if (!execution || execution.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${id} not found`);
    if (!['FAILED', 'KILLED', 'CANCELLED'].includes(execution.state)) {
      throw new AppError('CONFLICT', `execution ${id} is ${execution.state}; only FAILED, KILLED or CANCELLED executions can be restarted (use replay to run it again)`);
    }
    const plan = await this.flows.plan({ tenant, namespace: execution.namespace, id: execution.flowId }, execution.flowRevision);
    if (plan.inputs.some((i) => i.type === 'SECRET')) {
      throw new AppError('CONFLICT', `flow ${plan.namespace}.${plan.id} has SECRET inputs, which are not stored; replay the execution with new inputs instead`);
    }
    const runs = await this.db.taskRun.findMany({ where: { executionId: id }, orderBy: { seq: 'asc' } });
    const done = runs
      .filter((r) => r.state === 'SUCCESS' || r.state === 'WARNING')
      .map((r) => ({ taskId: r.taskId, value: r.value ?? undefined, outputs: (r.outputs as Record<string, unknown> | null) ?? undefined }));
    const seqStart = runs.reduce((max, r) => Math.max(max, r.seq), -1) + 1;
    const now = new Date().toISOString();
    const updated = await this.db.execution.updateMany({
      where: { id, state: execution.state },
      data: {
        state: 'RESTARTED',
        endedAt: null,
        error: null,
        histories: [...((execution.histories as unknown[]) ?? []), { state: 'RESTARTED', date: now, by }] as object,
      },
    });
    if (updated.count === 0) throw new AppError('CONFLICT', `execution ${id} changed while restarting; try again`);
    const input: ExecutionInput = {
      executionId: id,
      tenant,
      plan,
      // Inputs as validated at the first start; SECRET inputs were masked when stored, so a
      // flow with SECRET inputs must be replayed instead.
      inputs: execution.inputs as Record<string, unknown>,
      labels: execution.labels as Record<string, string>,
      parent: execution.parentId ? { executionId: execution.parentId, taskRunId: '' } : undefined,
      restart: { done, seqStart },
    };
    await this.launch(input);
    return { id, state: 'RESTARTED', kept: done.map((d) => (d.value ? `${d.taskId}[${d.value}]` : d.taskId)) };
  }

  async logs(tenant: string, id: string, q: { taskRunId?: string; minLevel?: string } = {}) {
    const execution = await this.db.execution.findUnique({ where: { id }, select: { tenant: true } });
    if (!execution || execution.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${id} not found`);
    const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
    const min = q.minLevel ? levels.indexOf(q.minLevel.toUpperCase()) : 0;
    const rows = await this.db.logEntry.findMany({
      where: { executionId: id, ...(q.taskRunId ? { taskRunId: q.taskRunId } : {}), ...(min > 0 ? { level: { in: levels.slice(min) } } : {}) },
      orderBy: [{ timestamp: 'asc' }, { id: 'asc' }],
      take: 10_000,
    });
    return rows.map(toLogView);
  }

  async waitForEnd(tenant: string, id: string, timeoutMs = 60_000): Promise<ExecutionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.get(tenant, id);
      if (isTerminal(view.state.current as State) || Date.now() > deadline) return view;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function findTask(plan: FlowPlan, taskId: string) {
  const stack = [...plan.tasks, ...plan.errors, ...plan.finally];
  while (stack.length) {
    const t = stack.pop()!;
    if (t.id === taskId) return t;
    for (const c of Object.values(t.children ?? {})) stack.push(...c);
  }
  return undefined;
}

/** SECRET inputs are usable by tasks but never shown back: the stored copy is masked. */
function maskSecretInputs(declared: FlowInput[], values: Record<string, unknown>) {
  const out = { ...values };
  for (const input of declared) if (input.type === 'SECRET' && out[input.id] != null) out[input.id] = '******';
  return out;
}
