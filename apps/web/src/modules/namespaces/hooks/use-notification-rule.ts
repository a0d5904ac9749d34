'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';

/** GET /namespaces/{ns}/notifications (docs/notifications.md, "For a whole namespace"). */
export interface NotificationRule {
  namespace: string;
  /** 0: no rule of its own. */
  revision: number;
  source: string;
  createdBy: string | null;
  created: string | null;
  /** The parent namespace whose rule applies here when it has none. */
  inheritedFrom: { namespace: string; revision: number } | null;
}

const key = (tenant: string, namespace: string) => ['notification-rule', tenant, namespace] as const;

export function useNotificationRule(tenant: string, namespace: string) {
  return useQuery({
    queryKey: key(tenant, namespace),
    queryFn: ({ signal }) => api<NotificationRule>(tenantPath(tenant, 'namespaces', namespace, 'notifications'), { signal }),
  });
}

export function useSaveNotificationRule(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (source: string) =>
      api<NotificationRule & { changed: boolean }>(tenantPath(tenant, 'namespaces', namespace, 'notifications'), {
        method: 'PUT',
        raw: { body: source, contentType: 'application/x-yaml' },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notification-rule', tenant] }),
  });
}
