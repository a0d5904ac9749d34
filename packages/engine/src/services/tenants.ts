import type { Db } from '@baton/db';
import { AppError } from './app-error';
import { checkTenantId } from './limits';

/**
 * Tenants exist only when created: `main` by the migration, others through create(). Every
 * /api/v1/{tenant}/... request checks its tenant first, so an unknown tenant is a 404 that names
 * it instead of being created by the first write. Tenants are never deleted, so known ones are
 * cached for the life of the process; unknown ones are asked again each time.
 */
export class TenantService {
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  async require(id: string): Promise<void> {
    if (this.known.has(id)) return;
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM tenants WHERE id = ${id}`;
    if (!rows.length) {
      throw new AppError('NOT_FOUND', `tenant '${id.length > 80 ? `${id.slice(0, 80)}…` : id}' not found; create it with POST /api/v1/tenants {"id": "..."} or use main`);
    }
    this.known.add(id);
  }

  async create(id: string, name?: string) {
    checkTenantId(id);
    if (name !== undefined && (name.length > 200 || /[\u0000-\u001f]/.test(name))) {
      throw new AppError('UNPROCESSABLE', 'a tenant name is at most 200 printable characters');
    }
    const inserted = await this.db.$executeRaw`INSERT INTO tenants (id, name) VALUES (${id}, ${name ?? null}) ON CONFLICT (id) DO NOTHING`;
    if (inserted === 0) throw new AppError('CONFLICT', `tenant '${id}' already exists`);
    this.known.add(id);
    return { id, name: name ?? null };
  }

  async list() {
    return this.db.$queryRaw<{ id: string; name: string | null }[]>`SELECT id, name FROM tenants ORDER BY id`;
  }
}
