import 'server-only';
import { AppError } from '@baton/engine';
import { allows, ROLE_PERMISSIONS, ROLES, scopesOf, type Grant, type Permission } from '@baton/engine/identity';
import { services } from '../services';
import type { AccessRule } from '../api/access-rules';
import type { Caller } from './identify';

/** What the caller may do in the request's tenant; routes use it to narrow listings and check bodies. */
export interface Access {
  tenant?: string;
  /** The namespace the route acts on, when its rule named one (the audit log records it). */
  namespace?: string;
  grants: Grant[];
  /** Everything (instance admin, or BATON_AUTH=none). */
  everything: boolean;
  can(permission: Permission, namespace: string): boolean;
  /** Throws 403 naming the permission and the namespace. */
  require(permission: Permission, namespace: string): void;
  /** Namespace subtrees where the permission holds; undefined: all of them. */
  within(permission: Permission): string[] | undefined;
}

const rolesWith = (permission: Permission) => ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).join(' or ');

export function forbidden(caller: Caller, permission: Permission, where: string) {
  return new AppError('FORBIDDEN', `${caller.id} lacks ${permission} ${where}; an Admin can bind a role that has it (${rolesWith(permission)})`, { permission });
}

export function accessFor(caller: Caller, tenant: string | undefined, grants: Grant[]): Access {
  const everything = caller.instanceAdmin;
  const where = (ns: string) => (ns ? `in namespace ${ns} of tenant ${tenant}` : `tenant-wide in tenant ${tenant}`);
  const can = (permission: Permission, namespace: string) => everything || allows(grants, permission, namespace);
  return {
    tenant,
    grants,
    everything,
    can,
    require(permission, namespace) {
      if (!can(permission, namespace)) throw forbidden(caller, permission, where(namespace));
    },
    within(permission) {
      if (everything) return undefined;
      const scopes = scopesOf(grants, permission);
      return scopes === 'all' ? undefined : scopes;
    },
  };
}

/** `_` in a URL names the tenant-wide layer (plugin defaults, secrets). */
const namespaceParam = (value: string) => (value === '_' ? '' : value);

/**
 * Applies a route's rule to an identified caller: 403 naming the permission and the namespace
 * when it does not hold. Runs after the tenant was checked, before the handler.
 */
export async function authorize(rule: AccessRule | undefined, caller: Caller, params: Record<string, string>, routeName: string): Promise<Access> {
  if (!rule) throw new AppError('FORBIDDEN', `${routeName} has no access rule yet, so nobody may call it; add one in apps/web/src/server/api/access-rules.ts`);
  const tenant = params.tenant;
  const grants = tenant !== undefined && caller.userId && !caller.instanceAdmin ? await services().access.grantsFor(tenant, caller.userId) : [];
  const access = accessFor(caller, tenant, grants);
  switch (rule.kind) {
    case 'public':
    case 'signedIn':
      return access;
    case 'instanceAdmin':
      if (!caller.instanceAdmin) throw new AppError('FORBIDDEN', `${caller.id} is not the instance administrator, who alone may ${routeName}`);
      return access;
    case 'tenant':
      access.require(rule.permission, '');
      return access;
    case 'namespace':
      access.namespace = namespaceParam(params[rule.param] ?? '');
      access.require(rule.permission, access.namespace);
      return access;
    case 'execution': {
      const row = await services().db.execution.findFirst({ where: { tenant, id: params[rule.param] }, select: { namespace: true } });
      // An execution that does not exist: the handler answers 404 to whoever may hold the permission somewhere.
      if (row) {
        access.namespace = row.namespace;
        access.require(rule.permission, row.namespace);
      } else if (access.within(rule.permission)?.length === 0) throw forbidden(caller, rule.permission, `in any namespace of tenant ${tenant}`);
      return access;
    }
    case 'somewhere':
      if (access.within(rule.permission)?.length === 0) throw forbidden(caller, rule.permission, `in any namespace of tenant ${tenant}`);
      return access;
    case 'anyTenant': {
      if (caller.instanceAdmin) return access;
      const anywhere = caller.userId ? await services().access.grantsAnywhere(caller.userId) : [];
      if (!anywhere.some((g) => ROLE_PERMISSIONS[g.role].includes(rule.permission))) throw forbidden(caller, rule.permission, 'in any namespace of any tenant');
      return access;
    }
    case 'app': {
      const namespace = await services().apps.namespaceOf(tenant, params[rule.param]);
      // An app that does not exist: the handler answers 404 to whoever may hold the permission somewhere.
      if (namespace !== undefined) {
        access.namespace = namespace;
        access.require(rule.permission, namespace);
      } else if (access.within(rule.permission)?.length === 0) throw forbidden(caller, rule.permission, `in any namespace of tenant ${tenant}`);
      return access;
    }
    case 'appUse':
      // AppService decides by the app's access; the grants still tell who may approve or reject.
      return access;
    case 'selfOrAdmin':
      if (caller.userId !== params[rule.param]) access.require('users.manage', '');
      return access;
  }
}
