'use client';
import { Controls, MarkerType, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTheme } from '@/components/app-shell/theme';
import { stateColors } from '@/components/state-badge';
import { IconButton } from '@/components/ui';
import type { RunStore } from '../lib/run-store';
import type { GraphNode, LaidOutGraph } from '../lib/types';
import { nodeTypes, RunStoreContext, type FlowNodeData } from './graph-nodes';
import s from './graph.module.css';

// The topology drawn with React Flow. Positions come precomputed from the layout worker; nodes
// are not measured, dragged or selected by React Flow (one less pass over 500 nodes), and live
// states flow through the RunStore so a state change re-renders one node.

/** Above this many nodes only what is in the viewport is mounted. */
const VIRTUALIZE_ABOVE = 150;
/** Above this many, the initial view zooms to something readable instead of fitting everything. */
const FIT_ALL_BELOW = 80;

export interface FlowGraphProps {
  graph: LaidOutGraph;
  store?: RunStore;
  onSelect?: (node: GraphNode) => void;
  /** The task to bring into view first (the failed or running one). */
  focusTaskId?: string;
  /** Changing it re-fits the view (a different flow, not an edit). */
  fitKey?: string;
  /** Shown over the graph, top-right. */
  toolbar?: React.ReactNode;
  label: string;
}

function toFlow(graph: LaidOutGraph): { nodes: Node<FlowNodeData>[]; edges: Edge[] } {
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const nodes = graph.nodes.map((n): Node<FlowNodeData> => ({
    id: n.id,
    type: n.kind,
    position: { x: n.x ?? 0, y: n.y ?? 0 },
    data: { node: n },
    width: n.width,
    height: n.height,
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: n.kind === 'task' || n.kind === 'group',
    // Boxes under edges under tasks: edges inside a group stay visible.
    zIndex: n.kind === 'group' || n.kind === 'lane' ? n.depth : 1000,
    ariaLabel: n.kind === 'task' || n.kind === 'group' ? `${n.label} (${n.shortType})` : undefined,
  }));
  const edges = graph.edges.map((e): Edge => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'smoothstep',
    zIndex: 500,
    focusable: false,
    selectable: false,
    pathOptions: { borderRadius: 10 },
    className: e.kind === 'finally' ? 'edge-finally' : undefined,
    style: e.kind === 'finally' ? { strokeDasharray: '5 4' } : undefined,
    markerEnd: kinds.get(e.target) === 'task' ? { type: MarkerType.ArrowClosed, width: 14, height: 14 } : undefined,
  }));
  return { nodes, edges };
}

function Inner({ graph, store, onSelect, focusTaskId, fitKey, toolbar, label }: FlowGraphProps) {
  const { theme } = useTheme();
  const flow = useReactFlow();
  const { nodes, edges } = useMemo(() => toFlow(graph), [graph]);
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const wrap = useRef<HTMLDivElement>(null);
  const fitted = useRef<string | undefined>(undefined);
  const [ready, setReady] = useState(false);

  const initialView = useCallback(() => {
    const el = wrap.current;
    if (!el || !graph.nodes.length) return;
    const w = el.clientWidth;
    const h = el.clientHeight;
    const focus = focusTaskId ? graph.nodes.find((n) => n.taskId === focusTaskId) : undefined;
    if (graph.nodes.length <= FIT_ALL_BELOW && !focus) {
      void flow.fitView({ padding: 0.12, maxZoom: 1.1, minZoom: 0.2, duration: 0 });
    } else if (focus) {
      const zoom = 0.9;
      void flow.setViewport({ x: w / 2 - ((focus.x ?? 0) + focus.width / 2) * zoom, y: h / 3 - ((focus.y ?? 0) + focus.height / 2) * zoom, zoom });
    } else {
      const zoom = Math.max(0.35, Math.min(0.9, (w - 40) / Math.max(1, graph.width)));
      void flow.setViewport({ x: (w - graph.width * zoom) / 2, y: 24, zoom });
    }
  }, [flow, graph, focusTaskId]);

  // Re-fit when a different graph is shown, not on every edit of the same flow.
  useEffect(() => {
    if (!ready) return;
    const key = fitKey ?? 'default';
    if (fitted.current === key) return;
    fitted.current = key;
    initialView();
  }, [ready, fitKey, initialView]);

  useEffect(() => {
    if (!ready) return;
    // Two frames: React Flow has committed the nodes and the browser has painted them.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      wrap.current?.setAttribute('data-graph-ready', 'true');
      if (typeof performance !== 'undefined' && !performance.getEntriesByName('baton:graph-visible').length) performance.mark('baton:graph-visible');
    }));
  }, [ready, graph]);

  const minimapColor = useCallback((n: Node<FlowNodeData>) => {
    const run = n.data.node.taskId ? store?.get(n.data.node.taskId) : undefined;
    if (n.type === 'group' || n.type === 'lane' || n.type === 'junction') return 'transparent';
    return run ? stateColors(run.state).color : 'var(--border-strong)';
  }, [store]);

  return (
    <div ref={wrap} className={s.wrap} data-testid="flow-graph" aria-label={label}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        colorMode={theme}
        onInit={() => setReady(true)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
        minZoom={0.08}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, node) => {
          const n = byId.get(node.id);
          if (n && (n.kind === 'task' || n.kind === 'group')) onSelect?.(n);
        }}
        zoomOnDoubleClick={false}
      >
        <Controls showInteractive={false} position="bottom-right" />
        {graph.nodes.length > FIT_ALL_BELOW ? <MiniMap pannable zoomable nodeColor={minimapColor} position="top-left" maskColor="color-mix(in srgb, var(--bg) 60%, transparent)" /> : null}
      </ReactFlow>
      <div className={s.toolbar}>
        {toolbar}
        <IconButton icon="zoomFit" label="Fit the whole graph" size="sm" variant="secondary" onClick={() => void flow.fitView({ padding: 0.1, duration: 200, minZoom: 0.05 })} />
      </div>
    </div>
  );
}

export function FlowGraph(props: FlowGraphProps) {
  return (
    <RunStoreContext.Provider value={props.store ?? null}>
      <ReactFlowProvider>
        <Inner {...props} />
      </ReactFlowProvider>
    </RunStoreContext.Provider>
  );
}
