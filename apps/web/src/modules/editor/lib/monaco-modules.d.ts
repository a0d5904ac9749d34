// Monaco's ESM entry points below ship without their own declarations; they export the same API.
declare module 'monaco-editor/esm/vs/editor/edcore.main' {
  export * from 'monaco-editor';
}
declare module 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution';
declare module 'monaco-editor/esm/vs/editor/editor.worker.js';
declare module 'monaco-yaml/yaml.worker.js';
