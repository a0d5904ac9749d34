import crypto from 'node:crypto';
import { Prisma, type Db, type Execution, type LogEntry, type TaskRun } from '@baton/db';
import { resolveInputs, type FlowInput, type FlowPlan } from '@baton/flow';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Execution as ContractExecution, LogLine, StateHistory, TaskRun as ContractTaskRun } from '@baton/contract';
import { isTerminal, type State } from '../states';
import { announceKill, createExecution, discardUnstarted, resumeTaskRun, transitionExecution, undoKill, undoResumeTaskRun, undoRestart } from '../state/transitions';
import { lockWaits } from '../state/locks';
import {
  COMPENSATION_ASK_INPUTS,
  COMPENSATION_ASK_TASK_ID,
  DEFAULT_TASK_QUEUE,
  RESUME_SIGNAL,
  WORKFLOW_NAME,
  type ExecutionInput,
  type ExecutionTrigger,
  type ResumeSignal,
} from '../workflow/contracts';
import { AppError } from './app-error';
import { searchWindow, type FlowRef, type FlowService } from './flows';
import { withinNamespaces } from './namespace-scope';
import { checkLabels } from './limits';
import { searchAttributesFor } from './search-attributes';
import type { ExecutionFiles, UploadedFile } from './storage/execution-files';
import { inputFileUri } from './storage/uris';
import { KillSwitches } from './kill-switches';
import { timedStep } from './step-timings';

/**
 * Every Temporal call of a request has this long: an unreachable server is a 503 within seconds,
 * not after the SDK's retries have run for most of a minute.
 */
export const TEMPORAL_CALL_DEADLINE_MS = 2_000;
/** How long a restart waits for the previous run of the workflow to close (see launchAfterClose). */
const RESTART_CLOSE_WAIT_MS = 10_000;
/** Seconds a caller is told to wait (Retry-After) when Temporal is unreachable. */
export const TEMPORAL_RETRY_AFTER_S = 5;

/** gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4), or a failed connect, anywhere in the cause chain. */
export function isTemporalUnreachable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const o = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (o.code === 14 || o.code === 4) return true;
    if (typeof o.message === 'string' && /Failed to connect|UNAVAILABLE|DEADLINE_EXCEEDED|No connection established/.test(o.message)) return true;
    e = o.cause;
  }
  return false;
}

/** PostgreSQL's unique_violation (23505), as raw SQL through Prisma reports it. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const o = e as { code?: unknown; message?: unknown; cause?: unknown; meta?: { code?: unknown } };
    if (o.code === '23505' || o.meta?.code === '23505' || (typeof o.message === 'string' && /23505|duplicate key|Unique constraint/.test(o.message))) return true;
    e = o.cause;
  }
  return false;
}

/** Kestra-style ids are short and URL-safe; 22 base62 characters hold 128 random bits. */
export function newExecutionId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = crypto.randomBytes(22);
  let id = '';
  for (const b of bytes) id += alphabet[b % 62];
  return id;
}

/** The execution as the API returns it: the wire contract's shape. */
export type ExecutionView = ContractExecution;

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
      current: execution.state as State,
      histories: execution.histories as StateHistory[],
      startDate: start.toISOString(),
      endDate: execution.endedAt?.toISOString(),
      duration: execution.endedAt ? execution.endedAt.getTime() - start.getTime() : undefined,
    },
    taskRunList: taskRuns.map((t): ContractTaskRun => ({
      id: t.id,
      executionId: t.executionId,
      taskId: t.taskId,
      parentTaskRunId: t.parentTaskRunId,
      value: t.value,
      state: { current: t.state as State, histories: t.histories as StateHistory[], startDate: t.startedAt?.toISOString(), endDate: t.endedAt?.toISOString() },
      attempts: t.attempts as ContractTaskRun['attempts'],
      outputs: (t.outputs ?? {}) as Record<string, unknown>,
      renderedProperties: (t.renderedProps ?? undefined) as Record<string, unknown> | undefined,
      error: t.error,
    })),
    inputs: execution.inputs as Record<string, unknown>,
    outputs: (execution.outputs ?? {}) as Record<string, unknown>,
    labels: Object.entries((execution.labels as Record<string, string>) ?? {}).map(([key, value]) => ({ key, value })),
    error: execution.error,
    parentId: execution.parentId,
    triggeredBy: execution.triggeredBy,
    killSwitchId: execution.killSwitchId,
    trigger: (execution.trigger ?? null) as ExecutionView['trigger'],
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
    trigger: input.trigger ?? null,
  };
}

/** A log line as the API returns it (Kestra's shape plus the row id, the follow stream's cursor). */
export function toLogView(r: LogEntry): LogLine {
  return {
    id: r.id.toString(),
    executionId: r.executionId,
    taskRunId: r.taskRunId,
    taskId: r.taskId,
    attemptNumber: r.attempt,
    level: r.level as LogLine['level'],
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
  /**
   * Only these namespace subtrees (what the caller may read); absent: all. Applied in the query,
   * so neither the results nor the total reveal anything outside.
   */
  within?: string[];
}

/** The WHERE of every execution search: a namespace includes its children; labels match exactly. */
export function executionWhere(tenant: string, f: ExecutionFilter): Prisma.ExecutionWhereInput {
  const and: Prisma.ExecutionWhereInput[] = [{ tenant }];
  if (f.namespace) and.push({ OR: [{ namespace: f.namespace }, { namespace: { startsWith: `${f.namespace}.` } }] });
  if (f.within) and.push(withinNamespaces(f.within));
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

interface InsertOptions {
  labels?: Record<string, string>;
  parent?: ExecutionInput['parent'];
  triggeredBy?: string;
  secretValues?: string[];
  id?: string;
  trigger?: ExecutionTrigger;
}

/** How a start is asked for: API and UI give labels, a revision or files; triggers give `id` and `trigger`. */
type StartOptions = { labels?: Record<string, string>; revision?: number; triggeredBy?: string; files?: Record<string, UploadedFile>; id?: string; trigger?: ExecutionTrigger };

export class ExecutionService {
  /** The start check of kill switches (docs/kill-switch.md): every start and restart goes through it. */
  private readonly killSwitches: KillSwitches;

  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    private readonly temporal: () => Promise<Client>,
    /** Internal storage, for FILE inputs; without it an upload is refused. */
    private readonly files?: ExecutionFiles,
  ) {
    this.killSwitches = new KillSwitches(db, this, temporal);
  }

  /** Validates inputs and records a CREATED execution; does not start it. */
  async prepare(
    ref: FlowRef,
    provided: Record<string, unknown>,
    options: { labels?: Record<string, string>; revision?: number; parent?: ExecutionInput['parent']; triggeredBy?: string; secretValues?: string[] } = {},
  ): Promise<ExecutionInput> {
    return this.insert(ref, await this.check(ref, provided, options), options);
  }

  /** Everything a start checks before anything is stored. */
  private async check(ref: FlowRef, provided: Record<string, unknown>, options: { labels?: Record<string, string>; revision?: number }) {
    if (options.labels) checkLabels(options.labels);
    // Every start (API, UI, triggers, apps, subflows, replays) passes here: a switch in force
    // refuses it. The check is read with the plan's key, in the same round trip.
    const { plan, also: switchId } = await timedStep('flow', () => this.flows.planAnd(ref, options.revision, KillSwitches.inForceSql(ref.tenant, ref.namespace, ref.id)));
    if (plan.disabled) throw new AppError('CONFLICT', `flow ${ref.namespace}.${ref.id} is disabled; enable it to run it`);
    if (switchId) await this.killSwitches.refuseStart(ref.tenant, switchId, plan.namespace, plan.id);
    const { values, errors } = resolveInputs(plan.inputs, provided);
    if (errors.length) throw new AppError('INVALID_INPUTS', 'invalid inputs', errors);
    return { plan, values };
  }

  /**
   * The start's one-round-trip path: with the plan last read as the flow's latest revision, the
   * inputs are checked in memory and the row inserted on condition that the plan is still the
   * latest and no kill switch refuses the start (both checked by the INSERT itself, so a deploy or
   * a switch committed before is seen). Undefined when that does not hold or cannot be tried
   * (no plan read yet, a disabled flow, inputs this plan refuses): the full path then reads the
   * flow again and says what is wrong.
   */
  private async insertOnLastPlan(
    ref: FlowRef,
    provided: Record<string, unknown>,
    options: { labels?: Record<string, string>; triggeredBy?: string; id: string; trigger?: ExecutionTrigger },
  ): Promise<ExecutionInput | undefined> {
    const last = this.flows.lastLatest(ref);
    if (!last || last.plan.disabled) return undefined;
    if (options.labels) checkLabels(options.labels);
    const { values, errors } = resolveInputs(last.plan.inputs, provided);
    if (errors.length) return undefined;
    // As on the full path: Temporal is reached (503 at once when it is not) before anything is stored.
    await this.client('the execution was not started');
    const onlyIf = Prisma.sql`${last.stillLatest} AND ${KillSwitches.inForceSql(ref.tenant, ref.namespace, ref.id)} IS NULL`;
    return this.insertIf(ref, { plan: last.plan, values }, options, onlyIf);
  }

  private async insert(ref: FlowRef, checked: { plan: FlowPlan; values: Record<string, unknown> }, options: InsertOptions): Promise<ExecutionInput> {
    return (await this.insertIf(ref, checked, options, Prisma.sql`true`))!;
  }

  /** Inserts the CREATED row when `onlyIf` holds (in the same statement); undefined when it did not. */
  private async insertIf(
    ref: FlowRef,
    { plan, values }: { plan: FlowPlan; values: Record<string, unknown> },
    options: InsertOptions,
    onlyIf: Prisma.Sql,
  ): Promise<ExecutionInput | undefined> {
    // Only the parent's secrets this child was actually given travel on (and are masked in its row).
    const secretValues = (options.secretValues ?? []).filter((secret) => secret !== '' && Object.values(values).some((v) => typeof v === 'string' && v.includes(secret)));
    const id = options.id ?? newExecutionId();
    const labels = { ...plan.labels, ...(options.labels ?? {}) };
    // Raw SQL on the start path (see FlowService.plan).
    const inserted = await timedStep('insert', () =>
      createExecution(
        this.db,
        {
          id,
          tenant: ref.tenant,
          namespace: plan.namespace,
          flowId: plan.id,
          flowRevision: plan.revision,
          inputs: maskSecretInputs(plan.inputs, values, secretValues),
          labels,
          parentId: options.parent?.executionId,
          triggeredBy: options.triggeredBy,
          trigger: options.trigger,
          at: new Date().toISOString(),
        },
        onlyIf,
      ),
    );
    if (!inserted) return undefined;
    return {
      executionId: id,
      tenant: ref.tenant,
      plan,
      inputs: values,
      labels,
      parent: options.parent,
      ...(secretValues.length ? { secretValues } : {}),
      ...(options.trigger ? { trigger: options.trigger } : {}),
    };
  }

  /**
   * Checks, records and starts an execution. Nothing is stored for a start that is refused: the
   * flow, labels and inputs are checked first, then Temporal is reached (503 at once when it is
   * not), and only then is the row inserted and the workflow started.
   *
   * Triggers pass `id`, derived from what fired (flow, trigger, scheduled time or upstream end):
   * a second start of the same fire is refused by the primary key (DUPLICATE_START), so a restarted
   * scheduler or a retried activity never starts it twice.
   */
  async start(ref: FlowRef, provided: Record<string, unknown>, options: StartOptions = {}): Promise<ExecutionInput> {
    try {
      return await this.startOnce(ref, provided, options);
    } catch (error) {
      const duplicate = error instanceof AppError && (error.details as { duplicate?: boolean } | undefined)?.duplicate;
      if (options.id && duplicate) {
        const resumed = await this.launchUnstarted(ref.tenant, options.id, provided, options.trigger);
        if (resumed) return resumed;
      }
      throw error;
    }
  }

  /**
   * A fire whose row exists while its workflow may never have started: the process that inserted
   * it died between the insert and the workflow start (a worker SIGKILLed while a schedule fires;
   * trigger-restart.int.test.ts). The retry of that fire, with the same id, lands here: while the
   * row is still CREATED, its workflow is started now, on the revision the row recorded and the
   * inputs the retry rendered (the same fire renders the same inputs). Temporal's workflow id
   * uniqueness refuses a second start, so the fire still runs at most once; undefined when the
   * workflow was started before (the duplicate stands).
   */
  private async launchUnstarted(tenant: string, id: string, provided: Record<string, unknown>, trigger?: ExecutionTrigger): Promise<ExecutionInput | undefined> {
    const row = await this.db.execution.findUnique({ where: { id }, select: { tenant: true, namespace: true, flowId: true, flowRevision: true, state: true, labels: true } });
    if (!row || row.tenant !== tenant || row.state !== 'CREATED') return undefined;
    const plan = await this.flows.plan({ tenant, namespace: row.namespace, id: row.flowId }, row.flowRevision);
    const { values, errors } = resolveInputs(plan.inputs, provided);
    if (errors.length) return undefined;
    const input: ExecutionInput = { executionId: id, tenant, plan, inputs: values, labels: row.labels as Record<string, string>, ...(trigger ? { trigger } : {}) };
    try {
      await this.launch(input);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return undefined;
      throw error;
    }
    return input;
  }

  private async startOnce(ref: FlowRef, provided: Record<string, unknown>, options: StartOptions): Promise<ExecutionInput> {
    const id = options.id ?? newExecutionId();
    const files = options.files ?? {};
    if (!Object.keys(files).length && options.revision === undefined) {
      // The usual start (latest revision, no uploads): one SQL round trip, then the workflow start.
      const input = await this.insertOnLastPlan(ref, provided, { ...options, id }).catch((error) => this.refusedInsert(error, options.id));
      if (input) return this.launchInserted(input);
    }
    // Uploaded files are named by the URIs they will have, so the inputs are checked as they will be.
    const fileRef = { namespace: ref.namespace, flowId: ref.id, executionId: id };
    const fileUris = Object.fromEntries(Object.entries(files).map(([inputId, file]) => [inputId, inputFileUri(fileRef, inputId, file.name)]));
    const checked = await this.check(ref, { ...provided, ...fileUris }, options);
    const notFile = Object.keys(files)
      .map((k) => checked.plan.inputs.find((i) => i.id === k))
      .filter((i) => i && i.type !== 'FILE');
    if (notFile.length) {
      throw new AppError(
        'INVALID_INPUTS',
        'invalid inputs',
        notFile.map((i) => ({ input: i!.id, message: `input '${i!.id}' is ${i!.type}, not FILE; send it as a form field, not a file` })),
      );
    }
    if (Object.keys(files).length && !this.files) throw new AppError('UNAVAILABLE', 'internal storage is not configured here; FILE inputs cannot be uploaded');
    await this.client('the execution was not started');
    if (this.files && Object.keys(files).length) await this.files.storeInputs(ref.tenant, fileRef, files);
    let input: ExecutionInput;
    try {
      input = await this.insert(ref, checked, { ...options, id });
    } catch (error) {
      await this.files?.deleteExecution(ref.tenant, fileRef).catch(() => 0);
      return this.refusedInsert(error, options.id);
    }
    return this.launchInserted(input, fileRef);
  }

  /** An insert that failed: a trigger's fire id seen before is a 409 (DUPLICATE_START); the rest as is. */
  private refusedInsert(error: unknown, givenId: string | undefined): never {
    if (givenId && isUniqueViolation(error)) throw new AppError('CONFLICT', `execution ${givenId} already exists (this fire was started before)`, { duplicate: true });
    throw error;
  }

  /** Starts the workflow of an inserted row; a failed start is sorted out by notStarted. */
  private async launchInserted(input: ExecutionInput, fileRef?: { namespace: string; flowId: string; executionId: string }): Promise<ExecutionInput> {
    try {
      await this.launch(input);
    } catch (error) {
      await this.notStarted(input.executionId, error, fileRef ? { tenant: input.tenant, ref: fileRef } : undefined);
    }
    // A switch stored between the check above and the insert: its sweep may have missed this row,
    // so the start looks again (docs/kill-switch.md). Best effort: the start itself stands.
    await this.killSwitches.sweepLateStart(input.tenant, input.plan.namespace, input.plan.id, input.executionId).catch(() => {});
    return input;
  }

  /**
   * A start that failed after the row was written. If the workflow exists after all (the answer
   * was lost), the start stands. If Temporal says it does not, the row is removed: nothing ran.
   * If Temporal cannot say, the row is ended FAILED with an error that says it was not started.
   */
  private async notStarted(id: string, error: unknown, uploaded?: { tenant: string; ref: { namespace: string; flowId: string; executionId: string } }): Promise<void> {
    const exists = await this.workflowExists(id);
    if (exists === true) return;
    if (exists === false) {
      const discarded = await discardUnstarted(this.db, id);
      // Nothing ran: the files uploaded for it go with the row.
      if (discarded && uploaded) await this.files?.deleteExecution(uploaded.tenant, uploaded.ref).catch(() => 0);
    } else {
      await transitionExecution(this.db, id, 'failToStart', {
        at: new Date().toISOString(),
        error: `not started: Temporal did not accept the start (${(error as Error).message})`,
      });
    }
    if (isTemporalUnreachable(error)) {
      throw AppError.unavailable('Temporal is not reachable right now; the execution was not started. Try again shortly.', TEMPORAL_RETRY_AFTER_S, error);
    }
    throw error;
  }

  /** true / false when Temporal answers, undefined when it cannot be asked. */
  private async workflowExists(id: string): Promise<boolean | undefined> {
    try {
      const client = await this.temporal();
      await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(id).describe());
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      return undefined;
    }
  }

  /** The Temporal client, or a 503 saying what did not happen when Temporal cannot be reached. */
  private async client(notDone: string): Promise<Client> {
    try {
      return await this.temporal();
    } catch (error) {
      throw AppError.unavailable(`Temporal is not reachable right now; ${notDone}. Try again shortly.`, TEMPORAL_RETRY_AFTER_S, error);
    }
  }

  /** Runs Temporal calls under TEMPORAL_CALL_DEADLINE_MS; unreachable → 503 naming what did not happen. */
  private async withTemporal<T>(notDone: string, fn: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.client(notDone);
    try {
      return await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => fn(client));
    } catch (error) {
      if (isTemporalUnreachable(error)) {
        throw AppError.unavailable(`Temporal is not reachable right now; ${notDone}. Try again shortly.`, TEMPORAL_RETRY_AFTER_S, error);
      }
      throw error;
    }
  }

  /**
   * A restart's start. The row turns terminal in the workflow's last projection, a moment before
   * the workflow itself closes, so a restart right after an end can find the old run still open
   * (Temporal: already started). Then it waits for that run to close and starts once more; a run
   * still open after RESTART_CLOSE_WAIT_MS is a 409 to retry, not a 500.
   */
  private async launchAfterClose(input: ExecutionInput) {
    try {
      return await this.launch(input);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    const client = await this.temporal();
    await client.connection
      .withDeadline(Date.now() + RESTART_CLOSE_WAIT_MS, () => client.workflow.getHandle(input.executionId).result())
      .catch(() => undefined /* closed with a failure, or still open: the start below says which */);
    try {
      return await this.launch(input);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new AppError('CONFLICT', `execution ${input.executionId} is still closing its previous run; try the restart again in a few seconds`);
      }
      throw error;
    }
  }

  /** Starts the execution workflow (workflow id = execution id) with its search attributes. */
  private async launch(input: ExecutionInput) {
    const client = await this.temporal();
    await timedStep('temporal-start', () =>
      client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () =>
        client.workflow.start(WORKFLOW_NAME, {
          workflowId: input.executionId,
          taskQueue: DEFAULT_TASK_QUEUE,
          args: [input],
          typedSearchAttributes: searchAttributesFor(input.tenant, input.plan.namespace, input.plan.id),
        }),
      ),
    );
  }

  async get(tenant: string, id: string): Promise<ExecutionView> {
    const execution = await this.db.execution.findUnique({ where: { id } });
    if (!execution || execution.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${id} not found`);
    const taskRuns = await this.db.taskRun.findMany({ where: { executionId: id }, orderBy: [{ seq: 'asc' }] });
    const view = toExecutionView(execution, taskRuns);
    // Only an open execution can wait for a lock: ended ones cost no query.
    const waits = isTerminal(execution.state) ? [] : await lockWaits(this.db, id);
    return waits.length ? { ...view, lockWaits: waits } : view;
  }

  async search(tenant: string, q: SearchQuery) {
    const { page, size } = searchWindow(q);
    const where = executionWhere(tenant, q);
    const [rows, total] = await Promise.all([
      this.db.execution.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * size, take: size }),
      this.db.execution.count({ where }),
    ]);
    return { results: rows.map((r) => toExecutionView(r, [])), total, page, size };
  }

  async resume(tenant: string, id: string, by: string, inputs: Record<string, unknown>) {
    const { execution, paused } = await this.paused(tenant, id);
    const values = await this.resumeInputs(tenant, execution, paused.taskId, inputs);
    await this.signalResume(id, paused, { taskRunId: paused.id, by, inputs: values });
    return { resumed: paused.taskId, by, inputs: values };
  }

  /** The paused execution and its paused task run; 409 when it is not waiting. */
  async paused(tenant: string, id: string) {
    const execution = await this.get(tenant, id);
    if (execution.state.current !== 'PAUSED') {
      throw new AppError('CONFLICT', `execution ${id} is ${execution.state.current}, not PAUSED; only a paused execution can be resumed`);
    }
    const paused = execution.taskRunList.find((t) => t.state.current === 'PAUSED');
    if (!paused) throw new AppError('CONFLICT', `execution ${id} has no paused task`);
    return { execution, paused };
  }

  /** The paused task's onResume inputs, checked and coerced (422 naming each bad one). */
  async resumeInputs(tenant: string, execution: ExecutionView, taskId: string, inputs: Record<string, unknown>) {
    const { values, errors } = resolveInputs(await this.onResumeOf(tenant, execution, taskId), inputs);
    if (errors.length) throw new AppError('INVALID_INPUTS', 'invalid resume inputs', errors);
    return values;
  }

  /** The onResume input definitions of a paused task. */
  async onResumeOf(tenant: string, execution: ExecutionView, taskId: string): Promise<FlowInput[]> {
    if (taskId === COMPENSATION_ASK_TASK_ID) return COMPENSATION_ASK_INPUTS;
    const plan = await this.flows.plan({ tenant, namespace: execution.namespace, id: execution.flowId }, execution.flowRevision);
    return (findTask(plan, taskId)?.props.onResume as FlowInput[] | undefined) ?? [];
  }

  /**
   * Claims the paused task run and sends the resume signal (which lands in Temporal history).
   * Of concurrent resumes exactly one wins; the others are told it is already resumed.
   */
  async signalResume(id: string, paused: { id: string; taskId: string }, signal: ResumeSignal) {
    await this.client('the execution was not resumed');
    // Claim the paused task run (PAUSED → RUNNING, as the workflow records it after a resume).
    const claimed = await resumeTaskRun(this.db, paused.id, signal.by, new Date().toISOString());
    if (!claimed) throw new AppError('CONFLICT', `execution ${id} is already being resumed (task ${paused.taskId})`);
    try {
      await this.withTemporal('the execution was not resumed', (client) => client.workflow.getHandle(id).signal(RESUME_SIGNAL, signal));
    } catch (error) {
      await undoResumeTaskRun(this.db, paused.id, new Date().toISOString());
      throw error;
    }
  }

  /**
   * Kill: the execution goes KILLING now; the workflow is cancelled, which aborts running
   * activities on their next heartbeat, and records KILLED. A second kill of an execution that is
   * still KILLING terminates the workflow (the last resort when a worker is gone).
   */
  async kill(tenant: string, id: string, by: string, options: { killSwitch?: string } = {}) {
    const execution = await this.db.execution.findUnique({ where: { id } });
    if (!execution || execution.tenant !== tenant) throw new AppError('NOT_FOUND', `execution ${id} not found`);
    if (isTerminal(execution.state)) throw new AppError('CONFLICT', `execution ${id} already ended ${execution.state}`);
    const client = await this.client('the execution was not killed');
    const handle = client.workflow.getHandle(id);
    const deadline = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, fn);
    const forced = execution.state === 'KILLING';
    // Conditional: if the execution ended meanwhile, its final state stays.
    const marked = await transitionExecution(this.db, id, 'kill', { at: new Date().toISOString(), by, killSwitch: options.killSwitch });
    if (!marked) throw new AppError('CONFLICT', `execution ${id} ended before it could be killed`);
    // Workers abort this execution's running tasks on this notice, before Temporal's cancel reaches them.
    if (!forced) await announceKill(this.db, id).catch(() => {});
    // The workflow will not record KILLED after a terminate or once it is gone: the API does, with
    // its history entry, ending the task runs left open (the `killed` transition frees them).
    const recordKilled = (error?: string) => transitionExecution(this.db, id, 'killed', { at: new Date().toISOString(), by, error, killSwitch: options.killSwitch });
    try {
      if (forced) {
        await deadline(() => handle.terminate(`killed by ${by} (forced)`));
        await recordKilled('terminated');
      } else {
        await deadline(() => handle.cancel());
        // Temporal accepts a cancel for a workflow that has already closed (terminated from
        // outside, failed): nobody would record KILLED, so the kill does. A workflow that closed
        // on its own end or after recording KILLED is left as it ended (the transition refuses).
        const closed = await deadline(() => handle.describe()).then(
          (d) => d.status.name !== 'RUNNING',
          () => false,
        );
        if (closed && (await recordKilled('killed'))) return { id, state: 'KILLED' };
      }
    } catch (error) {
      await this.killNotDelivered(client, id, error, { undo: !forced, recordKilled });
    }
    return { id, state: forced ? 'KILLED' : 'KILLING' };
  }

  /**
   * A cancel or terminate that failed: the workflow is gone or closed (it will not record KILLED
   * itself, so this does), or Temporal was not reached (a first kill is undone: the execution keeps
   * the state it had; 503), or the workflow still runs (the error goes up).
   */
  private async killNotDelivered(client: Client, id: string, error: unknown, o: { undo: boolean; recordKilled: (error?: string) => Promise<boolean> }) {
    const status = await client.connection
      .withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(id).describe())
      .then(
        (d) => d.status.name,
        (e) => (e instanceof WorkflowNotFoundError ? 'NOT_FOUND' : 'UNKNOWN'),
      );
    if (status === 'UNKNOWN' && isTemporalUnreachable(error)) {
      if (o.undo) await undoKill(this.db, id);
      throw AppError.unavailable('Temporal is not reachable right now; the execution was not killed. Try again shortly.', TEMPORAL_RETRY_AFTER_S, error);
    }
    if (status === 'RUNNING' || status === 'UNKNOWN') throw error;
    await o.recordKilled('killed');
  }

  /**
   * The Temporal half of a kill switch's sweep (KillSwitches.killInScope): the executions were
   * moved to KILLING in one statement (`killInScope`); each workflow is now cancelled. Resolves
   * once Temporal accepted the cancel and returns `closed`, a check to run afterwards (the sweep
   * runs them after every cancel went out): a workflow that had already closed on its own (ended
   * outside Baton) accepts a cancel silently, and nobody else would record KILLED.
   */
  async cancelKilled(id: string, by: string, killSwitch: string): Promise<{ closed: () => Promise<void> }> {
    const client = await this.client('the execution was not killed');
    const handle = client.workflow.getHandle(id);
    const recordKilled = (error?: string) => transitionExecution(this.db, id, 'killed', { at: new Date().toISOString(), by, error, killSwitch });
    try {
      await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => handle.cancel());
    } catch (error) {
      await this.killNotDelivered(client, id, error, { undo: true, recordKilled });
      return { closed: async () => {} };
    }
    return {
      closed: async () => {
        const closed = await client.connection
          .withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => handle.describe())
          .then(
            (d) => d.status.name !== 'RUNNING',
            () => false,
          );
        if (closed) await recordKilled('killed');
      },
    };
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
    await this.killSwitches.assertStartAllowed(tenant, execution.namespace, execution.flowId, id);
    const plan = await this.flows.plan({ tenant, namespace: execution.namespace, id: execution.flowId }, execution.flowRevision);
    // SECRET inputs (and a subflow's inputs that carried a parent's secret) are stored masked.
    if (plan.inputs.some((i) => i.type === 'SECRET') || Object.values((execution.inputs as Record<string, unknown>) ?? {}).includes('******')) {
      throw new AppError('CONFLICT', `flow ${plan.namespace}.${plan.id} has SECRET inputs, which are not stored; replay the execution with new inputs instead`);
    }
    await this.client('the execution was not restarted');
    const runs = await this.db.taskRun.findMany({ where: { executionId: id }, orderBy: { seq: 'asc' } });
    const done = runs
      .filter((r) => r.state === 'SUCCESS' || r.state === 'WARNING')
      .map((r) => ({ taskId: r.taskId, value: r.value ?? undefined, outputs: (r.outputs as Record<string, unknown> | null) ?? undefined }));
    const seqStart = runs.reduce((max, r) => Math.max(max, r.seq), -1) + 1;
    const restarted = await transitionExecution(this.db, id, 'restart', { at: new Date().toISOString(), by });
    if (!restarted) throw new AppError('CONFLICT', `execution ${id} changed while restarting; try again`);
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
      ...(execution.trigger ? { trigger: execution.trigger as unknown as ExecutionTrigger } : {}),
    };
    try {
      await this.launchAfterClose(input);
    } catch (error) {
      // Not started: the execution goes back to how it ended.
      await undoRestart(this.db, id, { endedAt: execution.endedAt, error: execution.error });
      if (isTemporalUnreachable(error))
        throw AppError.unavailable('Temporal is not reachable right now; the execution was not restarted. Try again shortly.', TEMPORAL_RETRY_AFTER_S, error);
      throw error;
    }
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

/**
 * SECRET inputs are usable by tasks but never shown back: the stored copy is masked, as is any
 * input carrying a parent execution's secret (`secrets`, a subflow's).
 */
function maskSecretInputs(declared: FlowInput[], values: Record<string, unknown>, secrets: string[] = []) {
  const out = { ...values };
  for (const input of declared) if (input.type === 'SECRET' && out[input.id] != null) out[input.id] = '******';
  for (const [id, v] of Object.entries(out)) if (typeof v === 'string' && secrets.some((s) => v.includes(s))) out[id] = '******';
  return out;
}
