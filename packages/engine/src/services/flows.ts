import { Prisma, type Db } from '@baton/db';
import { namespaceChain, validateFlow, type DefaultLayer, type FlowPlan, type PluginDefault, type ValidationResult } from '@baton/flow';
import { parseDocument } from 'yaml';
import type { PluginRegistry } from '@baton/plugin-sdk';
import { AppError } from './app-error';
import { withinNamespaces } from './namespace-scope';
import { NamespaceDefaultsService, TENANT_WIDE } from './namespace-defaults';

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
   * Per flow, the plan last read as its latest revision, with the key it was read under. It may
   * be stale (another process deployed since): a start uses it only under `lastLatest`'s guard,
   * which checks the key in the statement that inserts the execution.
   */
  private readonly latest = new Map<string, { revision: number; defaults: string; plan: FlowPlan }>();

  /**
   * @param instanceDefaults plugin defaults of this Baton instance (BATON_PLUGIN_DEFAULTS), the
   *   weakest layer: they point plugins at a proxy or a simulator without touching flows.
   */
  constructor(
    private readonly db: Db,
    private readonly registry: PluginRegistry,
    private readonly instanceDefaults: PluginDefault[] = [],
  ) {
    this.namespaceDefaults = new NamespaceDefaultsService(db, registry);
  }

  /** Plugin defaults per namespace: flows are validated and planned with them. */
  readonly namespaceDefaults: NamespaceDefaultsService;

  /** Validates with the instance defaults only (no tenant known): for checks that need no defaults. */
  validate(source: string, revision?: number): ValidationResult {
    return validateFlow(source, { registry: this.registry, revision, defaultLayers: this.instanceLayer() });
  }

  /**
   * Validates as the flow would run in `tenant`: with the instance, tenant and namespace plugin
   * defaults above it, so a property a namespace default supplies is not reported missing.
   */
  async validateIn(tenant: string, source: string, revision?: number): Promise<ValidationResult> {
    const namespace = declaredNamespace(source);
    if (namespace === undefined) return this.validate(source, revision);
    const { layers } = await this.namespaceDefaults.layers(tenant, namespace);
    return validateFlow(source, { registry: this.registry, revision, defaultLayers: [...this.instanceLayer(), ...layers] });
  }

  /** Every plugin-default layer a flow of `namespace` sees (instance, tenant, namespaces), top first. */
  async defaultLayersFor(tenant: string, namespace: string): Promise<DefaultLayer[]> {
    const { layers } = await this.namespaceDefaults.layers(tenant, namespace);
    return [...this.instanceLayer(), ...layers];
  }

  private instanceLayer(): DefaultLayer[] {
    return this.instanceDefaults.length ? [{ source: 'instance', defaults: this.instanceDefaults }] : [];
  }

  async save(tenant: string, source: string, author?: string) {
    const result = await this.validateIn(tenant, source);
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

  /** `within`: only these namespace subtrees (what the caller may read); absent: all. */
  async search(tenant: string, query: { namespace?: string; q?: string; page?: number; size?: number; within?: string[] }) {
    const { page, size } = searchWindow(query);
    const where = {
      tenant,
      deleted: false,
      AND: [
        ...(query.namespace ? [{ OR: [{ namespace: query.namespace }, { namespace: { startsWith: `${query.namespace}.` } }] }] : []),
        ...(query.within ? [withinNamespaces(query.within)] : []),
      ],
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
    return (await this.planAnd(ref, revision)).plan;
  }

  /**
   * The validated plan of a revision (latest when absent) and, read in the same round trip, the
   * value of `also`: a scalar subquery (the start path's kill-switch check), NULL by default.
   */
  async planAnd(ref: FlowRef, revision?: number, also: Prisma.Sql = Prisma.sql`NULL`): Promise<{ plan: FlowPlan; also: string | null }> {
    // Starting an execution is latency-sensitive: ask only for the current revision number (raw
    // SQL, no ORM query planning) and reuse the cached plan; load the source only on a miss.
    // The namespace defaults above the flow can change under a fixed revision: their latest
    // revisions are part of the cache key, read in the same round trip.
    const rows = await this.db.$queryRaw<{ revision: number; defaults: string; also: string | null }[]>`
      SELECT revision, ${defaultsKeySql(ref)} AS defaults, (${also})::text AS also
      FROM flows WHERE tenant = ${ref.tenant} AND namespace = ${ref.namespace} AND id = ${ref.id} AND NOT deleted`;
    if (!rows.length) throw new AppError('NOT_FOUND', `flow ${ref.namespace}.${ref.id} not found in tenant ${ref.tenant}`);
    const wanted = revision ?? rows[0].revision;
    const plan = await this.planOf(ref, wanted, rows[0].defaults);
    if (wanted === rows[0].revision) this.latest.set(flowKey(ref), { revision: wanted, defaults: rows[0].defaults, plan });
    return { plan, also: rows[0].also };
  }

  /**
   * The plan last read as this flow's latest revision, if any, and the SQL condition under which
   * it still is: the flow not deleted, at that revision, with the same namespace defaults. A start
   * inserts its execution under that condition (one round trip instead of a read, then a write).
   */
  lastLatest(ref: FlowRef): { plan: FlowPlan; stillLatest: Prisma.Sql } | undefined {
    const hit = this.latest.get(flowKey(ref));
    if (!hit) return undefined;
    return {
      plan: hit.plan,
      stillLatest: Prisma.sql`EXISTS (SELECT 1 FROM flows WHERE tenant = ${ref.tenant} AND namespace = ${ref.namespace} AND id = ${ref.id} AND NOT deleted
                                AND revision = ${hit.revision}::int) AND ${defaultsKeySql(ref)} = ${hit.defaults}::text`,
    };
  }

  private async planOf(ref: FlowRef, wanted: number, defaults: string): Promise<FlowPlan> {
    const key = `${ref.tenant}/${ref.namespace}/${ref.id}/${wanted}/${defaults}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const flow = await this.get(ref);
    const source =
      wanted === flow.revision
        ? flow.source
        : (
            await this.db.flowRevision.findUnique({
              where: { tenant_namespace_flowId_revision: { tenant: ref.tenant, namespace: ref.namespace, flowId: ref.id, revision: wanted } },
            })
          )?.source;
    if (source === undefined) throw new AppError('NOT_FOUND', `revision ${wanted} of flow ${ref.namespace}.${ref.id} not found`);
    const result = await this.validateIn(ref.tenant, source, wanted);
    if (!result.plan) {
      // A stored revision that no longer validates (a plugin was removed, say): say so plainly.
      throw new AppError('INVALID_FLOW', `revision ${wanted} of ${ref.namespace}.${ref.id} is no longer valid`, result.errors);
    }
    if (this.plans.size > 1000) this.plans.clear();
    if (this.latest.size > 1000) this.latest.clear();
    this.plans.set(key, result.plan);
    return result.plan;
  }
}

const flowKey = (ref: FlowRef) => `${ref.tenant}/${ref.namespace}/${ref.id}`;

/** SQL: the latest revisions of the namespace defaults above a flow, as one text (part of a plan's key). */
function defaultsKeySql(ref: FlowRef): Prisma.Sql {
  const chain = [TENANT_WIDE, ...namespaceChain(ref.namespace)];
  return Prisma.sql`(
    SELECT coalesce(string_agg(d.namespace || '@' || d.revision, ',' ORDER BY d.namespace), '')
    FROM (SELECT namespace, max(revision) AS revision FROM namespace_plugin_defaults
          WHERE tenant = ${ref.tenant} AND namespace = ANY(${chain}) GROUP BY namespace) d)`;
}

/** The `namespace:` a flow's YAML declares, when it is a plain string (validation reports the rest). */
function declaredNamespace(source: string): string | undefined {
  try {
    const namespace = parseDocument(source, { uniqueKeys: false }).get('namespace');
    return typeof namespace === 'string' && namespace.length <= 1000 ? namespace : undefined;
  } catch {
    return undefined;
  }
}
