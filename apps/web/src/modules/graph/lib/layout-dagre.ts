import dagre from '@dagrejs/dagre';
import type { FlowGraph } from './types';

// The general layered layout (dagre, compound graph: groups and lanes are clusters). Used for
// small graphs and as the baseline the benchmark compares the structural layout against.

export function dagreLayout(graph: FlowGraph): { width: number; height: number } {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 34, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const parents = parentsOf(graph);
  for (const n of graph.nodes) {
    if (n.kind === 'group' || n.kind === 'lane') g.setNode(n.id, {});
    else g.setNode(n.id, { width: n.width, height: n.height });
  }
  for (const [child, parent] of parents) g.setParent(child, parent);
  for (const e of graph.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  let width = 0;
  let height = 0;
  for (const n of graph.nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!p) continue;
    if (n.kind === 'group' || n.kind === 'lane') {
      n.width = p.width;
      n.height = p.height;
    }
    n.x = p.x - n.width / 2;
    n.y = p.y - n.height / 2;
    width = Math.max(width, n.x + n.width);
    height = Math.max(height, n.y + n.height);
  }
  return { width, height };
}

/** child id → container id, from the block tree (dagre needs explicit cluster membership). */
export function parentsOf(graph: FlowGraph): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (b: FlowGraph['root'], parent?: string) => {
    switch (b.kind) {
      case 'node':
        if (parent) out.set(b.id, parent);
        break;
      case 'seq':
        b.items.forEach((i) => walk(i, parent));
        break;
      case 'par':
        b.branches.forEach((i) => walk(i, parent));
        break;
      case 'group':
        if (parent) out.set(b.id, parent);
        out.set(b.in, b.id);
        out.set(b.out, b.id);
        walk(b.body, b.id);
        break;
      case 'lane':
        if (parent) out.set(b.id, parent);
        walk(b.body, b.id);
        break;
    }
  };
  walk(graph.root);
  return out;
}
