'use client';
import Editor, { DiffEditor } from '@monaco-editor/react';
import type * as Monaco from 'monaco-editor';
import { useEffect } from 'react';
import { useTheme } from '@/components/app-shell/theme';
import { LoadingState } from '@/components/ui';
import type { JsonSchema, PluginDoc } from '@/modules/api/types';
import { configureFlowLanguage, monaco, registerHover } from '../lib/monaco-setup';
import type { Schema } from '../lib/schema-validate';

// Monaco, loaded only in the browser (the page imports this module with next/dynamic). The
// language setup runs once the flow schema and plugin docs are known.

const OPTIONS: Monaco.editor.IStandaloneEditorConstructionOptions = {
  fontFamily: 'ui-monospace, "SFMono-Regular", "Cascadia Code", "DejaVu Sans Mono", Menlo, Consolas, monospace',
  fontSize: 13,
  lineHeight: 20,
  tabSize: 2,
  insertSpaces: true,
  minimap: { enabled: true, renderCharacters: false, maxColumn: 80 },
  scrollBeyondLastLine: false,
  automaticLayout: true,
  renderWhitespace: 'selection',
  quickSuggestions: { other: true, comments: false, strings: false },
  fixedOverflowWidgets: true,
  padding: { top: 10 },
  smoothScrolling: true,
  stickyScroll: { enabled: true },
  bracketPairColorization: { enabled: false },
  'semanticHighlighting.enabled': false,
};

export function useEditorTheme() {
  const { theme } = useTheme();
  const name = theme === 'dark' ? 'baton-dark' : 'baton-light';
  useEffect(() => {
    monaco.editor.setTheme(name);
  }, [name]);
  return name;
}

export default function YamlEditor({
  path,
  defaultValue,
  schema,
  plugins,
  onMount,
  readOnly,
}: {
  path: string;
  defaultValue: string;
  schema?: JsonSchema;
  plugins?: PluginDoc[];
  onMount: (editor: Monaco.editor.IStandaloneCodeEditor) => void;
  readOnly?: boolean;
}) {
  const theme = useEditorTheme();
  useEffect(() => {
    if (schema && plugins) configureFlowLanguage(schema as Schema, plugins);
    registerHover();
  }, [schema, plugins]);
  return (
    <Editor
      path={path}
      defaultValue={defaultValue}
      language="yaml"
      theme={theme}
      options={{ ...OPTIONS, readOnly }}
      onMount={(editor) => onMount(editor as unknown as Monaco.editor.IStandaloneCodeEditor)}
      loading={<LoadingState label="Loading the editor…" />}
    />
  );
}

export function YamlDiff({ original, modified, originalPath, modifiedPath }: { original: string; modified: string; originalPath: string; modifiedPath: string }) {
  const theme = useEditorTheme();
  // @monaco-editor/react disposes the models before the diff widget lets go of them (Monaco
  // then logs "TextModel got disposed before DiffEditorWidget model got reset"): keep them on
  // unmount and dispose them ourselves once the widget is gone.
  useEffect(
    () => () => {
      setTimeout(() => {
        for (const path of [originalPath, modifiedPath]) monaco.editor.getModel(monaco.Uri.parse(path))?.dispose();
      }, 0);
    },
    [originalPath, modifiedPath],
  );
  return (
    <DiffEditor
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      original={original}
      modified={modified}
      originalModelPath={originalPath}
      modifiedModelPath={modifiedPath}
      language="yaml"
      theme={theme}
      options={{ ...OPTIONS, readOnly: true, renderSideBySide: true, minimap: { enabled: false }, originalEditable: false, stickyScroll: { enabled: false } }}
      loading={<LoadingState label="Loading the diff…" />}
    />
  );
}
