'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
export type KvType = (typeof KV_TYPES)[number];

export interface KvPair {
  key: string;
  type: KvType;
  value: unknown;
  description: string | null;
  updateDate: string;
  expirationDate: string | null;
}

export function useKv(tenant: string, namespace: string) {
  return useQuery({
    queryKey: keys.kv(tenant, namespace),
    queryFn: ({ signal }) => api<KvPair[]>(tenantPath(tenant, 'namespaces', namespace, 'kv'), { signal }),
  });
}

export function useSetKv(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { key: string; value: unknown; type: KvType; ttl?: string; description?: string }) =>
      api<KvPair>(tenantPath(tenant, 'namespaces', namespace, 'kv', input.key), {
        method: 'PUT',
        body: { value: input.value, type: input.type, ...(input.ttl ? { ttl: input.ttl } : {}), ...(input.description ? { description: input.description } : {}) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.kv(tenant, namespace) }),
  });
}

export function useDeleteKv(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api<void>(tenantPath(tenant, 'namespaces', namespace, 'kv', key), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.kv(tenant, namespace) }),
  });
}

/** What a value looks like in the edit field: text as it is, anything else as JSON. */
export function valueAsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** The field's text as the API wants it for a type (JSON types parse; the server checks the rest). */
export function valueFromText(text: string, type: KvType): unknown {
  if (type === 'JSON') return JSON.parse(text);
  return text;
}
