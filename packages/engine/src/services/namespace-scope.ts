/** Namespaces `scopes` covers (each scope with its children), as a Prisma condition; nothing for []. */
export function withinNamespaces(scopes: string[]) {
  if (!scopes.length) return { namespace: { in: [] as string[] } };
  return { OR: scopes.flatMap((s) => [{ namespace: s }, { namespace: { startsWith: `${s}.` } }]) };
}
