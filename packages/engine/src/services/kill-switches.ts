// Kill switches (docs/kill-switch.md): a stop sign over a scope (tenant; a namespace with its
// children; a flow; one execution). Every mode refuses new executions in scope; KILL also kills
// what is running, paused or queued there, CANCEL lets running executions finish their current task
// and end CANCELLED (a signal the interpreter checks before the next task), BLOCK does nothing more.
//
// The one start check is `assertStartAllowed`: ExecutionService calls it on every start path
// (API, UI, triggers, apps, subflows through `prepare`, replay) and on restart, so no caller has to
// remember it. A switch is in force while not lifted and now() is within [start, end): an end date
// lifts it by itself, nothing has to run at that moment.
import crypto from 'node:crypto';
import { Prisma, type Db, type KillSwitch as KillSwitchRow } from '@baton/db';
import { KillSwitchScopeSchema, KILL_SWITCH_MODES, type KillSwitch, type KillSwitchMode, type KillSwitchPreview, type KillSwitchScope } from '@baton/contract';
import type { Client } from '@temporalio/client';
import { KILL_SWITCH_CANCEL_SIGNAL, type KillSwitchCancelSignal } from '../workflow/contracts';
import { killInScope as markKillingInScope, type KillScope } from '../state/transitions';
import { AppError } from './app-error';
import type { ExecutionService } from './executions';
import { withinNamespaces } from './namespace-scope';

/** Open states a KILL switch kills and a CANCEL switch signals (KILLING is already being killed). */
const REACHED = ['CREATED', 'QUEUED', 'RESTARTED', 'RUNNING', 'PAUSED', 'RETRYING'];
/** How the blast radius groups states. */
const GROUP: Record<string, 'running' | 'paused' | 'queued'> = {
  RUNNING: 'running',
  RETRYING: 'running',
  PAUSED: 'paused',
  CREATED: 'queued',
  QUEUED: 'queued',
  RESTARTED: 'queued',
};
/** Signals (and the kill sweep's after-checks) running side by side: Temporal and PostgreSQL round trips overlap. */
const SWEEP_CONCURRENCY = 32;
/**
 * Workflow cancels in flight at once in a KILL sweep. Each is one small Temporal call; 500
 * executions go out in a few rounds instead of 16 (measured in bench/kill-switch-bench.ts).
 */
const CANCEL_CONCURRENCY = 128;
const REASON_MAX = 1000;

export interface KillSwitchInput {
  scope: KillSwitchScope;
  mode: KillSwitchMode;
  reason: string;
  endDate?: Date;
}

/** The scope as a person reads it. */
export function scopeText(s: { namespace?: string | null; flowId?: string | null; executionId?: string | null }): string {
  if (s.executionId) return `execution ${s.executionId}`;
  if (s.flowId) return `flow ${s.namespace}.${s.flowId}`;
  if (s.namespace) return `namespace ${s.namespace} (and its children)`;
  return 'the whole tenant';
}

/** The 409 message of a refused start: names the switch, its reason and who set it. */
export function refusalMessage(row: Pick<KillSwitchRow, 'id' | 'mode' | 'reason' | 'createdBy' | 'namespace' | 'flowId' | 'executionId' | 'endDate'>): string {
  const until = row.endDate ? ` until ${row.endDate.toISOString()}` : ' until it is lifted';
  return `kill switch ${row.id} (${row.mode}) on ${scopeText(row)}, set by ${row.createdBy}${until}: ${row.reason}`;
}

/** Checks a request body into a KillSwitchInput; every mistake is a 400/422 saying what to send. */
export function parseKillSwitchInput(body: Record<string, unknown>, now = new Date()): KillSwitchInput {
  const scope = KillSwitchScopeSchema.safeParse(body.scope ?? {});
  if (!scope.success) throw new AppError('BAD_REQUEST', 'scope must be an object with optional namespace, flowId and executionId (strings); {} is the whole tenant');
  const s = scope.data;
  if (s.flowId && !s.namespace) throw new AppError('BAD_REQUEST', 'a flow scope names its namespace too: {"namespace": "team.a", "flowId": "deploy"}');
  if (s.executionId && (s.namespace || s.flowId)) throw new AppError('BAD_REQUEST', 'an execution scope is the execution id alone: {"executionId": "..."}');
  for (const [k, v] of Object.entries(s)) if (v !== undefined && (!v.trim() || v.length > 300)) throw new AppError('BAD_REQUEST', `scope.${k} must be 1 to 300 characters`);
  if (typeof body.mode !== 'string' || !(KILL_SWITCH_MODES as readonly string[]).includes(body.mode)) {
    throw new AppError('BAD_REQUEST', `mode must be one of ${KILL_SWITCH_MODES.join(', ')}`);
  }
  if (typeof body.reason !== 'string' || !body.reason.trim() || body.reason.length > REASON_MAX) {
    throw new AppError('BAD_REQUEST', `reason is required: say why (1 to ${REASON_MAX} characters); it is shown to whoever is refused`);
  }
  let endDate: Date | undefined;
  if (body.endDate !== undefined && body.endDate !== null) {
    endDate = typeof body.endDate === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(body.endDate) ? new Date(body.endDate) : new Date(NaN);
    if (Number.isNaN(endDate.getTime())) throw new AppError('BAD_REQUEST', 'endDate must be an ISO-8601 date-time, e.g. 2026-12-03T18:00:00Z');
    if (endDate <= now) throw new AppError('UNPROCESSABLE', 'endDate is in the past; leave it out for a switch that stays until lifted');
  }
  return { scope: s, mode: body.mode as KillSwitchMode, reason: body.reason.trim(), endDate };
}

export function toKillSwitchView(row: KillSwitchRow, now = new Date()): KillSwitch {
  return {
    id: row.id,
    tenantId: row.tenant,
    scope: { namespace: row.namespace, flowId: row.flowId, executionId: row.executionId },
    scopeText: scopeText(row),
    mode: row.mode as KillSwitchMode,
    reason: row.reason,
    createdBy: row.createdBy,
    startDate: row.startDate.toISOString(),
    endDate: row.endDate?.toISOString() ?? null,
    liftedAt: row.liftedAt?.toISOString() ?? null,
    liftedBy: row.liftedBy,
    active: isInForce(row, now),
    affected: row.killed,
  };
}

function isInForce(row: Pick<KillSwitchRow, 'liftedAt' | 'startDate' | 'endDate'>, now: Date): boolean {
  return !row.liftedAt && row.startDate <= now && (!row.endDate || row.endDate > now);
}

/** Prisma's WHERE for switches in force now. */
function inForceWhere(tenant: string, now: Date): Prisma.KillSwitchWhereInput {
  return { tenant, liftedAt: null, startDate: { lte: now }, OR: [{ endDate: null }, { endDate: { gt: now } }] };
}

export class KillSwitches {
  constructor(
    private readonly db: Db,
    /** Kills, for KILL switches; the start check alone needs neither. */
    private readonly executions?: ExecutionService,
    /** Signals, for CANCEL switches. */
    private readonly temporal?: () => Promise<Client>,
  ) {}

  /**
   * The start check as SQL: a scalar subquery giving the id of the first switch in force that
   * covers this flow (its namespace, a parent namespace, the flow, the tenant) or, for a restart,
   * this execution; NULL when none does. One indexed lookup, so the start path can read it in the
   * same round trip as the flow's plan key (FlowService.planAnd) or make its insert conditional
   * on it (ExecutionService.start): the check stays written once, here.
   */
  static inForceSql(tenant: string, namespace: string, flowId: string, executionId?: string): Prisma.Sql {
    return Prisma.sql`(
      SELECT id FROM kill_switches
      WHERE tenant = ${tenant} AND lifted_at IS NULL
        AND start_date <= (now() AT TIME ZONE 'UTC') AND (end_date IS NULL OR end_date > (now() AT TIME ZONE 'UTC'))
        AND CASE WHEN execution_id IS NOT NULL THEN execution_id = ${executionId ?? null}::text
                 WHEN flow_id IS NOT NULL THEN namespace = ${namespace} AND flow_id = ${flowId}
                 WHEN namespace IS NOT NULL THEN namespace = ${namespace} OR starts_with(${namespace}, namespace || '.')
                 ELSE true END
      ORDER BY created_at LIMIT 1)`;
  }

  /**
   * The one start check: a 409 naming the switch when one in force covers this flow or, for a
   * restart, this execution (see inForceSql). One indexed query.
   */
  async assertStartAllowed(tenant: string, namespace: string, flowId: string, executionId?: string): Promise<void> {
    const rows = await this.db.$queryRaw<{ id: string | null }[]>`SELECT ${KillSwitches.inForceSql(tenant, namespace, flowId, executionId)} AS id`;
    if (rows[0]?.id) await this.refuseStart(tenant, rows[0].id, namespace, flowId, executionId);
  }

  /** The start refused by switch `id` (found in force by inForceSql): a 409 that names it and says until when. */
  async refuseStart(tenant: string, id: string, namespace: string, flowId: string, executionId?: string): Promise<never> {
    // Refused (rare): the row is read again through Prisma for its dates.
    const row = await this.row(tenant, id);
    const what = executionId ? `execution ${executionId} was not restarted` : `flow ${namespace}.${flowId} was not started`;
    throw new AppError('CONFLICT', `${what}: ${refusalMessage(row)}`, { killSwitch: row.id });
  }

  /** The oldest switch in force covering this flow (or, for a restart, this execution). One indexed query. */
  private async covering(tenant: string, namespace: string, flowId: string, executionId?: string): Promise<string | undefined> {
    const rows = await this.db.$queryRaw<{ id: string | null }[]>`SELECT ${KillSwitches.inForceSql(tenant, namespace, flowId, executionId)} AS id`;
    return rows[0]?.id ?? undefined;
  }

  /**
   * A start's second look, once its row is inserted and its workflow started (ExecutionService.start).
   * A start whose check ran just before a switch was stored would otherwise escape it: its row can
   * land after the sweep listed the executions. Every start either inserted its row before the
   * switch was stored (the sweep, which runs after, finds it) or looks here after (and finds the
   * switch): no window is left. KILL kills it and CANCEL cancels it, as the sweep would have; BLOCK
   * lets it run, like any execution started before the switch.
   */
  async sweepLateStart(tenant: string, namespace: string, flowId: string, executionId: string): Promise<void> {
    const id = await this.covering(tenant, namespace, flowId);
    if (!id) return;
    const row = await this.row(tenant, id);
    const one = { tenant, executionId };
    const affected = row.mode === 'KILL' ? await this.killInScope(row, one) : row.mode === 'CANCEL' ? await this.cancelInScope(row, one) : 0;
    if (row.mode === 'KILL' && !affected && this.executions) {
      // The sweep reached the row before its workflow existed (the cancel found none, so KILLED
      // was recorded): the workflow started since is cancelled now, and records KILLED again (a no-op).
      const execution = await this.db.execution.findUnique({ where: { id: executionId }, select: { killSwitchId: true } });
      if (execution?.killSwitchId === row.id) await this.executions.cancelKilled(executionId, row.createdBy, row.id);
    }
    if (affected) await this.db.killSwitch.update({ where: { id: row.id }, data: { killed: { increment: affected } } });
  }

  /** Sets a switch: stored first (new starts are refused from here on), then KILL kills and CANCEL signals what is in scope. */
  async create(tenant: string, input: KillSwitchInput, by: string): Promise<KillSwitch> {
    const scope = await this.resolveScope(tenant, input.scope);
    const now = new Date();
    const row = await this.db.killSwitch.create({
      data: {
        id: `ks_${crypto.randomBytes(9).toString('base64url')}`,
        tenant,
        namespace: scope.namespace ?? null,
        flowId: scope.flowId ?? null,
        executionId: scope.executionId ?? null,
        mode: input.mode,
        reason: input.reason,
        createdBy: by,
        startDate: now,
        endDate: input.endDate ?? null,
      },
    });
    let affected = 0;
    if (input.mode === 'KILL') affected = await this.killInScope(row);
    if (input.mode === 'CANCEL') affected = await this.cancelInScope(row);
    const updated = affected ? await this.db.killSwitch.update({ where: { id: row.id }, data: { killed: { increment: affected } } }) : row;
    return toKillSwitchView(updated);
  }

  /** An execution scope is stored with its execution's namespace and flow (access checks and banners read them). */
  private async resolveScope(tenant: string, scope: KillSwitchScope): Promise<KillSwitchScope> {
    if (!scope.executionId) return scope;
    const execution = await this.db.execution.findFirst({ where: { tenant, id: scope.executionId }, select: { namespace: true, flowId: true } });
    if (!execution) throw new AppError('NOT_FOUND', `execution ${scope.executionId} not found`);
    return { executionId: scope.executionId, namespace: execution.namespace, flowId: execution.flowId };
  }

  /** The namespace a switch (or a scope) acts in, for access checks: '' is the whole tenant. */
  async scopeNamespace(tenant: string, scope: KillSwitchScope): Promise<string> {
    return (await this.resolveScope(tenant, scope)).namespace ?? '';
  }

  /** The open executions a scope reaches (an execution scope: that one). */
  private inScope(tenant: string, s: { namespace?: string | null; flowId?: string | null; executionId?: string | null }, states = REACHED): Prisma.ExecutionWhereInput {
    const and: Prisma.ExecutionWhereInput[] = [{ tenant }, { state: { in: states } }];
    if (s.executionId) and.push({ id: s.executionId });
    else if (s.flowId) and.push({ namespace: s.namespace!, flowId: s.flowId });
    else if (s.namespace) and.push(withinNamespaces([s.namespace]));
    return { AND: and };
  }

  /**
   * KILL: one statement moves every open execution in scope to KILLING (with its history entry and
   * the switch id) and announces each to the workers, which abort their running tasks at once; then
   * each workflow is cancelled, many at a time, the answer waiting only for Temporal to accept the
   * cancels. The workflows record KILLED as their tasks acknowledge.
   */
  private async killInScope(row: KillSwitchRow, scope: KillScope = row): Promise<number> {
    if (!this.executions) throw new Error('KillSwitches needs the ExecutionService to kill');
    const executions = this.executions;
    const by = row.createdBy;
    const ids = await markKillingInScope(this.db, { ...scope, tenant: row.tenant }, { at: new Date().toISOString(), by, killSwitch: row.id });
    const closedChecks: (() => Promise<void>)[] = [];
    const results = await pool(ids, CANCEL_CONCURRENCY, (id) =>
      executions.cancelKilled(id, by, row.id).then(
        (r) => (closedChecks.push(r.closed), true),
        // Temporal unreachable for this one (its kill was undone), or the workflow still runs
        // after a failed cancel: the others still go.
        () => false,
      ),
    );
    // Afterwards, not in the answer's way: a workflow that had already closed on its own accepted
    // the cancel silently; these checks record KILLED for those.
    void pool(closedChecks, SWEEP_CONCURRENCY, (check) => check().catch(() => {}));
    return results.filter(Boolean).length;
  }

  private async cancelInScope(row: KillSwitchRow, scope: KillScope = row): Promise<number> {
    if (!this.temporal) throw new Error('KillSwitches needs a Temporal client to cancel');
    const client = await this.temporal().catch((error: unknown) => {
      throw AppError.unavailable(
        `Temporal is not reachable right now; the switch ${row.id} is set (new executions are refused) but running ones were not told to cancel. Lift it and set it again.`,
        5,
        error,
      );
    });
    const ids = (await this.db.execution.findMany({ where: this.inScope(row.tenant, scope), select: { id: true } })).map((e) => e.id);
    const signal: KillSwitchCancelSignal = { switchId: row.id, message: `cancelled by ${refusalMessage(row)}` };
    const results = await pool(ids, SWEEP_CONCURRENCY, (id) =>
      client.workflow
        .getHandle(id)
        .signal(KILL_SWITCH_CANCEL_SIGNAL, signal)
        .then(
          () => true,
          // The workflow already closed (or never started): nothing to cancel.
          () => false,
        ),
    );
    return results.filter(Boolean).length;
  }

  /** The blast radius of a switch on this scope: open executions it would reach now, by flow. */
  async preview(tenant: string, scope: KillSwitchScope): Promise<KillSwitchPreview> {
    const resolved = await this.resolveScope(tenant, scope);
    const groups = await this.db.execution.groupBy({ by: ['namespace', 'flowId', 'state'], where: this.inScope(tenant, resolved), _count: { _all: true } });
    const byFlow = new Map<string, KillSwitchPreview['byFlow'][number]>();
    const total = { running: 0, paused: 0, queued: 0 };
    for (const g of groups) {
      const key = `${g.namespace}\u0000${g.flowId}`;
      const entry = byFlow.get(key) ?? { namespace: g.namespace, flowId: g.flowId, running: 0, paused: 0, queued: 0 };
      entry[GROUP[g.state]] += g._count._all;
      total[GROUP[g.state]] += g._count._all;
      byFlow.set(key, entry);
    }
    const rows = [...byFlow.values()].sort(
      (a, b) => b.running + b.paused + b.queued - (a.running + a.paused + a.queued) || `${a.namespace}.${a.flowId}`.localeCompare(`${b.namespace}.${b.flowId}`),
    );
    return { scopeText: scopeText(resolved), total, byFlow: rows };
  }

  /**
   * Switches, newest first. `inForce`: only those in force now. `covering`: only those whose scope
   * covers this namespace (or flow): the banners of a namespace or flow page. `within`: the
   * namespace subtrees the caller may read (tenant-wide switches are shown to everyone).
   */
  async list(tenant: string, q: { inForce?: boolean; covering?: { namespace: string; flowId?: string }; within?: string[] } = {}): Promise<KillSwitch[]> {
    const now = new Date();
    const rows = await this.db.killSwitch.findMany({ where: q.inForce ? inForceWhere(tenant, now) : { tenant }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500 });
    return rows
      .filter((r) => !q.covering || covers(r, q.covering.namespace, q.covering.flowId))
      .filter((r) => !q.within || !r.namespace || q.within.some((w) => r.namespace === w || r.namespace!.startsWith(`${w}.`)))
      .map((r) => toKillSwitchView(r, now));
  }

  async get(tenant: string, id: string): Promise<KillSwitch> {
    return toKillSwitchView(await this.row(tenant, id));
  }

  async row(tenant: string, id: string): Promise<KillSwitchRow> {
    const row = await this.db.killSwitch.findUnique({ where: { id } });
    if (!row || row.tenant !== tenant) throw new AppError('NOT_FOUND', `kill switch ${id} not found`);
    return row;
  }

  /** Lifts a switch: new executions may start again. Lifting one already lifted is a 409. */
  async lift(tenant: string, id: string, by: string): Promise<KillSwitch> {
    const row = await this.row(tenant, id);
    const lifted = await this.db.killSwitch.updateMany({ where: { id, liftedAt: null }, data: { liftedAt: new Date(), liftedBy: by } });
    if (!lifted.count) throw new AppError('CONFLICT', `kill switch ${id} was already lifted${row.liftedBy ? ` by ${row.liftedBy}` : ''}`);
    return this.get(tenant, id);
  }
}

/** Whether a switch row covers a namespace page (or a flow page): tenant, the namespace or a parent, or the flow. */
function covers(r: KillSwitchRow, namespace: string, flowId?: string): boolean {
  if (r.executionId) return false;
  if (!r.namespace) return true;
  if (r.flowId) return flowId !== undefined && r.namespace === namespace && r.flowId === flowId;
  return namespace === r.namespace || namespace.startsWith(`${r.namespace}.`);
}

/** Runs `fn` over `items`, at most `width` at a time; results in input order. */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}
