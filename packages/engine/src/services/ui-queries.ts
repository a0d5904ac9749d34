import type { Db, Prisma } from '@baton/db';
import { AppError } from './app-error';
import { executionWhere, toExecutionView, toLogView, type ExecutionFilter } from './executions';

// Read queries the web UI needs beyond the Kestra-shaped API: one revision's source, the
// namespace tree, the last execution of each listed flow, keyset pages of executions and logs
// after a cursor (for live following). Each is one or two indexed queries.

export type { ExecutionFilter };

/** Opaque keyset cursor: the (createdAt, id) of the last row of the previous page. */
export interface ExecutionCursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(c: ExecutionCursor): string {
  return Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');
}

export function decodeCursor(raw: string): ExecutionCursor {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const i = text.indexOf('|');
  const createdAt = text.slice(0, i);
  const at = Date.parse(createdAt);
  // Only what encodeCursor makes: an ISO date PostgreSQL can hold and a printable id.
  if (i < 1 || Number.isNaN(at) || at < Date.parse('0001-01-01T00:00:00Z') || at > Date.parse('9999-12-31T23:59:59Z') || /[\u0000-\u001f]/.test(text)) {
    throw new AppError('BAD_REQUEST', 'cursor is not one this API returned; start again without it');
  }
  return { createdAt, id: text.slice(i + 1) };
}

/** Counting stops here: past it the UI says "10,000+" instead of paying for an exact count. */
export const COUNT_CAP = 10_000;

export class UiQueryService {
  constructor(private readonly db: Db) {}

  async revision(tenant: string, namespace: string, flowId: string, revision: number) {
    const row = await this.db.flowRevision.findUnique({
      where: { tenant_namespace_flowId_revision: { tenant, namespace, flowId, revision } },
    });
    if (!row) throw new AppError('NOT_FOUND', `revision ${revision} of flow ${namespace}.${flowId} not found`);
    return { revision: row.revision, source: row.source, created: row.createdAt.toISOString(), createdBy: row.createdBy };
  }

  /** Namespaces that hold flows or executions, with counts, for the namespace tree. */
  async namespaces(tenant: string) {
    const [flows, executions] = await Promise.all([
      this.db.flow.groupBy({ by: ['namespace'], where: { tenant, deleted: false }, _count: { _all: true } }),
      this.db.execution.groupBy({ by: ['namespace'], where: { tenant }, _count: { _all: true } }),
    ]);
    const out = new Map<string, { namespace: string; flows: number; executions: number }>();
    for (const f of flows) out.set(f.namespace, { namespace: f.namespace, flows: f._count._all, executions: 0 });
    for (const e of executions) {
      const entry = out.get(e.namespace) ?? { namespace: e.namespace, flows: 0, executions: 0 };
      entry.executions = e._count._all;
      out.set(e.namespace, entry);
    }
    return [...out.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
  }

  async tenants() {
    // Tenants exist only when created (see TenantService); `main` always does.
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM tenants ORDER BY id`;
    return rows.map((r) => r.id);
  }

  /** The most recent execution of each flow, one indexed lookup per flow (the list shows ≤ 200). */
  async lastExecutions(tenant: string, flows: { namespace: string; id: string }[]) {
    const rows = await Promise.all(
      flows.slice(0, 200).map((f) =>
        this.db.execution.findFirst({
          where: { tenant, namespace: f.namespace, flowId: f.id },
          orderBy: { createdAt: 'desc' },
          select: { id: true, namespace: true, flowId: true, state: true, createdAt: true, startedAt: true, endedAt: true },
        }),
      ),
    );
    return rows
      .filter((r) => r !== null)
      .map((r) => ({
        id: r.id,
        namespace: r.namespace,
        flowId: r.flowId,
        state: r.state,
        startDate: (r.startedAt ?? r.createdAt).toISOString(),
        endDate: r.endedAt?.toISOString(),
      }));
  }

  /**
   * A page of executions, newest first, by keyset (created_at, id) so page 1,000 costs what page
   * 1 costs. The total is counted up to COUNT_CAP only.
   */
  async listExecutions(tenant: string, filter: ExecutionFilter, options: { size?: number; cursor?: string; count?: boolean } = {}) {
    const size = Math.min(Math.max(options.size ?? 50, 1), 200);
    const base = executionWhere(tenant, filter);
    const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
    const after: Prisma.ExecutionWhereInput | undefined = cursor
      ? { OR: [{ createdAt: { lt: new Date(cursor.createdAt) } }, { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } }] }
      : undefined;
    const [rows, total] = await Promise.all([
      this.db.execution.findMany({
        where: after ? { AND: [base, after] } : base,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      }),
      options.count === false ? Promise.resolve(undefined) : this.cappedCount(base),
    ]);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return {
      results: page.map((r) => toExecutionView(r, [])),
      next: rows.length > size && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
      total: total?.count,
      totalCapped: total?.capped ?? false,
    };
  }

  private async cappedCount(where: Prisma.ExecutionWhereInput) {
    // Reading COUNT_CAP + 1 ids through the (tenant, created_at, id) index is bounded work,
    // unlike count(*) over every matching row.
    const rows = await this.db.execution.findMany({ where, select: { id: true }, take: COUNT_CAP + 1, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return { count: Math.min(rows.length, COUNT_CAP), capped: rows.length > COUNT_CAP };
  }

  /** Log lines with an id greater than `afterId` (the follow stream sends only what is new). */
  async logsAfter(executionId: string, afterId: bigint, limit = 5_000) {
    const rows = await this.db.logEntry.findMany({
      where: { executionId, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(toLogView);
  }
}
