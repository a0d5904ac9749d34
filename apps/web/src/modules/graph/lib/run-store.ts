import type { TaskRun } from '@/modules/api/types';

// Live task-run states for the graph. Nodes subscribe to their own task id, so when one task of
// a 500-task execution changes, one node re-renders — not the graph.

export interface RunSummary {
  taskId: string;
  /** The state shown: the most telling state among the task's runs (iterations). */
  state: string;
  /** Task runs of this task (ForEach iterations, or one). */
  runs: number;
  byState: Record<string, number>;
  attempts: number;
  startDate?: string;
  endDate?: string;
  running: boolean;
}

// When iterations disagree, show what needs attention first.
const PRIORITY = ['RUNNING', 'KILLING', 'PAUSED', 'RETRYING', 'RESTARTED', 'FAILED', 'KILLED', 'WARNING', 'CREATED', 'QUEUED', 'CANCELLED', 'SUCCESS', 'SKIPPED'];

/**
 * The current run of each task and loop value. A restarted execution keeps the runs of its
 * previous attempt (the failed ones included) and appends new ones: the last one counts.
 */
export function latestRuns(taskRuns: TaskRun[]): TaskRun[] {
  const last = new Map<string, TaskRun>();
  for (const t of taskRuns) last.set(`${t.taskId}\u0000${t.value ?? ''}`, t);
  return taskRuns.filter((t) => last.get(`${t.taskId}\u0000${t.value ?? ''}`) === t);
}

export function summarizeRuns(taskRuns: TaskRun[]): Map<string, RunSummary> {
  const out = new Map<string, RunSummary>();
  for (const t of latestRuns(taskRuns)) {
    let s = out.get(t.taskId);
    if (!s) {
      s = { taskId: t.taskId, state: t.state.current, runs: 0, byState: {}, attempts: 0, running: false };
      out.set(t.taskId, s);
    }
    s.runs += 1;
    s.byState[t.state.current] = (s.byState[t.state.current] ?? 0) + 1;
    s.attempts = Math.max(s.attempts, t.attempts?.length ?? 0);
    if (t.state.startDate && (!s.startDate || t.state.startDate < s.startDate)) s.startDate = t.state.startDate;
    if (t.state.endDate && (!s.endDate || t.state.endDate > s.endDate)) s.endDate = t.state.endDate;
    if (PRIORITY.indexOf(t.state.current) < PRIORITY.indexOf(s.state)) s.state = t.state.current;
  }
  for (const s of out.values()) {
    s.running = ['RUNNING', 'KILLING', 'RETRYING', 'CREATED'].includes(s.state);
    if (s.running) s.endDate = undefined;
  }
  return out;
}

type Listener = () => void;

export interface RunStore {
  get(taskId: string): RunSummary | undefined;
  subscribe(taskId: string, listener: Listener): () => void;
  set(next: Map<string, RunSummary>): void;
  selected(): string | undefined;
  select(taskId: string | undefined): void;
  subscribeSelected(listener: Listener): () => void;
}

export function createRunStore(): RunStore {
  let runs = new Map<string, RunSummary>();
  const listeners = new Map<string, Set<Listener>>();
  let selected: string | undefined;
  const selectedListeners = new Set<Listener>();
  const key = (s: RunSummary | undefined) => (s ? `${s.state}|${s.runs}|${s.attempts}|${s.startDate}|${s.endDate}|${JSON.stringify(s.byState)}` : '');
  return {
    get: (taskId) => runs.get(taskId),
    subscribe(taskId, listener) {
      let set = listeners.get(taskId);
      if (!set) listeners.set(taskId, (set = new Set()));
      set.add(listener);
      return () => set!.delete(listener);
    },
    set(next) {
      const prev = runs;
      runs = next;
      for (const [taskId, set] of listeners) {
        if (key(prev.get(taskId)) !== key(next.get(taskId))) set.forEach((l) => l());
      }
    },
    selected: () => selected,
    select(taskId) {
      if (taskId === selected) return;
      selected = taskId;
      selectedListeners.forEach((l) => l());
    },
    subscribeSelected(listener) {
      selectedListeners.add(listener);
      return () => selectedListeners.delete(listener);
    },
  };
}
