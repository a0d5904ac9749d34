import type { Db, FlowTrigger, Prisma } from '@baton/db';
import type { TriggerSpec } from '@baton/flow';
import { withinNamespaces } from '../namespace-scope';

export interface FlowTriggerRef {
  tenant: string;
  namespace: string;
  flowId: string;
  triggerId: string;
}

const key = (r: FlowTriggerRef) => ({ tenant_namespace_flowId_triggerId: { tenant: r.tenant, namespace: r.namespace, flowId: r.flowId, triggerId: r.triggerId } });

/** The flow_triggers rows: one per trigger of each flow, with what the schedulers remember. */
export class TriggerStore {
  constructor(private readonly db: Db) {}

  /**
   * Makes the rows match a flow's triggers (none when the flow is deleted): new ones are created
   * (a new schedule starts from now, never from the past), changed types updated, removed ones
   * deleted. Returns the ids removed.
   */
  async sync(flow: { tenant: string; namespace: string; flowId: string }, triggers: TriggerSpec[], now = new Date()): Promise<{ removed: FlowTrigger[] }> {
    const existing = await this.db.flowTrigger.findMany({ where: { tenant: flow.tenant, namespace: flow.namespace, flowId: flow.flowId } });
    const wanted = new Map(triggers.map((t) => [t.id, t]));
    const removed = existing.filter((row) => !wanted.has(row.triggerId));
    if (removed.length) {
      await this.db.flowTrigger.deleteMany({ where: { tenant: flow.tenant, namespace: flow.namespace, flowId: flow.flowId, triggerId: { in: removed.map((r) => r.triggerId) } } });
    }
    for (const t of triggers) {
      const ref = { ...flow, triggerId: t.id };
      const row = existing.find((r) => r.triggerId === t.id);
      if (!row) {
        await this.db.flowTrigger.upsert({ where: key(ref), create: { ...ref, type: t.type, kind: t.kind, lastDate: t.kind === 'schedule' ? now : null }, update: {} });
      } else if (row.type !== t.type || row.kind !== t.kind) {
        await this.db.flowTrigger.update({ where: key(ref), data: { type: t.type, kind: t.kind, lastDate: t.kind === 'schedule' ? now : null, state: {}, updatedAt: now } });
      }
    }
    return { removed };
  }

  get(ref: FlowTriggerRef) {
    return this.db.flowTrigger.findUnique({ where: key(ref) });
  }

  /** The row, created (from now) when the flow was saved before triggers had rows. */
  async ensure(ref: FlowTriggerRef, spec: TriggerSpec, now = new Date()): Promise<FlowTrigger> {
    return this.db.flowTrigger.upsert({ where: key(ref), create: { ...ref, type: spec.type, kind: spec.kind, lastDate: spec.kind === 'schedule' ? now : null }, update: {} });
  }

  update(ref: FlowTriggerRef, data: Prisma.FlowTriggerUpdateInput) {
    return this.db.flowTrigger.update({ where: key(ref), data: { ...data, updatedAt: new Date() } });
  }

  delete(ref: FlowTriggerRef) {
    return this.db.flowTrigger.deleteMany({ where: { tenant: ref.tenant, namespace: ref.namespace, flowId: ref.flowId, triggerId: ref.triggerId } });
  }

  list(tenant: string, query: { namespace?: string; flowId?: string; within?: string[] } = {}) {
    const and: Prisma.FlowTriggerWhereInput[] = [{ tenant }];
    if (query.namespace) and.push({ OR: [{ namespace: query.namespace }, { namespace: { startsWith: `${query.namespace}.` } }] });
    if (query.flowId) and.push({ flowId: query.flowId });
    if (query.within) and.push(withinNamespaces(query.within) as Prisma.FlowTriggerWhereInput);
    return this.db.flowTrigger.findMany({ where: { AND: and }, orderBy: [{ namespace: 'asc' }, { flowId: 'asc' }, { triggerId: 'asc' }] });
  }

  byKind(tenant: string, kind: string) {
    return this.db.flowTrigger.findMany({ where: { tenant, kind } });
  }
}
