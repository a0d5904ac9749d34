'use client';
import { useApp } from '@/components/app-shell/app-context';
import { tenantPath } from '@/modules/api/client';
import s from './execution.module.css';

// Files an execution holds (FILE inputs, outputs such as Download's `uri`): every kestra:/// URI
// found in a value, as a download link served by GET .../executions/{id}/file (access-checked).

const MAX_LINKS = 50;

/** The kestra:/// URIs in a value, depth first, each once. */
export function storageUris(value: unknown, found = new Set<string>()): string[] {
  if (found.size >= MAX_LINKS) return [...found];
  if (typeof value === 'string') {
    if (value.startsWith('kestra:///')) found.add(value);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) storageUris(v, found);
  }
  return [...found];
}

export function fileHref(tenant: string, executionId: string, uri: string): string {
  return `${tenantPath(tenant, 'executions', executionId, 'file')}?path=${encodeURIComponent(uri)}`;
}

export function FileLinks({ executionId, value }: { executionId: string; value: unknown }) {
  const { tenant } = useApp();
  const uris = storageUris(value);
  if (!uris.length) return null;
  return (
    <ul className={s.fileLinks} aria-label="Files">
      {uris.map((uri) => {
        const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
        return (
          <li key={uri}>
            <a href={fileHref(tenant, executionId, uri)} download={name} data-file-link={uri}>
              Download {name}
            </a>
            <span className="muted mono" title={uri}>
              {uri}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
