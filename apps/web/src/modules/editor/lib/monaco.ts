'use client';
// Monaco from the local package, never from a CDN: Baton must work air-gapped. Only the editor
// core and the YAML grammar are loaded (not every language Monaco ships), and each language
// service runs in its own Web Worker.
import * as monaco from 'monaco-editor/esm/vs/editor/edcore.main';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution';
import { loader } from '@monaco-editor/react';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(moduleId: string, label: string): Worker };
  }
}

const createYamlWorker = () => new Worker(new URL('./yaml.worker.ts', import.meta.url), { type: 'module', name: 'yaml' });

window.MonacoEnvironment = {
  getWorker(_moduleId, label) {
    if (label === 'yaml') return createYamlWorker();
    return new Worker(new URL('./editor.worker.ts', import.meta.url), { type: 'module', name: 'editor' });
  },
};

/**
 * monaco-yaml 5 creates its worker with Monaco's pre-0.53 API (`createWebWorker({moduleId,
 * label, createData})`); Monaco 0.55 wants a Worker. This view of the Monaco module adapts the
 * call the way Monaco's own JSON language does (see monaco-editor/esm/vs/common/workers.js):
 * create the worker, send it a wake-up message and the create data, then wrap it.
 */
export const monacoForYaml = {
  ...monaco,
  editor: {
    ...monaco.editor,
    createWebWorker(opts: { createData?: unknown; label?: string; moduleId?: string }) {
      const worker = Promise.resolve(createYamlWorker()).then((w) => {
        w.postMessage('ignore');
        w.postMessage(opts.createData);
        return w;
      });
      return monaco.editor.createWebWorker({ worker } as never);
    },
  },
} as unknown as typeof monaco;

loader.config({ monaco });
export { monaco };
