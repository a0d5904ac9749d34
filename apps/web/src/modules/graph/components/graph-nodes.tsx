'use client';
import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { createContext, memo, useContext, useSyncExternalStore } from 'react';
import { formatMs, durationBetween } from '@/components/format';
import { Icon } from '@/components/icons';
import { StateIcon, stateColors } from '@/components/state-badge';
import type { RunStore } from '../lib/run-store';
import type { GraphNode } from '../lib/types';
import s from './graph.module.css';

export const RunStoreContext = createContext<RunStore | null>(null);

export type FlowNodeData = {
  node: GraphNode;
  /** Groups: where their entry and exit points are, relative to the box. */
  ports?: { in?: { x: number; y: number }; out?: { x: number; y: number } };
};
type FlowNode = Node<FlowNodeData>;

const noop = () => () => {};

function useRun(taskId: string | undefined) {
  const store = useContext(RunStoreContext);
  return useSyncExternalStore(
    store && taskId ? (l) => store.subscribe(taskId, l) : noop,
    () => (store && taskId ? store.get(taskId) : undefined),
    () => undefined,
  );
}

function useSelected(taskId: string | undefined) {
  const store = useContext(RunStoreContext);
  return useSyncExternalStore(
    store ? (l) => store.subscribeSelected(l) : noop,
    () => !!taskId && store?.selected() === taskId,
    () => false,
  );
}

const handles = (
  <>
    <Handle type="target" position={Position.Top} isConnectable={false} className={s.handle} />
    <Handle type="source" position={Position.Bottom} isConnectable={false} className={s.handle} />
  </>
);

function Meta({ taskId }: { taskId?: string }) {
  const run = useRun(taskId);
  if (!run) return null;
  const duration = durationBetween(run.startDate, run.endDate);
  const parts: string[] = [];
  if (duration !== undefined) parts.push(formatMs(duration));
  if (run.attempts > 1) parts.push(`${run.attempts} attempts`);
  if (run.runs > 1) parts.push(`${run.byState.SUCCESS ?? 0}/${run.runs} done`);
  return <span className={s.meta}>{parts.join(' · ')}</span>;
}

export const TaskNode = memo(function TaskNode({ data }: NodeProps<FlowNode>) {
  const n = data.node;
  const run = useRun(n.taskId);
  const selected = useSelected(n.taskId);
  const colors = run ? stateColors(run.state) : undefined;
  return (
    <div
      className={[s.task, selected && s.selected, n.disabled && s.disabled, run && s.hasRun].filter(Boolean).join(' ')}
      style={colors ? { ['--state' as string]: colors.color, ['--state-soft' as string]: colors.soft } : undefined}
      data-task-id={n.taskId}
      data-state={run?.state}
      title={`${n.taskId} (${n.type ?? 'no type'})${run ? ` — ${run.state}` : ''}`}
    >
      {handles}
      <div className={s.taskTop}>
        <span className={s.taskId}>{n.label}</span>
        {run ? (
          <span className={s.stateIcon}>
            <StateIcon state={run.state} size={14} />
          </span>
        ) : null}
      </div>
      <div className={s.taskBottom}>
        <span className={s.type}>
          {n.subflow ? (
            <>
              <Icon name="external" size={11} /> {n.subflow.namespace}.{n.subflow.flowId}
            </>
          ) : (
            n.shortType || 'no type'
          )}
        </span>
        <Meta taskId={n.taskId} />
      </div>
    </div>
  );
});

const ROLE_LABEL: Record<string, string> = { parallel: 'parallel', sequential: 'sequence', dag: 'dag', if: 'if', switch: 'switch', foreach: 'for each', group: 'group' };

function Port({ at, which }: { at: { x: number; y: number }; which: 'in' | 'out' }) {
  return (
    <>
      <span className={s.port} style={{ left: at.x - 5, top: at.y - 5 }} />
      <Handle id={`${which}-target`} type="target" position={Position.Top} isConnectable={false} className={s.handle} style={{ left: at.x, top: at.y - 5 }} />
      <Handle id={`${which}-source`} type="source" position={Position.Bottom} isConnectable={false} className={s.handle} style={{ left: at.x, top: at.y + 5 }} />
    </>
  );
}

export const GroupNode = memo(function GroupNode({ data }: NodeProps<FlowNode>) {
  const n = data.node;
  const run = useRun(n.taskId);
  const selected = useSelected(n.taskId);
  const colors = run ? stateColors(run.state) : undefined;
  return (
    <div
      className={[s.group, selected && s.selected, n.depth % 2 ? s.odd : ''].filter(Boolean).join(' ')}
      style={{ width: n.width, height: n.height, ...(colors ? { ['--state' as string]: colors.color } : {}) }}
      data-task-id={n.taskId}
      data-state={run?.state}
    >
      {data.ports?.in ? <Port at={data.ports.in} which="in" /> : null}
      {data.ports?.out ? <Port at={data.ports.out} which="out" /> : null}
      <div className={s.groupHeader} title={`${n.taskId} (${n.type})`}>
        <Icon name={n.role === 'parallel' || n.role === 'dag' ? 'layers' : n.role === 'if' || n.role === 'switch' ? 'diff' : n.role === 'foreach' ? 'retry' : 'format'} size={13} />
        <span className={s.groupId}>{n.label}</span>
        <span className={s.groupRole}>{ROLE_LABEL[n.role ?? 'group']}</span>
        {run ? (
          <span className={s.groupState}>
            <Meta taskId={n.taskId} />
            <StateIcon state={run.state} size={13} />
          </span>
        ) : null}
      </div>
    </div>
  );
});

export const LaneNode = memo(function LaneNode({ data }: NodeProps<FlowNode>) {
  const n = data.node;
  return (
    <div
      className={[s.lane, n.lane === 'errors' && s.laneErrors, n.lane === 'finally' && s.laneFinally, n.lane === 'compensation' && s.laneCompensation].filter(Boolean).join(' ')}
      style={{ width: n.width, height: n.height }}
    >
      <div className={s.laneLabel}>{n.label}</div>
    </div>
  );
});

export const JunctionNode = memo(function JunctionNode() {
  return <div className={s.junction}>{handles}</div>;
});

// Prefixed names: React Flow styles its own `group`/`default` node types.
export const nodeTypes = { 'baton-task': TaskNode, 'baton-group': GroupNode, 'baton-lane': LaneNode, 'baton-junction': JunctionNode };
