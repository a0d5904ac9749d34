/// <reference lib="webworker" />
// The analysis worker: YAML parsing, schema validation, graph building and layout all run here,
// off the main thread, so typing in a 2,000-line flow or opening a 500-task execution never
// blocks the page.
import { editorSchema, type Schema } from '../../editor/lib/schema-validate';
import { analyzeFlow, type AnalyzeRequest } from './analyze';

export type WorkerRequest = { id: number; kind: 'schema'; schema: Schema } | ({ id: number; kind: 'analyze' } & AnalyzeRequest);

let schema: Schema | undefined;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  try {
    if (msg.kind === 'schema') {
      schema = editorSchema(msg.schema);
      self.postMessage({ id: msg.id, ok: true, result: null });
      return;
    }
    const result = analyzeFlow(msg, schema);
    self.postMessage({ id: msg.id, ok: true, result });
  } catch (error) {
    self.postMessage({ id: msg.id, ok: false, error: (error as Error).message ?? String(error) });
  }
};
