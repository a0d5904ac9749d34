import dagre from '@dagrejs/dagre';
import type { Block, FlowGraph } from './types';

// The general layered layout (dagre, compound graph: groups and lanes are clusters). Used for
// small graphs and as the baseline the benchmark compares the structural layout against.

export function dagreLayout(graph: FlowGraph): { width: number; height: number } {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 40, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const parents = parentsOf(graph);
  for (const n of graph.nodes) {
    if (n.kind === 'group' || n.kind === 'lane') g.setNode(n.id, {});
    else g.setNode(n.id, { width: n.width, height: n.height });
  }
  for (const [child, parent] of parents) g.setParent(child, parent);
  for (const e of graph.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const result = readBack(graph, g);
  keepDeclaredOrder(graph);
  return result;
}

function readBack(graph: FlowGraph, g: InstanceType<typeof dagre.graphlib.Graph>) {
  let width = 0;
  let height = 0;
  for (const n of graph.nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!p) continue;
    if (n.kind === 'group' || n.kind === 'lane') {
      // dagre leaves one rank gap above a cluster's first node; the header needs a bit more.
      const header = n.kind === 'group' ? 14 : 6;
      n.width = p.width;
      n.height = p.height + header;
      p.y -= header / 2;
    }
    n.x = p.x - n.width / 2;
    n.y = p.y - n.height / 2;
    width = Math.max(width, n.x + n.width);
    height = Math.max(height, n.y + n.height);
  }
  return { width, height };
}

/**
 * dagre orders siblings to reduce crossings, which may draw `else` left of `then` or a
 * Parallel's branches out of order, and its ranker sinks a short branch down next to the join.
 * Flows read in declared order and branches start together, so each set of siblings is put back
 * in order and top-aligned (whole subtrees move; widths and gaps are kept).
 */
function keepDeclaredOrder(graph: FlowGraph) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const idsOf = (b: Block, out: string[] = []): string[] => {
    switch (b.kind) {
      case 'node':
        out.push(b.id);
        break;
      case 'seq':
        b.items.forEach((i) => idsOf(i, out));
        break;
      case 'par':
        b.branches.forEach((i) => idsOf(i, out));
        break;
      case 'group':
        out.push(b.id, b.in, b.out);
        idsOf(b.body, out);
        break;
      case 'lane':
        out.push(b.id);
        idsOf(b.body, out);
        break;
    }
    return out;
  };
  const walk = (b: Block) => {
    if (b.kind === 'par' && b.branches.length > 1) {
      const boxes = b.branches.map((branch) => {
        const ids = idsOf(branch);
        const nodes = ids.map((id) => byId.get(id)!).filter((n) => n.x !== undefined);
        const left = Math.min(...nodes.map((n) => n.x!));
        const right = Math.max(...nodes.map((n) => n.x! + n.width));
        const top = Math.min(...nodes.map((n) => n.y!));
        return { nodes, left, right, top };
      });
      const top = Math.min(...boxes.map((box) => box.top));
      for (const box of boxes) for (const n of box.nodes) n.y! -= box.top - top;
      const sorted = [...boxes].sort((a, b2) => a.left - b2.left);
      if (sorted.some((box, i) => box !== boxes[i])) {
        const gaps = sorted.slice(1).map((box, i) => box.left - sorted[i].right);
        const gap = gaps.length ? Math.max(8, gaps.reduce((x, y) => x + y, 0) / gaps.length) : 24;
        let x = sorted[0].left;
        for (const box of boxes) {
          const dx = x - box.left;
          for (const n of box.nodes) n.x! += dx;
          x += box.right - box.left + gap;
        }
      }
    }
    if (b.kind === 'seq') b.items.forEach(walk);
    else if (b.kind === 'par') b.branches.forEach(walk);
    else if (b.kind === 'group' || b.kind === 'lane') walk(b.body);
  };
  walk(graph.root);
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
