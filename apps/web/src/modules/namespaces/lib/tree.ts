// Dotted namespaces as a tree: infra, infra.delivery, infra.delivery.edge. Counts roll up so a
// parent shows everything beneath it.
export interface NamespaceNode {
  name: string;
  /** Full dotted namespace. */
  path: string;
  /** Flows declared exactly here. */
  own: number;
  /** Flows here and below. */
  total: number;
  children: NamespaceNode[];
}

export function namespaceTree(entries: { namespace: string; flows: number }[]): NamespaceNode[] {
  const root: NamespaceNode = { name: '', path: '', own: 0, total: 0, children: [] };
  for (const { namespace, flows } of entries) {
    let node = root;
    const parts = namespace.split('.');
    parts.forEach((part, i) => {
      const path = parts.slice(0, i + 1).join('.');
      let child = node.children.find((c) => c.name === part);
      if (!child) {
        child = { name: part, path, own: 0, total: 0, children: [] };
        node.children.push(child);
      }
      child.total += flows;
      node = child;
    });
    node.own += flows;
  }
  const sort = (n: NamespaceNode) => {
    n.children.sort((a, b) => a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root.children;
}
