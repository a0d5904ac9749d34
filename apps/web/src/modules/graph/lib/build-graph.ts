import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { flowableRole, shortType } from './flowable';
import { GROUP_HEADER, JUNCTION, NODE_H, NODE_W, type Block, type FlowGraph, type GraphEdge, type GraphNode, type TaskLocation } from './types';

// Flow YAML → topology. Works on the YAML syntax tree, not on a validated plan, so it can draw
// a flow that is still being typed or does not validate: a task without an id, an unknown type
// or a list that is not a list is drawn as well as it can be, never thrown on.
//
// Shape: every flowable task is a group box with an entry and an exit junction; children hang
// between them (a chain for Sequential/ForEach, side by side for Parallel, one lane per branch
// for If/Switch). Edges join the exits of one step to the entries of the next, so the number of
// edges stays linear in the number of tasks.

export interface ParsedFlow {
  doc: Document;
  lines: LineCounter;
}

export function parseFlow(source: string): ParsedFlow {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  return { doc, lines };
}

const get = (map: unknown, key: string): Node | undefined => {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  return (pair?.value ?? undefined) as Node | undefined;
};

const scalarString = (node: unknown): string | undefined => {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return v === null || v === undefined ? undefined : String(v);
};

export interface BuildResult extends FlowGraph {
  tasks: TaskLocation[];
}

export function buildFlowGraph(parsed: ParsedFlow): BuildResult {
  const { doc, lines } = parsed;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const tasks: TaskLocation[] = [];
  const used = new Set<string>();
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  const pos = (offset: number) => lines.linePos(offset);

  const uniqueId = (wanted: string) => {
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}#${n}`;
    used.add(id);
    return id;
  };

  let anonymous = 0;
  /** Tasks that declare `compensate`, in the order they are written (docs/compensation.md). */
  const compensations: unknown[][] = [];

  const taskBlock = (raw: unknown, depth: number): Block | undefined => {
    if (!isMap(raw)) return undefined;
    const map = raw as YAMLMap;
    const taskId = scalarString(get(map, 'id')) ?? `(task ${++anonymous})`;
    const type = scalarString(get(map, 'type'));
    const id = uniqueId(taskId);
    const start = map.range?.[0];
    const end = map.range?.[1];
    const location: TaskLocation = {
      taskId,
      type,
      startLine: lineOf(start) ?? 1,
      endLine: end !== undefined ? lines.linePos(Math.max(start ?? 0, end - 1)).line : (lineOf(start) ?? 1),
      keys: [],
    };
    for (const pair of map.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const p = pos(pair.key.range[0]);
      location.keys.push({ key: String(pair.key.value), line: p.line, column: p.col, endColumn: p.col + String(pair.key.value).length });
    }
    const typeNode = get(map, 'type');
    if (isScalar(typeNode) && typeNode.range) {
      const p = pos(typeNode.range[0]);
      const e = pos(typeNode.range[1]);
      location.typeValue = { line: p.line, column: p.col, endColumn: e.line === p.line ? e.col : p.col + String(typeNode.value).length };
    }
    tasks.push(location);
    // Drawn in the compensation lane, not in the task's place: they run only after a failure.
    const compensate = get(map, 'compensate');
    if (isSeq(compensate) || isMap(compensate)) compensations.push(isSeq(compensate) ? compensate.items : [compensate]);

    const disabled = scalarString(get(map, 'disabled')) === 'true';
    const base = { label: taskId, taskId, type, shortType: shortType(type), line: location.startLine, depth, disabled };
    const role = flowableRole(type);
    const children = childLists(map, role);
    if (!role && !children.length) {
      const node: GraphNode = { id, kind: 'task', width: NODE_W, height: NODE_H, ...base };
      if (/(^|\.)Subflow$/.test(type ?? '')) node.subflow = { namespace: scalarString(get(map, 'namespace')), flowId: scalarString(get(map, 'flowId')) };
      nodes.push(node);
      return { kind: 'node', id };
    }
    nodes.push({ id, kind: 'group', role: role ?? 'group', width: NODE_W, height: GROUP_HEADER, ...base });
    const inId = `${id}::in`;
    const outId = `${id}::out`;
    nodes.push({ id: inId, kind: 'junction', label: '', width: JUNCTION, height: JUNCTION, depth: depth + 1 });
    nodes.push({ id: outId, kind: 'junction', label: '', width: JUNCTION, height: JUNCTION, depth: depth + 1 });

    if (role === 'dag') {
      const body = dagBody(get(map, 'tasks'), depth + 1, inId, outId);
      return { kind: 'group', id, in: inId, out: outId, body };
    }
    let body: Block;
    if (role === 'parallel') {
      // Each child of a Parallel is a branch of its own.
      body = { kind: 'par', branches: children.flatMap((c) => c.tasks.map((t) => taskBlock(t, depth + 1)).filter((b): b is Block => !!b)) };
    } else if (role === 'if' || role === 'switch') {
      const lanes: Block[] = [];
      for (const c of children) {
        const laneId = uniqueId(`${id}::lane::${c.label}`);
        nodes.push({ id: laneId, kind: 'lane', lane: 'branch', label: c.label, width: NODE_W, height: 0, depth: depth + 1 });
        lanes.push({ kind: 'lane', id: laneId, body: seq(c.tasks, depth + 2) });
      }
      body = { kind: 'par', branches: lanes };
    } else {
      body = seq(
        children.flatMap((c) => c.tasks),
        depth + 1,
      );
    }
    connectInside(inId, outId, body);
    return { kind: 'group', id, in: inId, out: outId, body };
  };

  // A Dag's tasks as layers (a task sits one layer below its deepest dependency) for the layout;
  // the edges follow dependsOn: entry → tasks without dependencies, each dependency → its
  // dependents, tasks nothing depends on → exit.
  const dagBody = (list: unknown, depth: number, inId: string, outId: string): Block => {
    const items = listItems(list).flatMap((entry) => {
      const block = taskBlock(get(entry, 'task'), depth);
      if (!block) return [];
      const taskId = scalarString(get(get(entry, 'task'), 'id'));
      const dependsOn = listItems(get(entry, 'dependsOn'))
        .map(scalarString)
        .filter((d): d is string => !!d);
      return [{ taskId, block, dependsOn }];
    });
    const byTask = new Map(items.flatMap((i) => (i.taskId ? [[i.taskId, i] as const] : [])));
    const known = (i: (typeof items)[number]) => i.dependsOn.filter((d) => byTask.has(d) && d !== i.taskId);
    const level = new Map<(typeof items)[number], number>();
    const levelOf = (i: (typeof items)[number], visiting: Set<unknown>): number => {
      const cached = level.get(i);
      if (cached !== undefined) return cached;
      if (visiting.has(i)) return 0; // a cycle (refused by validation) still draws
      visiting.add(i);
      const l = Math.max(-1, ...known(i).map((d) => levelOf(byTask.get(d)!, visiting))) + 1;
      level.set(i, l);
      return l;
    };
    const layers: Block[][] = [];
    for (const item of items) (layers[levelOf(item, new Set())] ??= []).push(item.block);
    const dependedOn = new Set(items.flatMap(known));
    const edge = (a: string, b: string) => edges.push({ id: `${a}->${b}`, source: a, target: b, kind: 'flow' });
    for (const item of items) {
      const deps = known(item);
      if (!deps.length) for (const b of entries(item.block)) edge(inId, b);
      for (const d of deps) for (const a of exits(byTask.get(d)!.block)) for (const b of entries(item.block)) edge(a, b);
      if (!item.taskId || !dependedOn.has(item.taskId)) for (const a of exits(item.block)) edge(a, outId);
    }
    if (!items.length) edge(inId, outId);
    return { kind: 'seq', items: layers.filter(Boolean).map((branches) => ({ kind: 'par', branches })) };
  };

  const seq = (items: unknown[], depth: number): Block => {
    const blocks = items.map((t) => taskBlock(t, depth)).filter((b): b is Block => !!b);
    for (let i = 1; i < blocks.length; i++) connect(blocks[i - 1], blocks[i]);
    return { kind: 'seq', items: blocks };
  };

  const connect = (from: Block, to: Block, kind: GraphEdge['kind'] = 'flow') => {
    for (const a of exits(from)) for (const b of entries(to)) edges.push({ id: `${a}->${b}`, source: a, target: b, kind });
  };
  const connectInside = (inId: string, outId: string, body: Block) => {
    const ins = entries(body);
    const outs = exits(body);
    if (!ins.length) {
      edges.push({ id: `${inId}->${outId}`, source: inId, target: outId, kind: 'flow' });
      return;
    }
    for (const b of ins) edges.push({ id: `${inId}->${b}`, source: inId, target: b, kind: 'flow' });
    for (const a of outs) edges.push({ id: `${a}->${outId}`, source: a, target: outId, kind: 'flow' });
  };

  const root = doc.contents;
  const main = seq(listItems(get(root, 'tasks')), 0);
  const blocks: Block[] = [main];

  // errors and finally sit below the main tasks, side by side when both exist. The errors lane
  // is not joined to the main tasks (it runs when any of them fails); a layout-only edge keeps
  // it below them.
  const errorItems = listItems(get(root, 'errors'));
  const finallyItems = listItems(get(root, 'finally'));
  const after: Block[] = [];
  if (finallyItems.length) {
    const laneId = uniqueId('::finally');
    nodes.push({ id: laneId, kind: 'lane', lane: 'finally', label: 'finally · always', width: NODE_W, height: 0, depth: 0 });
    const lane: Block = { kind: 'lane', id: laneId, body: seq(finallyItems, 1) };
    const before = edges.length;
    connect(main, lane);
    for (let i = before; i < edges.length; i++) edges[i].kind = 'finally';
    after.push(lane);
  }
  if (errorItems.length) {
    const laneId = uniqueId('::errors');
    nodes.push({ id: laneId, kind: 'lane', lane: 'errors', label: 'errors · when a task fails', width: NODE_W, height: 0, depth: 0 });
    const lane: Block = { kind: 'lane', id: laneId, body: seq(errorItems, 1) };
    const before = edges.length;
    connect(main, lane);
    for (let i = before; i < edges.length; i++) edges[i].kind = 'layout';
    after.push(lane);
  }
  // The compensation lane: every declared undo, the last written first (the order they run in
  // when every task succeeded before the failure). Like errors, joined by a layout edge only.
  if (compensations.length) {
    const laneId = uniqueId('::compensation');
    nodes.push({ id: laneId, kind: 'lane', lane: 'compensation', label: 'compensation · undo after a failure, last first', width: NODE_W, height: 0, depth: 0 });
    const lane: Block = { kind: 'lane', id: laneId, body: seq([...compensations].reverse().flat(), 1) };
    const before = edges.length;
    connect(main, lane);
    for (let i = before; i < edges.length; i++) edges[i].kind = 'layout';
    after.push(lane);
  }
  if (after.length) blocks.push(after.length === 1 ? after[0] : { kind: 'par', branches: after });
  return { nodes, edges, root: blocks.length === 1 ? blocks[0] : { kind: 'seq', items: blocks }, tasks };
}

function listItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

interface ChildList {
  label: string;
  tasks: unknown[];
}

/** The child task lists of a task, in the order they run or read. */
function childLists(map: YAMLMap, role: ReturnType<typeof flowableRole>): ChildList[] {
  const out: ChildList[] = [];
  const list = (key: string, label = key) => {
    const items = listItems(get(map, key));
    if (items.length) out.push({ label, tasks: items });
  };
  if (role === 'if') {
    list('then');
    list('else');
  } else if (role === 'switch') {
    const cases = get(map, 'cases');
    if (isMap(cases)) {
      for (const pair of cases.items) {
        const items = listItems(pair.value);
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        if (items.length) out.push({ label: `case ${key}`, tasks: items });
      }
    }
    list('defaults', 'default');
  } else {
    // Sequential, Parallel, ForEach — and any unknown type that carries a task list, so a
    // plugin this browser does not know still shows its children.
    list('tasks');
  }
  return out;
}

/** Entry node ids of a block (where an incoming edge lands). */
export function entries(b: Block): string[] {
  switch (b.kind) {
    case 'node':
      return [b.id];
    case 'group':
      return [b.in];
    case 'lane':
      return entries(b.body);
    case 'seq':
      return b.items.length ? entries(b.items[0]) : [];
    case 'par':
      return b.branches.flatMap(entries);
  }
}

/** Exit node ids of a block (where an outgoing edge starts). */
export function exits(b: Block): string[] {
  switch (b.kind) {
    case 'node':
      return [b.id];
    case 'group':
      return [b.out];
    case 'lane':
      return exits(b.body);
    case 'seq':
      return b.items.length ? exits(b.items[b.items.length - 1]) : [];
    case 'par':
      return b.branches.flatMap(exits);
  }
}
