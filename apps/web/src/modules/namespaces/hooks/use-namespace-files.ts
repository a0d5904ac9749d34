'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, query, tenantPath } from '@/modules/api/client';
import { keys } from '@/modules/api/query-keys';

/** Kestra's FileAttributes, as GET /namespaces/{namespace}/files/directory answers them. */
export interface NamespaceFileEntry {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
  lastModifiedTime: number;
}

const filesPath = (tenant: string, namespace: string, ...rest: string[]) => tenantPath(tenant, 'namespaces', namespace, 'files', ...rest);

/** A directory's entries (`dir` from the namespace root, `/` for the root). */
export function useNamespaceFiles(tenant: string, namespace: string, dir: string) {
  return useQuery({
    queryKey: keys.namespaceFiles(tenant, namespace, dir),
    queryFn: ({ signal }) => api<NamespaceFileEntry[]>(`${filesPath(tenant, namespace, 'directory')}${dir === '/' ? '' : query({ path: dir })}`, { signal }),
  });
}

/** A file's text, fetched as bytes (the route answers application/octet-stream). */
export async function fetchNamespaceFile(tenant: string, namespace: string, path: string): Promise<string> {
  const res = await fetch(`${filesPath(tenant, namespace)}${query({ path })}`, { cache: 'no-store' });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(res.status, body.message ?? `${res.status} ${res.statusText}`);
  }
  return res.text();
}

export function useUploadNamespaceFile(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, file }: { path: string; file: Blob }) => {
      const form = new FormData();
      form.append('fileContent', file, path.split('/').pop());
      return api<{ path: string; size: number }>(`${filesPath(tenant, namespace)}${query({ path })}`, { method: 'POST', form });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['namespaceFiles', tenant, namespace] }),
  });
}

export function useDeleteNamespaceFile(tenant: string, namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (path: string) => api<{ path: string; deleted: number }>(`${filesPath(tenant, namespace)}${query({ path })}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['namespaceFiles', tenant, namespace] }),
  });
}
