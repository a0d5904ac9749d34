// The topology of a flow, shared by the editor's live view and the execution graph. Built from
// YAML (never from the server's plan) so a flow that does not validate still draws.

export type NodeKind = 'task' | 'group' | 'lane' | 'junction';

export interface GraphNode {
  /** Unique in the graph: the task id for tasks and groups, derived ids for junctions and lanes. */
  id: string;
  kind: NodeKind;
  label: string;
  /** Task nodes and groups: the task id as written and its type. */
  taskId?: string;
  type?: string;
  /** Short, readable type (`Log`, `Parallel`, `dns.records.Upsert`). */
  shortType?: string;
  /** Group nodes: what the group does with its children (for the header). */
  role?: 'sequential' | 'parallel' | 'dag' | 'if' | 'switch' | 'foreach' | 'group';
  /** Lanes: `then`, `else`, `case dev`, `errors`, `finally`... */
  lane?: 'branch' | 'errors' | 'finally' | 'compensation';
  /** 1-based YAML line of the task (click → jump to it). */
  line?: number;
  /** Size; groups and lanes get theirs from the layout. */
  width: number;
  height: number;
  /** Position after layout (top-left). */
  x?: number;
  y?: number;
  /** Nesting depth (groups draw lighter as they nest). */
  depth: number;
  disabled?: boolean;
  /** Subflow tasks: the flow they start. */
  subflow?: { namespace?: string; flowId?: string };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** `layout`: only orders the layout (not drawn), e.g. main tasks above the errors lane. */
  kind: 'flow' | 'finally' | 'layout';
}

/** The nesting structure, which the fast layout walks instead of solving a general graph. */
export type Block =
  | { kind: 'node'; id: string }
  | { kind: 'seq'; items: Block[] }
  | { kind: 'par'; branches: Block[] }
  | { kind: 'group'; id: string; in: string; out: string; body: Block }
  | { kind: 'lane'; id: string; body: Block };

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  root: Block;
}

export interface LaidOutGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  layout: 'structural' | 'dagre';
  layoutMs: number;
}

/** Where each task sits in the YAML: the editor's hover, docs panel and click-to-jump use it. */
export interface TaskLocation {
  taskId: string;
  type?: string;
  startLine: number;
  endLine: number;
  /** Keys written on the task, with their lines. */
  keys: { key: string; line: number; column: number; endColumn: number }[];
  typeValue?: { line: number; column: number; endColumn: number };
}

export interface EditorMarker {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  message: string;
  severity: 'error' | 'warning';
  source: 'yaml' | 'schema';
}

export const NODE_W = 224;
export const NODE_H = 54;
export const JUNCTION = 10;
export const GROUP_HEADER = 30;
export const LANE_HEADER = 24;
