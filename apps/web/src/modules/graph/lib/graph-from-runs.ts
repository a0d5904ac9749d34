import type { TaskRun } from '@/modules/api/types';
import { entries, exits } from './build-graph';
import { GROUP_HEADER, JUNCTION, NODE_H, NODE_W, type Block, type FlowGraph, type GraphEdge, type GraphNode } from './types';

/**
 * A topology from the task runs alone, for an execution whose flow revision cannot be read:
 * each task once (iterations merged), children under their parent, in the order they ran.
 * Less than the real topology (no branch that did not run) but never nothing.
 */
export function graphFromRuns(taskRuns: TaskRun[]): FlowGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const firstRun = new Map<string, TaskRun>();
  for (const r of taskRuns) if (!firstRun.has(r.taskId)) firstRun.set(r.taskId, r);
  const runTask = new Map(taskRuns.map((r) => [r.id, r.taskId]));
  const childrenOf = new Map<string | null, string[]>();
  for (const r of firstRun.values()) {
    const parentTask = r.parentTaskRunId ? (runTask.get(r.parentTaskRunId) ?? null) : null;
    if (!childrenOf.has(parentTask)) childrenOf.set(parentTask, []);
    childrenOf.get(parentTask)!.push(r.taskId);
  }
  const block = (taskId: string, depth: number): Block => {
    const kids = childrenOf.get(taskId) ?? [];
    if (!kids.length) {
      nodes.push({ id: taskId, kind: 'task', label: taskId, taskId, shortType: '', width: NODE_W, height: NODE_H, depth });
      return { kind: 'node', id: taskId };
    }
    nodes.push({ id: taskId, kind: 'group', role: 'group', label: taskId, taskId, shortType: '', width: NODE_W, height: GROUP_HEADER, depth });
    const inId = `${taskId}::in`;
    const outId = `${taskId}::out`;
    nodes.push(
      { id: inId, kind: 'junction', label: '', width: JUNCTION, height: JUNCTION, depth: depth + 1 },
      { id: outId, kind: 'junction', label: '', width: JUNCTION, height: JUNCTION, depth: depth + 1 },
    );
    const body = seq(kids, depth + 1);
    for (const b of entries(body)) edges.push({ id: `${inId}->${b}`, source: inId, target: b, kind: 'flow' });
    for (const a of exits(body)) edges.push({ id: `${a}->${outId}`, source: a, target: outId, kind: 'flow' });
    return { kind: 'group', id: taskId, in: inId, out: outId, body };
  };
  const seq = (ids: string[], depth: number): Block => {
    const items = ids.map((id) => block(id, depth));
    for (let i = 1; i < items.length; i++) {
      for (const a of exits(items[i - 1])) for (const b of entries(items[i])) edges.push({ id: `${a}->${b}`, source: a, target: b, kind: 'flow' });
    }
    return { kind: 'seq', items };
  };
  return { nodes, edges, root: seq(childrenOf.get(null) ?? [], 0) };
}
