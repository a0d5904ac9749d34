'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/modules/api/client';

export interface Me {
  id: string;
  email: string | null;
  name: string | null;
  kind: 'user' | 'anonymous' | 'local';
  instanceAdmin: boolean;
  authMode: 'password' | 'none';
  roles?: { role: string; namespace: string | null }[];
  permissions?: Record<string, 'all' | string[]>;
}

/** Who is signed in, with their permissions in the tenant (the shell shows it; pages hide what they cannot do). */
export function useMe(tenant: string) {
  return useQuery({ queryKey: ['me', tenant], queryFn: () => api<Me>(`/api/v1/${encodeURIComponent(tenant)}/me`), staleTime: 60_000 });
}

/** True when `permission` holds at `namespace` (or anywhere, without one), by what GET /me said. */
export function can(me: Me | undefined, permission: string, namespace?: string): boolean {
  const where = me?.permissions?.[permission];
  if (where === 'all') return true;
  if (!where) return false;
  if (namespace === undefined) return where.length > 0;
  return where.some((s) => namespace === s || namespace.startsWith(`${s}.`));
}

export async function signOut() {
  await fetch('/api/v1/auth/logout', { method: 'POST' });
  window.location.assign('/signin');
}
