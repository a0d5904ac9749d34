// The triggers facade the composition roots (web app, worker) build: registration of a flow's
// triggers when it is saved or deleted, the Triggers page's listing, enable/disable, and the
// schedule, Flow-trigger and webhook services.
import type { Db, FlowTrigger } from '@baton/db';
import type { TriggerSpec } from '@baton/flow';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from '../../workflow/contracts';
import { POLLING_WORKFLOW_NAME, pollingWorkflowId, SCHEDULE_WAKE_SIGNAL, SCHEDULE_WORKFLOW_NAME, scheduleWorkflowId, type ScheduleRef } from '../../workflow/trigger-contracts';
import { AppError } from '../app-error';
import { TEMPORAL_CALL_DEADLINE_MS, type ExecutionService } from '../executions';
import type { FlowRef, FlowService } from '../flows';
import { FlowTriggerService } from './flow-triggers';
import { pollIntervalMs, PollingService, type PollingRuntimes, type PollingState } from './polling';
import { ScheduleService } from './schedules';
import { TriggerStore } from './store';
import { WebhookService } from './webhooks';

/** A trigger as GET /api/v1/{tenant}/triggers lists it. */
export interface TriggerView {
  namespace: string;
  flowId: string;
  triggerId: string;
  type: string;
  kind: string;
  /** Disabled from the API or the page (`disabledInFlow`: by the YAML or the flow). */
  disabled: boolean;
  disabledInFlow: boolean;
  nextDate: string | null;
  lastDate: string | null;
  lastFiredAt: string | null;
  lastExecutionId: string | null;
  lastReason: string | null;
  lastEvaluatedAt: string | null;
  description?: string;
  cron?: string;
  timezone?: string;
  /** Polling triggers: the interval (ISO-8601 as written, or the default) and the last event found. */
  interval?: string;
  lastEvent?: string;
  lastEventAt?: string;
  workerGroup?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class TriggerService {
  readonly store: TriggerStore;
  readonly schedules: ScheduleService;
  readonly flowTriggers: FlowTriggerService;
  readonly webhooks: WebhookService;
  readonly polling: PollingService;

  constructor(
    db: Db,
    private readonly flows: FlowService,
    executions: ExecutionService,
    private readonly temporal: () => Promise<Client>,
    private readonly warn: (message: string) => void = () => {},
    /** The worker's poll runtimes (the web app has none: it only starts and wakes pollers). */
    pollers?: PollingRuntimes,
  ) {
    this.store = new TriggerStore(db);
    this.schedules = new ScheduleService(flows, executions, this.store);
    this.flowTriggers = new FlowTriggerService(db, flows, executions, this.store, warn);
    this.webhooks = new WebhookService(db, flows, executions, this.store);
    this.polling = new PollingService(flows, executions, this.store, pollers);
  }

  /**
   * After a flow is saved or deleted: its trigger rows match its triggers, and each Schedule
   * trigger's scheduler workflow is started or woken (a removed one wakes, finds nothing and ends).
   * Temporal being away does not undo the save: the worker registers every schedule when it starts.
   */
  async register(ref: FlowRef, deleted = false): Promise<void> {
    let triggers: TriggerSpec[] = [];
    if (!deleted) {
      try {
        triggers = (await this.flows.plan(ref)).triggers;
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
      }
    }
    const flow = { tenant: ref.tenant, namespace: ref.namespace, flowId: ref.id };
    const { removed } = await this.store.sync(flow, triggers);
    // Schedules and polling triggers have a workflow each: started, or woken to read the flow again.
    const durable = [
      ...triggers.filter((t) => t.kind === 'schedule' || t.kind === 'polling').map((t) => ({ triggerId: t.id, kind: t.kind })),
      ...removed.filter((r) => r.kind === 'schedule' || r.kind === 'polling').map((r) => ({ triggerId: r.triggerId, kind: r.kind })),
    ];
    for (const { triggerId, kind } of durable) {
      await this.wake({ ...flow, triggerId }, kind).catch((error: unknown) =>
        this.warn(`${kind} trigger ${ref.namespace}.${ref.id}.${triggerId} not registered with Temporal now: ${(error as Error).message}`),
      );
    }
  }

  /** Starts the trigger's scheduler (or poller) workflow or, when it runs, wakes it to re-evaluate now. */
  async wake(ref: ScheduleRef, kind = 'schedule'): Promise<void> {
    const client = await this.temporal();
    const polling = kind === 'polling';
    await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS * 2, () =>
      client.workflow.signalWithStart(polling ? POLLING_WORKFLOW_NAME : SCHEDULE_WORKFLOW_NAME, {
        workflowId: polling ? pollingWorkflowId(ref) : scheduleWorkflowId(ref),
        taskQueue: DEFAULT_TASK_QUEUE,
        args: [ref],
        signal: SCHEDULE_WAKE_SIGNAL,
        signalArgs: [],
      }),
    );
  }

  /** Stops a scheduler (or poller) workflow (tests simulate a scheduler outage with it). */
  async stopScheduler(ref: ScheduleRef, kind = 'schedule'): Promise<void> {
    const client = await this.temporal();
    try {
      await client.workflow.getHandle(kind === 'polling' ? pollingWorkflowId(ref) : scheduleWorkflowId(ref)).terminate('scheduler stopped');
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  /** Worker start: every Schedule and polling trigger of every flow has its workflow (flows saved while Temporal was away). */
  async registerAll(db: Db): Promise<number> {
    // A cheap pre-filter on the source (register() reads the real plan): Schedule, or a plugin's *Trigger.
    const flows = await db.flow.findMany({
      where: { deleted: false, OR: [{ source: { contains: 'Schedule' } }, { source: { contains: 'Trigger' } }] },
      select: { tenant: true, namespace: true, id: true },
    });
    for (const f of flows) await this.register({ tenant: f.tenant, namespace: f.namespace, id: f.id });
    return flows.length;
  }

  /**
   * Repairs what a failed registration left (Temporal unreachable when the flow was saved): every
   * schedule and polling trigger row whose workflow is not running gets it started. The worker runs
   * this every minute; it only describes workflows that run, so it wakes nothing that is fine.
   */
  async reconcile(db: Db): Promise<number> {
    const rows = await db.flowTrigger.findMany({
      where: { kind: { in: ['schedule', 'polling'] } },
      select: { tenant: true, namespace: true, flowId: true, triggerId: true, kind: true },
    });
    const client = await this.temporal();
    let started = 0;
    for (const row of rows) {
      const ref = { tenant: row.tenant, namespace: row.namespace, flowId: row.flowId, triggerId: row.triggerId };
      let running = false;
      try {
        const described = await client.workflow.getHandle(row.kind === 'polling' ? pollingWorkflowId(ref) : scheduleWorkflowId(ref)).describe();
        running = described.status.name === 'RUNNING';
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      if (!running) {
        await this.wake(ref, row.kind);
        started++;
      }
    }
    return started;
  }

  async list(tenant: string, query: { namespace?: string; flowId?: string; within?: string[] } = {}): Promise<TriggerView[]> {
    const rows = await this.store.list(tenant, query);
    const views: TriggerView[] = [];
    for (const row of rows) views.push(await this.view(row));
    return views;
  }

  private async view(row: FlowTrigger): Promise<TriggerView> {
    let spec: TriggerSpec | undefined;
    let flowDisabled = false;
    try {
      const plan = await this.flows.plan({ tenant: row.tenant, namespace: row.namespace, id: row.flowId });
      spec = plan.triggers.find((t) => t.id === row.triggerId);
      flowDisabled = plan.disabled;
    } catch {
      // The flow no longer validates: the row is listed as it is.
    }
    return {
      namespace: row.namespace,
      flowId: row.flowId,
      triggerId: row.triggerId,
      type: row.type,
      kind: row.kind,
      disabled: row.disabled,
      disabledInFlow: flowDisabled || spec?.disabled === true,
      nextDate: iso(row.nextDate),
      lastDate: iso(row.lastDate),
      lastFiredAt: iso(row.lastFiredAt),
      lastExecutionId: row.lastExecutionId,
      lastReason: row.lastReason,
      lastEvaluatedAt: iso(row.lastEvaluatedAt),
      ...(spec?.description ? { description: spec.description } : {}),
      ...(spec?.kind === 'schedule' ? { cron: String(spec.props.cron), ...(spec.props.timezone ? { timezone: String(spec.props.timezone) } : {}) } : {}),
      ...(spec?.kind === 'polling' ? pollingView(spec, row.state as PollingState) : {}),
    };
  }

  /** Enable or disable a trigger (the Triggers page's switch); a schedule is re-evaluated at once. */
  async setDisabled(ref: ScheduleRef, disabled: boolean): Promise<TriggerView> {
    const row = await this.store.get(ref);
    if (!row) throw new AppError('NOT_FOUND', `trigger ${ref.triggerId} of flow ${ref.namespace}.${ref.flowId} not found`);
    // Re-enabling a schedule does not start what passed while it was off: it resumes from now.
    const updated = await this.store.update(ref, { disabled, ...(row.kind === 'schedule' && !disabled ? { lastDate: new Date() } : {}), lastReason: disabled ? 'disabled' : null });
    if (row.kind === 'schedule' || row.kind === 'polling')
      await this.wake(ref, row.kind).catch((error: unknown) => this.warn(`${row.kind} trigger ${ref.triggerId}: ${(error as Error).message}`));
    return this.view(updated);
  }
}

function pollingView(spec: TriggerSpec, state: PollingState | null) {
  return {
    interval: typeof spec.props.interval === 'string' ? spec.props.interval : `PT${pollIntervalMs(spec) / 1000}S`,
    ...(state?.lastEvent ? { lastEvent: state.lastEvent } : {}),
    ...(state?.lastEventAt ? { lastEventAt: state.lastEventAt } : {}),
    ...(spec.workerGroup ? { workerGroup: spec.workerGroup } : {}),
  };
}
