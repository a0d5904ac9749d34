/**
 * Where to go after signing in: only a path on this site (`/main/flows?x=1`), never another
 * origin (`//evil.example`, `https://…`), so the sign-in page cannot be used as an open redirect.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/main/flows'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/signin') || next.startsWith('/setup')) return fallback;
  return next;
}

/** The sign-in page's address that comes back to `path` afterwards. */
export function signInHref(path: string) {
  return `/signin?next=${encodeURIComponent(safeNextPath(path))}`;
}
