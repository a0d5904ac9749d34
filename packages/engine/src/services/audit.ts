import type { Db } from '@baton/db';
import { Prisma } from '@baton/db';
import { AppError } from './app-error';

/** One thing someone did. Summaries hold names, ids and revisions: never secret values. */
export interface AuditEntry {
  tenant?: string;
  actor: string;
  actorId?: string;
  action: string;
  resource: string;
  namespace?: string;
  address?: string;
  userAgent?: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** A resource, or its prefix ending in `*` (`flow:team.a/*`). */
  resource?: string;
  /** A namespace and its children. */
  namespace?: string;
  from?: Date;
  to?: Date;
  /** Also instance-wide events (sign-in): only for the instance administrator. */
  includeInstance?: boolean;
}

const MAX_SUMMARY_CHARS = 8_000;

/** Keeps a summary small and JSON: a large one is replaced by a note rather than stored whole. */
function summary(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === undefined || value === null) return Prisma.DbNull;
  const text = JSON.stringify(value);
  if (text.length > MAX_SUMMARY_CHARS) return { truncated: true, chars: text.length };
  return JSON.parse(text) as Prisma.InputJsonValue;
}

function encodeCursor(id: bigint) {
  return Buffer.from(String(id)).toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,19}$/.test(text)) throw new AppError('BAD_REQUEST', 'cursor is not one this API gave; use `next` of the previous page');
  return BigInt(text);
}

/**
 * The append-only audit log. Nothing here updates or deletes: PostgreSQL refuses UPDATE and
 * TRUNCATE, and DELETE of rows younger than the retention (migration 20261203121000_audit_log).
 */
export class AuditService {
  constructor(private readonly db: Db) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db.auditEvent.create({
      data: {
        tenant: entry.tenant ?? '',
        actor: entry.actor.slice(0, 300),
        actorId: entry.actorId || null,
        action: entry.action,
        resource: entry.resource.slice(0, 500),
        namespace: entry.namespace || null,
        address: entry.address?.slice(0, 100) ?? null,
        userAgent: entry.userAgent?.slice(0, 300) ?? null,
        before: summary(entry.before),
        after: summary(entry.after),
      },
    });
  }

  /** Newest first, by keyset on the id: page 1,000 costs what page 1 costs. */
  async search(tenant: string, filter: AuditFilter, page: { size?: number; cursor?: string } = {}) {
    const size = Math.min(Math.max(page.size ?? 50, 1), 200);
    const and: Prisma.AuditEventWhereInput[] = [{ tenant: filter.includeInstance ? { in: [tenant, ''] } : tenant }];
    if (filter.actor) and.push({ actor: filter.actor });
    if (filter.action) and.push({ action: filter.action });
    if (filter.resource) and.push(filter.resource.endsWith('*') ? { resource: { startsWith: filter.resource.slice(0, -1) } } : { resource: filter.resource });
    if (filter.namespace) and.push({ OR: [{ namespace: filter.namespace }, { namespace: { startsWith: `${filter.namespace}.` } }] });
    if (filter.from) and.push({ at: { gte: filter.from } });
    if (filter.to) and.push({ at: { lte: filter.to } });
    if (page.cursor) and.push({ id: { lt: decodeCursor(page.cursor) } });
    const rows = await this.db.auditEvent.findMany({ where: { AND: and }, orderBy: { id: 'desc' }, take: size + 1 });
    const results = rows.slice(0, size).map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      tenant: r.tenant || null,
      actor: r.actor,
      actorId: r.actorId,
      action: r.action,
      resource: r.resource,
      namespace: r.namespace,
      address: r.address,
      userAgent: r.userAgent,
      before: r.before,
      after: r.after,
    }));
    const last = rows[size - 1];
    return { results, next: rows.length > size && last ? encodeCursor(last.id) : null, size };
  }

  /**
   * Days to keep events (null: forever). The database checks it is at least 30; the trigger reads
   * it, so this is the only way any row can ever be deleted.
   */
  async setRetention(days: number | null): Promise<void> {
    await this.db.$executeRaw`UPDATE audit_settings SET retention_days = ${days} WHERE id = 1`;
  }

  async retention(): Promise<number | null> {
    const rows = await this.db.$queryRaw<{ retention_days: number | null }[]>`SELECT retention_days FROM audit_settings WHERE id = 1`;
    return rows[0]?.retention_days ?? null;
  }

  /** Removes what is older than the retention setting (the trigger refuses anything younger). */
  async purgeExpired(): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM audit_log WHERE at < now() - make_interval(days => (SELECT retention_days FROM audit_settings WHERE id = 1))`;
  }
}
