import crypto from 'node:crypto';
import type { Db } from '@baton/db';
import { AppError } from '../app-error';
import { checkNamespace } from '../limits';
import { isRole, ROLES, type Grant, type Role } from './roles';

export type SubjectType = 'USER' | 'GROUP';

export interface BindingView {
  id: string;
  subject: { type: SubjectType; id: string };
  role: Role;
  /** null: tenant-wide. */
  namespace: string | null;
  created: string;
  createdBy: string | null;
}

export interface GroupView {
  id: string;
  name: string | null;
  /** `oidc`: made by an OIDC sign-in, its membership follows the groups claim; null: made by an Admin. */
  source: string | null;
  members: string[];
}

const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function bindingView(b: { id: string; subjectType: string; subjectId: string; role: string; namespace: string; createdAt: Date; createdBy: string | null }): BindingView {
  return {
    id: b.id,
    subject: { type: b.subjectType as SubjectType, id: b.subjectId },
    role: b.role as Role,
    namespace: b.namespace || null,
    created: b.createdAt.toISOString(),
    createdBy: b.createdBy,
  };
}

/** Groups, memberships and role bindings of a tenant, and the grants they give a user. */
export class AccessService {
  constructor(private readonly db: Db) {}

  /** The roles a user holds in a tenant: bound to them directly or to one of their groups. */
  async grantsFor(tenant: string, userId: string): Promise<Grant[]> {
    const rows = await this.db.$queryRaw<{ role: string; namespace: string }[]>`
      SELECT role, namespace FROM role_bindings
      WHERE tenant = ${tenant} AND (
        (subject_type = 'USER' AND subject_id = ${userId})
        OR (subject_type = 'GROUP' AND subject_id IN (SELECT group_id FROM group_members WHERE tenant = ${tenant} AND user_id = ${userId})))`;
    return rows.filter((r) => isRole(r.role)).map((r) => ({ role: r.role as Role, namespace: r.namespace }));
  }

  /** The user's grants in every tenant: for routes whose path names no tenant (the codec endpoint). */
  async grantsAnywhere(userId: string): Promise<Grant[]> {
    const rows = await this.db.$queryRaw<{ role: string; namespace: string }[]>`
      SELECT b.role, b.namespace FROM role_bindings b
      WHERE (b.subject_type = 'USER' AND b.subject_id = ${userId})
         OR (b.subject_type = 'GROUP' AND EXISTS (SELECT 1 FROM group_members m WHERE m.tenant = b.tenant AND m.group_id = b.subject_id AND m.user_id = ${userId}))`;
    return rows.filter((r) => isRole(r.role)).map((r) => ({ role: r.role as Role, namespace: r.namespace }));
  }

  // ---- groups ----

  async listGroups(tenant: string): Promise<GroupView[]> {
    const groups = await this.db.userGroup.findMany({ where: { tenant }, orderBy: { id: 'asc' } });
    const members = await this.db.groupMember.findMany({ where: { tenant } });
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      source: g.source,
      members: members
        .filter((m) => m.groupId === g.id)
        .map((m) => m.userId)
        .sort(),
    }));
  }

  async getGroup(tenant: string, id: string): Promise<GroupView> {
    const group = await this.db.userGroup.findUnique({ where: { tenant_id: { tenant, id } } });
    if (!group) throw new AppError('NOT_FOUND', `no group '${id.slice(0, 100)}' in tenant ${tenant}`);
    const members = await this.db.groupMember.findMany({ where: { tenant, groupId: id } });
    return { id: group.id, name: group.name, source: group.source, members: members.map((m) => m.userId).sort() };
  }

  async createGroup(tenant: string, input: Record<string, unknown>): Promise<GroupView> {
    if (typeof input.id !== 'string' || !GROUP_ID.test(input.id)) throw new AppError('BAD_REQUEST', `send {"id": "platform-team"}: a group id is ${GROUP_ID.source}`);
    if (input.name !== undefined && (typeof input.name !== 'string' || input.name.length > 200)) throw new AppError('BAD_REQUEST', 'name is a string of at most 200 characters');
    const inserted = await this.db
      .$executeRaw`INSERT INTO user_groups (tenant, id, name) VALUES (${tenant}, ${input.id}, ${(input.name as string | undefined) ?? null}) ON CONFLICT DO NOTHING`;
    if (!inserted) throw new AppError('CONFLICT', `group '${input.id}' already exists in tenant ${tenant}`);
    return { id: input.id, name: (input.name as string | undefined) ?? null, source: null, members: [] };
  }

  /** Deletes a group, its memberships and the bindings given to it. */
  async deleteGroup(tenant: string, id: string): Promise<GroupView> {
    const group = await this.getGroup(tenant, id);
    await this.db.$transaction([
      this.db.groupMember.deleteMany({ where: { tenant, groupId: id } }),
      this.db.roleBinding.deleteMany({ where: { tenant, subjectType: 'GROUP', subjectId: id } }),
      this.db.userGroup.delete({ where: { tenant_id: { tenant, id } } }),
    ]);
    return group;
  }

  async addMember(tenant: string, groupId: string, userId: string): Promise<GroupView> {
    await this.getGroup(tenant, groupId);
    if (!(await this.db.user.findUnique({ where: { id: userId } }))) throw new AppError('NOT_FOUND', `no user with id ${userId.slice(0, 80)}`);
    await this.db.$executeRaw`INSERT INTO group_members (tenant, group_id, user_id) VALUES (${tenant}, ${groupId}, ${userId}) ON CONFLICT DO NOTHING`;
    return this.getGroup(tenant, groupId);
  }

  async removeMember(tenant: string, groupId: string, userId: string): Promise<GroupView> {
    await this.getGroup(tenant, groupId);
    const removed = await this.db.groupMember.deleteMany({ where: { tenant, groupId, userId } });
    if (!removed.count) throw new AppError('NOT_FOUND', `user ${userId.slice(0, 80)} is not a member of group ${groupId}`);
    return this.getGroup(tenant, groupId);
  }

  // ---- bindings ----

  async listBindings(tenant: string, filter: { subjectType?: string; subjectId?: string } = {}): Promise<BindingView[]> {
    const rows = await this.db.roleBinding.findMany({
      where: { tenant, ...(filter.subjectType ? { subjectType: filter.subjectType } : {}), ...(filter.subjectId ? { subjectId: filter.subjectId } : {}) },
      orderBy: [{ namespace: 'asc' }, { role: 'asc' }, { createdAt: 'asc' }],
    });
    return rows.map(bindingView);
  }

  /** Body: {subject: {type: USER|GROUP, id}, role, namespace?}. The subject must exist. */
  async createBinding(tenant: string, input: Record<string, unknown>, by: string): Promise<BindingView> {
    const example = '{"subject": {"type": "USER", "id": "<user id>"}, "role": "VIEWER", "namespace": "team.a"}';
    const subject = input.subject as { type?: unknown; id?: unknown } | undefined;
    if (!subject || typeof subject !== 'object' || (subject.type !== 'USER' && subject.type !== 'GROUP') || typeof subject.id !== 'string' || !subject.id) {
      throw new AppError('BAD_REQUEST', `subject is {"type": "USER" or "GROUP", "id": "..."}; e.g. ${example}`);
    }
    if (!isRole(input.role)) throw new AppError('BAD_REQUEST', `role is one of ${ROLES.join(', ')}; e.g. ${example}`);
    let namespace = '';
    if (input.namespace !== undefined && input.namespace !== null && input.namespace !== '') {
      if (typeof input.namespace !== 'string') throw new AppError('BAD_REQUEST', 'namespace is a string such as team.a (omit it for tenant-wide)');
      checkNamespace(input.namespace);
      namespace = input.namespace;
    }
    if (subject.type === 'USER' && !(await this.db.user.findUnique({ where: { id: subject.id } }))) {
      throw new AppError('UNPROCESSABLE', `no user with id ${subject.id.slice(0, 80)}; GET /api/v1/${tenant}/users lists them`);
    }
    if (subject.type === 'GROUP' && !(await this.db.userGroup.findUnique({ where: { tenant_id: { tenant, id: subject.id } } }))) {
      throw new AppError('UNPROCESSABLE', `no group '${subject.id.slice(0, 100)}' in tenant ${tenant}; create it with POST /api/v1/${tenant}/groups`);
    }
    const id = crypto.randomUUID();
    const inserted = await this.db.$executeRaw`
      INSERT INTO role_bindings (id, tenant, subject_type, subject_id, role, namespace, created_by)
      VALUES (${id}, ${tenant}, ${subject.type}, ${subject.id}, ${input.role}, ${namespace}, ${by})
      ON CONFLICT DO NOTHING`;
    if (!inserted) throw new AppError('CONFLICT', `${subject.type} ${subject.id} already has ${input.role} ${namespace ? `at ${namespace}` : 'tenant-wide'}`);
    return bindingView((await this.db.roleBinding.findUnique({ where: { id } }))!);
  }

  async deleteBinding(tenant: string, id: string): Promise<BindingView> {
    const row = await this.db.roleBinding.findFirst({ where: { tenant, id } });
    if (!row) throw new AppError('NOT_FOUND', `no binding ${id.slice(0, 80)} in tenant ${tenant}`);
    await this.db.roleBinding.delete({ where: { id } });
    return bindingView(row);
  }
}
