/**
 * Built-in roles and what they allow. Pure data and functions (no I/O): the access service
 * evaluates bindings with them, and the route × role test derives its expectations from them.
 *
 * A binding gives a role tenant-wide (namespace '') or at a namespace, which includes its
 * children: `team` covers `team.a` and `team.a.b`, not `teams`.
 */
export const PERMISSIONS = [
  'flows.read',
  'flows.write',
  'executions.read',
  'executions.start',
  /** Resume, kill, restart, replay. */
  'executions.operate',
  'pluginDefaults.read',
  'pluginDefaults.write',
  /** Secret names and values (values are write-only). */
  'secrets.write',
  /** The KV store of a namespace: read its pairs, and change them. */
  'kv.read',
  'kv.write',
  'approvals.decide',
  /** Users, groups, role bindings and other users' API tokens. */
  'users.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['ADMIN', 'EDITOR', 'OPERATOR', 'APPROVER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

const VIEW: Permission[] = ['flows.read', 'executions.read', 'pluginDefaults.read', 'kv.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  EDITOR: [...VIEW, 'flows.write', 'pluginDefaults.write', 'secrets.write', 'kv.write'],
  OPERATOR: [...VIEW, 'executions.start', 'executions.operate'],
  APPROVER: [...VIEW, 'approvals.decide'],
  VIEWER: VIEW,
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: 'everything, including users, groups, bindings and the audit log',
  EDITOR: 'read, and write flows, plugin defaults, secrets and KV pairs',
  OPERATOR: 'read, and execute, resume, kill, restart and replay',
  APPROVER: 'read, and decide approvals',
  VIEWER: 'read flows, executions, logs, plugin defaults and KV pairs',
};

export interface Grant {
  role: Role;
  /** '' for tenant-wide. */
  namespace: string;
}

/** `ns` is `scope` or one of its children ('' covers everything). */
export function covers(scope: string, ns: string): boolean {
  return scope === '' || ns === scope || ns.startsWith(`${scope}.`);
}

export function allows(grants: readonly Grant[], permission: Permission, namespace: string): boolean {
  return grants.some((g) => covers(g.namespace, namespace) && ROLE_PERMISSIONS[g.role].includes(permission));
}

/**
 * Where `permission` holds: `all` (tenant-wide), or the namespace subtrees (most general only).
 * Listings filter by it, so a caller never sees — nor counts — what lies outside.
 */
export function scopesOf(grants: readonly Grant[], permission: Permission): 'all' | string[] {
  const scopes = grants.filter((g) => ROLE_PERMISSIONS[g.role].includes(permission)).map((g) => g.namespace);
  if (scopes.includes('')) return 'all';
  return [...new Set(scopes)].filter((s, _, all) => !all.some((o) => o !== s && covers(o, s))).sort();
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
