import { dagreLayout } from './layout-dagre';
import { structuralLayout } from './layout-structural';
import type { FlowGraph, LaidOutGraph } from './types';

/**
 * Past this many drawn nodes the layout switches from dagre to the structural layout: dagre's
 * cost grows super-linearly (seconds at 500 tasks) while the structural layout stays linear.
 */
export const DAGRE_MAX_NODES = 150;

export type LayoutChoice = 'auto' | 'dagre' | 'structural';

export function layoutGraph(graph: FlowGraph, choice: LayoutChoice = 'auto'): LaidOutGraph {
  const started = performance.now();
  const drawn = graph.nodes.filter((n) => n.kind === 'task' || n.kind === 'junction').length;
  const kind = choice === 'auto' ? (drawn <= DAGRE_MAX_NODES ? 'dagre' : 'structural') : choice;
  const { width, height } = kind === 'dagre' ? dagreLayout(graph) : structuralLayout(graph);
  return { nodes: graph.nodes, edges: graph.edges, width, height, layout: kind, layoutMs: performance.now() - started };
}
