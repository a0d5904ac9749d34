import { validateAgainstSchema, type Schema } from '../../editor/lib/schema-validate';
import { buildFlowGraph, parseFlow } from './build-graph';
import { layoutGraph, type LayoutChoice } from './layout';
import type { EditorMarker, LaidOutGraph, TaskLocation } from './types';

// One pass over a flow's YAML: parse, validate against the schema, build and lay out the
// topology. Runs in the analysis Web Worker (see flow.worker.ts); pure, so tests and the
// benchmark call it directly too.

export interface AnalyzeRequest {
  source: string;
  /** Skip schema validation (the execution page only needs the graph). */
  validate?: boolean;
  layout?: LayoutChoice;
}

export interface AnalyzeResult {
  markers: EditorMarker[];
  graph: LaidOutGraph;
  tasks: TaskLocation[];
  /** Top-level id and namespace as written (the editor titles a new flow with them). */
  flowId?: string;
  namespace?: string;
  timings: { parseMs: number; validateMs: number; layoutMs: number; totalMs: number };
}

export function analyzeFlow(req: AnalyzeRequest, schema: Schema | undefined): AnalyzeResult {
  const t0 = performance.now();
  const parsed = parseFlow(req.source);
  const t1 = performance.now();
  const markers: EditorMarker[] = [];
  for (const e of [...parsed.doc.errors, ...parsed.doc.warnings]) {
    const start = parsed.lines.linePos(e.pos[0]);
    const end = parsed.lines.linePos(Math.max(e.pos[1], e.pos[0] + 1));
    markers.push({
      startLineNumber: start.line,
      startColumn: start.col,
      endLineNumber: end.line,
      endColumn: end.line === start.line ? Math.max(end.col, start.col + 1) : start.col + 1,
      message: `YAML: ${e.message.split('\n')[0]}`,
      severity: parsed.doc.errors.includes(e as never) ? 'error' : 'warning',
      source: 'yaml',
    });
  }
  const built = buildFlowGraph(parsed);
  if (req.validate !== false && schema && !parsed.doc.errors.length) {
    markers.push(...validateAgainstSchema(parsed.doc.contents, schema, parsed.lines));
    markers.push(...duplicateIds(built.tasks));
  }
  const t2 = performance.now();
  const graph = layoutGraph(built, req.layout);
  const t3 = performance.now();
  const root = parsed.doc.contents as { get?: (k: string) => unknown } | null;
  const str = (k: string) => {
    const v = root && typeof root.get === 'function' ? root.get(k) : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  return {
    markers,
    graph,
    tasks: built.tasks,
    flowId: str('id'),
    namespace: str('namespace'),
    timings: { parseMs: t1 - t0, validateMs: t2 - t1, layoutMs: t3 - t2, totalMs: t3 - t0 },
  };
}

/** Task ids are unique in a flow (outputs.<id> would be ambiguous otherwise). */
function duplicateIds(tasks: TaskLocation[]): EditorMarker[] {
  const seen = new Map<string, number>();
  const out: EditorMarker[] = [];
  for (const t of tasks) {
    if (t.taskId.startsWith('(task ')) continue;
    const first = seen.get(t.taskId);
    if (first === undefined) {
      seen.set(t.taskId, t.startLine);
      continue;
    }
    const idKey = t.keys.find((k) => k.key === 'id');
    const line = idKey?.line ?? t.startLine;
    out.push({
      startLineNumber: line,
      startColumn: idKey?.column ?? 1,
      endLineNumber: line,
      endColumn: (idKey?.endColumn ?? 2) + 2 + t.taskId.length,
      message: `duplicate task id '${t.taskId}' (also on line ${first}); task ids are unique in a flow`,
      severity: 'error',
      source: 'schema',
    });
  }
  return out;
}
