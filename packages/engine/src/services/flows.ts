import type { Db } from '@baton/db';
import { validateFlow, type FlowPlan, type PluginDefault, type ValidationResult } from '@baton/flow';
import type { PluginRegistry } from '@baton/plugin-sdk';
import { AppError } from './app-error';

/** The page and size a search really uses (sizes are capped at 200): the API echoes these. */
export function searchWindow(q: { page?: number; size?: number }) {
  return { page: Math.max(q.page ?? 1, 1), size: Math.min(Math.max(q.size ?? 25, 1), 200) };
}

export interface FlowRef {
  tenant: string;
  namespace: string;
  id: string;
}

/**
 * Flows and their revisions. Saving an unchanged source creates no revision; every changed
 * save is a new revision, and executions pin the revision they started with.
 */
export class FlowService {
  /** Validated plans by tenant/namespace/id/revision: revisions never change, so this never goes stale. */
  private readonly plans = new Map<string, FlowPlan>();

  /**
   * @param instanceDefaults plugin defaults of this Baton instance (BATON_PLUGIN_DEFAULTS), the
   *   weakest layer: they point plugins at a proxy or a simulator without touching flows.
   */
  constructor(private readonly db: Db, private readonly registry: PluginRegistry, private readonly instanceDefaults: PluginDefault[] = []) {}

  validate(source: string, revision?: number): ValidationResult {
    return validateFlow(source, { registry: this.registry, revision, namespaceDefaults: this.instanceDefaults });
  }

  async save(tenant: string, source: string, author?: string) {
    const result = this.validate(source);
    if (!result.plan) throw new AppError('INVALID_FLOW', 'the flow is not valid', result.errors);
    const { namespace, id } = result.plan;
    return this.db.$transaction(async (tx) => {
      const current = await tx.flow.findUnique({ where: { tenant_namespace_id: { tenant, namespace, id } } });
      if (current && !current.deleted && current.source === source) return { flow: current, created: false, changed: false };
      const revision = (current?.revision ?? 0) + 1;
      const data = {
        revision,
        source,
        description: result.plan!.description ?? null,
        labels: result.plan!.labels,
        disabled: result.plan!.disabled,
        deleted: false,
      };
      const flow = current
        ? await tx.flow.update({ where: { tenant_namespace_id: { tenant, namespace, id } }, data })
        : await tx.flow.create({ data: { tenant, namespace, id, ...data } });
      await tx.flowRevision.create({ data: { tenant, namespace, flowId: id, revision, source, createdBy: author ?? null } });
      return { flow, created: !current, changed: true };
    });
  }

  async get(ref: FlowRef, options: { allowDeleted?: boolean } = {}) {
    const flow = await this.db.flow.findUnique({ where: { tenant_namespace_id: { tenant: ref.tenant, namespace: ref.namespace, id: ref.id } } });
    if (!flow || (flow.deleted && !options.allowDeleted)) {
      throw new AppError('NOT_FOUND', `flow ${ref.namespace}.${ref.id} not found in tenant ${ref.tenant}`);
    }
    return flow;
  }

  async delete(ref: FlowRef) {
    await this.get(ref);
    // Soft delete: revisions and past executions keep pointing at something readable.
    await this.db.flow.update({ where: { tenant_namespace_id: { tenant: ref.tenant, namespace: ref.namespace, id: ref.id } }, data: { deleted: true } });
  }

  async revisions(ref: FlowRef) {
    await this.get(ref, { allowDeleted: true });
    return this.db.flowRevision.findMany({
      where: { tenant: ref.tenant, namespace: ref.namespace, flowId: ref.id },
      orderBy: { revision: 'desc' },
    });
  }

  async search(tenant: string, query: { namespace?: string; q?: string; page?: number; size?: number }) {
    const { page, size } = searchWindow(query);
    const where = {
      tenant,
      deleted: false,
      ...(query.namespace ? { OR: [{ namespace: query.namespace }, { namespace: { startsWith: `${query.namespace}.` } }] } : {}),
      ...(query.q ? { id: { contains: query.q, mode: 'insensitive' as const } } : {}),
    };
    const [results, total] = await Promise.all([
      this.db.flow.findMany({ where, orderBy: [{ namespace: 'asc' }, { id: 'asc' }], skip: (page - 1) * size, take: size }),
      this.db.flow.count({ where }),
    ]);
    return { results, total, page, size };
  }

  /** The validated plan of a revision (latest when absent). */
  async plan(ref: FlowRef, revision?: number): Promise<FlowPlan> {
    // Starting an execution is latency-sensitive: ask only for the current revision number (raw
    // SQL, no ORM query planning) and reuse the cached plan; load the source only on a miss.
    const rows = await this.db.$queryRaw<{ revision: number }[]>`
      SELECT revision FROM flows WHERE tenant = ${ref.tenant} AND namespace = ${ref.namespace} AND id = ${ref.id} AND NOT deleted`;
    if (!rows.length) throw new AppError('NOT_FOUND', `flow ${ref.namespace}.${ref.id} not found in tenant ${ref.tenant}`);
    const wanted = revision ?? rows[0].revision;
    const key = `${ref.tenant}/${ref.namespace}/${ref.id}/${wanted}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const flow = await this.get(ref);
    const source = wanted === flow.revision
      ? flow.source
      : (await this.db.flowRevision.findUnique({
          where: { tenant_namespace_flowId_revision: { tenant: ref.tenant, namespace: ref.namespace, flowId: ref.id, revision: wanted } },
        }))?.source;
    if (source === undefined) throw new AppError('NOT_FOUND', `revision ${wanted} of flow ${ref.namespace}.${ref.id} not found`);
    const result = this.validate(source, wanted);
    if (!result.plan) {
      // A stored revision that no longer validates (a plugin was removed, say): say so plainly.
      throw new AppError('INVALID_FLOW', `revision ${wanted} of ${ref.namespace}.${ref.id} is no longer valid`, result.errors);
    }
    if (this.plans.size > 1000) this.plans.clear();
    this.plans.set(key, result.plan);
    return result.plan;
  }
}
