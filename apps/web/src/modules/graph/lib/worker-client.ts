'use client';
import type { Schema } from '../../editor/lib/schema-validate';
import type { AnalyzeRequest, AnalyzeResult } from './analyze';

// The page's side of the analysis worker: one worker per tab, promise-based requests. Callers
// that re-analyze on every keystroke use `latest()`, which drops superseded requests instead of
// queueing them (a slow analysis never builds a backlog).

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let schemaSent: Schema | undefined;

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./flow.worker.ts', import.meta.url), { type: 'module', name: 'baton-flow-analysis' });
  worker.onmessage = (e: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string }>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.ok) p.resolve(e.data.result);
    else p.reject(new Error(e.data.error));
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(e.message || 'the analysis worker failed'));
    pending.clear();
  };
  return worker;
}

function request<T>(msg: Record<string, unknown>): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    getWorker().postMessage({ ...msg, id });
  });
}

/** Starts the worker early: its script loads while the page waits for data. */
export function warmAnalysisWorker() {
  getWorker();
}

export function setWorkerSchema(schema: Schema) {
  if (schemaSent === schema) return Promise.resolve();
  schemaSent = schema;
  return request<null>({ kind: 'schema', schema });
}

export function analyzeInWorker(req: AnalyzeRequest) {
  return request<AnalyzeResult>({ kind: 'analyze', ...req });
}

/**
 * A channel where only the newest request matters: while one analysis runs, later calls replace
 * each other and only the last is sent when the worker is free.
 */
export function latestChannel(onResult: (r: AnalyzeResult, req: AnalyzeRequest) => void, onError: (e: Error) => void) {
  let running = false;
  let queued: AnalyzeRequest | undefined;
  let disposed = false;
  const run = async (req: AnalyzeRequest) => {
    running = true;
    try {
      const result = await analyzeInWorker(req);
      if (!disposed && !queued) onResult(result, req);
    } catch (e) {
      if (!disposed) onError(e as Error);
    } finally {
      running = false;
      if (queued && !disposed) {
        const next = queued;
        queued = undefined;
        void run(next);
      }
    }
  };
  return {
    post(req: AnalyzeRequest) {
      if (running) queued = req;
      else void run(req);
    },
    dispose() {
      disposed = true;
    },
  };
}
