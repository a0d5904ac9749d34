'use client';
import { Controls, MarkerType, MiniMap, Position, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type Node, type NodeHandle, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
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
/** Above this many nodes a minimap helps to find one's way. */
const MINIMAP_ABOVE = 80;

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

/**
 * Layout nodes → React Flow nodes. Junctions (a group's entry and exit points) are not nodes of
 * their own here but handles on their group: a 500-task graph has 250 of them, and every React
 * Flow node costs time on the first render.
 */
export function toFlow(graph: LaidOutGraph): { nodes: Node<FlowNodeData>[]; edges: Edge[] } {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const junctionOf = (id: string) => {
    const m = /^(.*)::(in|out)$/.exec(id);
    return m && byId.get(id)?.kind === 'junction' ? { group: m[1], which: m[2] as 'in' | 'out' } : undefined;
  };
  const nodes: Node<FlowNodeData>[] = [];
  for (const n of graph.nodes) {
    if (n.kind === 'junction') continue;
    const data: FlowNodeData = { node: n };
    // Handle positions given up front: React Flow then draws edges without measuring every node
    // in the DOM first, and its first render mounts only the visible nodes (otherwise it mounts
    // all of them once, to measure their handles).
    let handles: NodeHandle[] | undefined;
    if (n.kind === 'group') {
      const at = (j: GraphNode | undefined) => (j ? { x: (j.x ?? 0) + j.width / 2 - (n.x ?? 0), y: (j.y ?? 0) + j.height / 2 - (n.y ?? 0) } : undefined);
      data.ports = { in: at(byId.get(`${n.id}::in`)), out: at(byId.get(`${n.id}::out`)) };
      handles = [];
      for (const which of ['in', 'out'] as const) {
        const p = data.ports[which];
        if (!p) continue;
        handles.push({ id: `${which}-target`, type: 'target', position: Position.Top, x: p.x, y: p.y - 5, width: 1, height: 1 });
        handles.push({ id: `${which}-source`, type: 'source', position: Position.Bottom, x: p.x, y: p.y + 5, width: 1, height: 1 });
      }
    } else if (n.kind === 'task') {
      handles = [
        { type: 'target', position: Position.Top, x: n.width / 2, y: 0, width: 1, height: 1 },
        { type: 'source', position: Position.Bottom, x: n.width / 2, y: n.height, width: 1, height: 1 },
      ];
    } else {
      handles = [];
    }
    nodes.push({
      id: n.id,
      type: `baton-${n.kind}`,
      position: { x: n.x ?? 0, y: n.y ?? 0 },
      data,
      handles,
      width: n.width,
      height: n.height,
      draggable: false,
      selectable: false,
      connectable: false,
      focusable: n.kind === 'task' || n.kind === 'group',
      // Boxes under edges under tasks: edges inside a group stay visible.
      zIndex: n.kind === 'group' || n.kind === 'lane' ? n.depth : 1000,
      ariaLabel: n.kind === 'task' || n.kind === 'group' ? `${n.label} (${n.shortType})` : undefined,
    });
  }
  const edges = graph.edges
    .filter((e) => e.kind !== 'layout')
    .map((e) => {
      const from = junctionOf(e.source);
      const to = junctionOf(e.target);
      return {
        id: e.id,
        source: from ? from.group : e.source,
        sourceHandle: from ? `${from.which}-source` : undefined,
        target: to ? to.group : e.target,
        targetHandle: to ? `${to.which}-target` : undefined,
        type: 'smoothstep',
        zIndex: 500,
        focusable: false,
        selectable: false,
        // Fan out right below a group's entry and join right above its exit, so edges run along
        // the branches instead of cutting across the tasks between them.
        pathOptions: { borderRadius: 8, stepPosition: from?.which === 'in' ? 0 : to?.which === 'out' ? 1 : 0.5 },
        style: e.kind === 'finally' ? { strokeDasharray: '5 4' } : undefined,
        markerEnd: byId.get(e.target)?.kind === 'task' ? { type: MarkerType.ArrowClosed, width: 14, height: 14 } : undefined,
      } as Edge;
    });
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
  // The minimap draws every node (it does not virtualize): it comes after the first paint.
  const [minimap, setMinimap] = useState(false);

  // The container's size, known before React Flow first renders: with it (and the initial
  // viewport), React Flow's first render mounts only the visible nodes instead of all of them.
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useLayoutEffect(() => {
    const el = wrap.current;
    if (el) setSize({ w: el.clientWidth, h: el.clientHeight });
  }, []);

  const viewportFor = useCallback(
    (w: number, h: number): Viewport => {
      const focus = focusTaskId ? graph.nodes.find((n) => n.taskId === focusTaskId) : undefined;
      if (focus) {
        // Debugging starts at the failed (or running) task: show it, readable, a third down.
        const zoom = 0.9;
        return { x: w / 2 - ((focus.x ?? 0) + focus.width / 2) * zoom, y: h / 3 - ((focus.y ?? 0) + focus.height / 2) * zoom, zoom };
      }
      // Fit the width (flows are read top-down); when that leaves the graph taller than the view,
      // start at the top instead of shrinking everything into an unreadable thumbnail.
      const pad = 48;
      const zoom = Math.min(1.05, Math.max(0.55, (w - pad) / Math.max(1, graph.width)));
      if (graph.height * zoom + pad <= h) return { x: (w - graph.width * zoom) / 2, y: (h - graph.height * zoom) / 2, zoom };
      const fitAll = Math.min((w - pad) / Math.max(1, graph.width), (h - pad) / Math.max(1, graph.height));
      if (fitAll >= 0.55) return { x: (w - graph.width * fitAll) / 2, y: (h - graph.height * fitAll) / 2, zoom: fitAll };
      return { x: (w - graph.width * zoom) / 2, y: 24, zoom };
    },
    [graph, focusTaskId],
  );

  const initialView = useCallback(() => {
    const el = wrap.current;
    if (!el || !graph.nodes.length) return;
    void flow.setViewport(viewportFor(el.clientWidth, el.clientHeight));
  }, [flow, graph, viewportFor]);

  // Re-fit when a different graph is shown, not on every edit of the same flow.
  useEffect(() => {
    if (!ready) return;
    const key = fitKey ?? 'default';
    if (fitted.current === undefined) {
      fitted.current = key; // the first view came with defaultViewport
      return;
    }
    if (fitted.current === key) return;
    fitted.current = key;
    initialView();
  }, [ready, fitKey, initialView]);

  useEffect(() => {
    if (!ready) return;
    // Two frames: React Flow has committed the nodes and the browser has painted them.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        wrap.current?.setAttribute('data-graph-ready', 'true');
        if (typeof performance !== 'undefined' && !performance.getEntriesByName('baton:graph-visible').length) performance.mark('baton:graph-visible');
        setTimeout(() => setMinimap(true), 250);
      }),
    );
  }, [ready, graph]);

  const minimapColor = useCallback(
    (n: Node<FlowNodeData>) => {
      const run = n.data.node.taskId ? store?.get(n.data.node.taskId) : undefined;
      if (n.data.node.kind !== 'task') return 'transparent';
      return run ? stateColors(run.state).color : 'var(--border-strong)';
    },
    [store],
  );

  return (
    <div ref={wrap} className={s.wrap} data-testid="flow-graph" aria-label={label}>
      {size ? (
        <ReactFlow
          width={size.w}
          height={size.h}
          defaultViewport={viewportFor(size.w, size.h)}
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
          onNodeClick={(_, node) => {
            const n = byId.get(node.id);
            if (n && (n.kind === 'task' || n.kind === 'group')) onSelect?.(n);
          }}
          zoomOnDoubleClick={false}
          // React Flow listens to keys on the whole document (Space pans, Backspace deletes...).
          // Beside the editor that would swallow spaces typed in Monaco: this graph is read-only.
          panActivationKeyCode={null}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          zoomActivationKeyCode={null}
        >
          <Controls showInteractive={false} position="bottom-right" />
          {minimap && graph.nodes.length > MINIMAP_ABOVE ? (
            <MiniMap pannable zoomable nodeColor={minimapColor} position="bottom-left" maskColor="color-mix(in srgb, var(--bg) 60%, transparent)" />
          ) : null}
        </ReactFlow>
      ) : null}
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
