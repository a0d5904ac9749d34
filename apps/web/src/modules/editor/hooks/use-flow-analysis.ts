'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { ApiError } from '@/modules/api/client';
import type { FlowError, JsonSchema, PluginDoc } from '@/modules/api/types';
import { validateOnServer, type SuppliedDefaults } from '@/modules/flows/hooks/use-flows';
import type { AnalyzeResult } from '@/modules/graph/lib/analyze';
import type { LayoutChoice } from '@/modules/graph/lib/layout';
import type { EditorMarker, LaidOutGraph, TaskLocation } from '@/modules/graph/lib/types';
import { latestChannel, setWorkerSchema, warmAnalysisWorker } from '@/modules/graph/lib/worker-client';
import { monaco, setHoverContext } from '../lib/monaco-setup';
import type { Schema } from '../lib/schema-validate';

// The editor's feedback loop. Every edit is analysed in the worker after a short debounce
// (markers from the schema, the topology, the task index); the server validates after a longer
// pause (its errors know plugin defaults and references) and its markers merge in. Stale answers
// are dropped: a newer edit always wins.

/** Worker analysis waits this long after the last keystroke. */
export const ANALYSIS_DEBOUNCE_MS = 90;
/** Server validation waits for a real pause: it is the slow, authoritative check. */
export const SERVER_DEBOUNCE_MS = 700;

export type ServerCheck = { status: 'idle' | 'checking' | 'valid' | 'invalid' | 'unreachable'; errors: FlowError[]; message?: string };

export interface Problem extends EditorMarker {
  origin: 'editor' | 'server';
}

const OWNER_LOCAL = 'baton';
const OWNER_SERVER = 'baton-server';

function toMonacoMarker(m: EditorMarker): Monaco.editor.IMarkerData {
  return { ...m, severity: m.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning, source: m.source === 'yaml' ? 'YAML' : 'schema' };
}

function serverMarker(e: FlowError, model: Monaco.editor.ITextModel): EditorMarker {
  const line = Math.min(Math.max(1, e.line || 1), model.getLineCount());
  const text = model.getLineContent(line);
  const col = Math.max(1, Math.min(e.column || 1, text.length + 1));
  // Underline the word at the column (the server gives a point, not a range).
  const word = model.getWordAtPosition({ lineNumber: line, column: col });
  const end = word && word.startColumn <= col ? word.endColumn : Math.max(col + 1, text.length + 1);
  return { startLineNumber: line, startColumn: col, endLineNumber: line, endColumn: end, message: e.message, severity: 'error', source: 'schema' };
}

declare global {
  interface Window {
    /** Timings the UI benchmark reads (bench/ui-bench.ts). */
    __batonEditorStats?: { lastEditAt: number; markerLatencies: number[]; analysisMs: number[] };
  }
}

export function useFlowAnalysis({
  model,
  tenant,
  schema,
  plugins,
  layout = 'auto',
}: {
  model: Monaco.editor.ITextModel | null;
  /** `?layout=dagre|structural` forces one (comparisons, the benchmark). */
  layout?: LayoutChoice;
  tenant: string;
  schema: JsonSchema | undefined;
  plugins: PluginDoc[] | undefined;
}) {
  const [graph, setGraph] = useState<LaidOutGraph | null>(null);
  const [tasks, setTasks] = useState<TaskLocation[]>([]);
  const [local, setLocal] = useState<EditorMarker[]>([]);
  const [server, setServer] = useState<ServerCheck>({ status: 'idle', errors: [] });
  const [serverMarkers, setServerMarkers] = useState<EditorMarker[]>([]);
  /** What plugin defaults (instance, tenant, namespaces, flow) give each task, per the server. */
  const [supplied, setSupplied] = useState<SuppliedDefaults[]>([]);
  const [meta, setMeta] = useState<{ flowId?: string; namespace?: string; timings?: AnalyzeResult['timings'] }>({});
  const graphSignature = useRef('');
  const pluginMap = useMemo(() => {
    const m = new Map<string, PluginDoc>();
    for (const p of plugins ?? []) for (const n of [p.id, ...p.aliases]) m.set(n, p);
    return m;
  }, [plugins]);

  useEffect(() => warmAnalysisWorker(), []);
  useEffect(() => {
    if (schema) void setWorkerSchema(schema as Schema);
  }, [schema]);

  useEffect(() => {
    if (!model) return;
    const stats = (window.__batonEditorStats ??= { lastEditAt: 0, markerLatencies: [], analysisMs: [] });
    const channel = latestChannel(
      (result, req) => {
        if (model.isDisposed() || model.getValue() !== req.source) return; // superseded by an edit
        monaco.editor.setModelMarkers(model, OWNER_LOCAL, result.markers.map(toMonacoMarker));
        if (stats.lastEditAt) {
          stats.markerLatencies.push(performance.now() - stats.lastEditAt);
          stats.lastEditAt = 0;
        }
        stats.analysisMs.push(result.timings.totalMs);
        setLocal(result.markers);
        setTasks(result.tasks);
        setMeta({ flowId: result.flowId, namespace: result.namespace, timings: result.timings });
        // A new graph object only when the topology changed: typing inside a message must not
        // re-render React Flow.
        const signature = JSON.stringify([result.graph.nodes.map((n) => [n.id, n.kind, n.type, n.x, n.y, n.width, n.height]), result.graph.edges.length]);
        if (signature !== graphSignature.current) {
          graphSignature.current = signature;
          setGraph(result.graph);
        }
      },
      () => {
        /* the worker reported an error; the previous result stays on screen */
      },
    );

    let analysisTimer: ReturnType<typeof setTimeout> | undefined;
    let serverTimer: ReturnType<typeof setTimeout> | undefined;
    let serverAbort: AbortController | undefined;

    const analyse = () => channel.post({ source: model.getValue(), validate: true, layout });
    const checkOnServer = async () => {
      serverAbort?.abort();
      const abort = (serverAbort = new AbortController());
      const source = model.getValue();
      setServer((s) => ({ ...s, status: 'checking' }));
      try {
        const r = await validateOnServer(tenant, source, abort.signal);
        if (abort.signal.aborted || model.isDisposed() || model.getValue() !== source) return;
        const markers = r.errors.map((e) => serverMarker(e, model));
        setServerMarkers(markers);
        setSupplied(r.suppliedDefaults ?? []);
        setServer({ status: r.valid ? 'valid' : 'invalid', errors: r.errors });
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        setServer({ status: 'unreachable', errors: [], message: error instanceof ApiError ? error.message : String(error) });
      }
    };

    const sub = model.onDidChangeContent(() => {
      stats.lastEditAt = performance.now();
      clearTimeout(analysisTimer);
      clearTimeout(serverTimer);
      analysisTimer = setTimeout(analyse, ANALYSIS_DEBOUNCE_MS);
      serverTimer = setTimeout(() => void checkOnServer(), SERVER_DEBOUNCE_MS);
    });
    analyse();
    void checkOnServer();
    return () => {
      sub.dispose();
      clearTimeout(analysisTimer);
      clearTimeout(serverTimer);
      serverAbort?.abort();
      channel.dispose();
    };
  }, [model, tenant, layout]);

  // Server markers the local analysis already shows (same place) are not shown twice.
  const merged = useMemo(() => {
    const seen = new Set(local.map((m) => `${m.startLineNumber}:${m.startColumn}`));
    const seenLines = new Set(local.map((m) => m.startLineNumber));
    const extra = serverMarkers.filter(
      (m) => !seen.has(`${m.startLineNumber}:${m.startColumn}`) && !(seenLines.has(m.startLineNumber) && /unknown (property|task type)/.test(m.message)),
    );
    return {
      extra,
      problems: [...local.map((m): Problem => ({ ...m, origin: 'editor' })), ...extra.map((m): Problem => ({ ...m, origin: 'server' }))].sort(
        (a, b) => a.startLineNumber - b.startLineNumber || a.startColumn - b.startColumn,
      ),
    };
  }, [local, serverMarkers]);

  useEffect(() => {
    if (model && !model.isDisposed()) monaco.editor.setModelMarkers(model, OWNER_SERVER, merged.extra.map(toMonacoMarker));
  }, [model, merged.extra]);

  useEffect(() => {
    if (model) setHoverContext(model.uri.toString(), { tasks, plugins: pluginMap, schema: schema as Schema | undefined });
  }, [model, tasks, pluginMap, schema]);

  /** Errors from a failed save (422) are shown the same way as validation errors. */
  const showServerErrors = (errors: FlowError[]) => {
    if (!model) return;
    setServerMarkers(errors.map((e) => serverMarker(e, model)));
    setServer({ status: 'invalid', errors });
  };

  return { graph, tasks, problems: merged.problems, server, meta, showServerErrors, pluginMap, supplied };
}
