import type { TaskLocation } from '@/modules/graph/lib/types';

/** The innermost task whose YAML contains the line. */
export function taskAtLine(tasks: TaskLocation[], line: number): TaskLocation | undefined {
  let best: TaskLocation | undefined;
  for (const t of tasks) {
    if (line < t.startLine || line > t.endLine) continue;
    if (!best || t.endLine - t.startLine <= best.endLine - best.startLine) best = t;
  }
  return best;
}
