'use client';
import { appJsonSchema, APP_STAGES, blocksFor, parseApp, type AppParseResult } from '@baton/flow/apps';
import { useQuery } from '@tanstack/react-query';
import type * as Monaco from 'monaco-editor';
import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { PageHeader } from '@/components/page';
import { Button, LoadingState, Segmented, useToast } from '@/components/ui';
import { api, ApiError, tenantPath } from '@/modules/api/client';
import type { Flow } from '@/modules/api/types';

type FlowError = { path: string; line: number; column: number; message: string };
import { configureAppLanguage, monaco } from '@/modules/editor/lib/monaco-setup';
import type { Schema } from '@/modules/editor/lib/schema-validate';
import { initialValues, inputsFromSource } from '@/modules/inputs/lib/inputs';
import { useSaveApp } from '../hooks/use-apps';
import type { AppStage } from '../lib/types';
import { AppBlocks } from './app-blocks';
import { appUrl } from './apps-catalog-page';
import s from './apps.module.css';

const YamlEditor = dynamic(() => import('@/modules/editor/components/yaml-editor'), { ssr: false, loading: () => <LoadingState label="Loading the editor…" /> });

const TEMPLATE = `id: request_something
type: io.kestra.plugin.ee.apps.Execution
displayName: Request something
namespace: company.team
flowId: my_flow
access:
  type: PRIVATE
layout:
  - on: OPEN
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdown
        content: "## Tell us what you need"
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionForm
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionButton
        text: Submit
        style: SUCCESS
  - on: RUNNING
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Loading
      - type: io.kestra.plugin.ee.apps.execution.blocks.Logs
  - on: SUCCESS
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Alert
        style: SUCCESS
        content: Done!
      - type: io.kestra.plugin.ee.apps.execution.blocks.Outputs
  - on: FAILURE
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Alert
        style: ERROR
        content: Something went wrong; the team has the logs.
`;

const OWNER = 'baton-app';
const noop = () => undefined;

function setMarkers(editor: Monaco.editor.IStandaloneCodeEditor | undefined, errors: FlowError[]) {
  const model = editor?.getModel();
  if (!model) return;
  monaco.editor.setModelMarkers(
    model,
    OWNER,
    errors.map((e) => ({
      severity: monaco.MarkerSeverity.Error,
      message: e.message,
      startLineNumber: e.line,
      startColumn: e.column,
      endLineNumber: e.line,
      endColumn: model.getLineMaxColumn(Math.min(e.line, model.getLineCount())),
    })),
  );
}

/**
 * The App editor: Kestra's App YAML in Monaco (completion from the App JSON Schema, errors at
 * their line and column as you type) with a live preview of each stage beside it.
 */
export default function AppEditor({ id, initial }: { id?: string; initial?: string }) {
  const { tenant } = useApp();
  const href = useHref();
  const router = useRouter();
  const toast = useToast();
  const save = useSaveApp(tenant);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  const [source, setSource] = useState(initial ?? TEMPLATE);
  const [result, setResult] = useState<AppParseResult>(() => parseApp(initial ?? TEMPLATE));
  const [serverErrors, setServerErrors] = useState<FlowError[]>([]);
  const [stage, setStage] = useState<AppStage>('OPEN');
  const schema = useMemo(() => appJsonSchema() as Schema, []);

  // Re-parse shortly after typing stops; the parser is the server's own (packages/flow).
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = parseApp(source);
      setResult(next);
      setServerErrors([]);
      setMarkers(editorRef.current, next.errors);
    }, 200);
    return () => clearTimeout(timer);
  }, [source]);

  const app = result.app;
  const flow = useQuery({
    queryKey: ['flows', tenant, 'detail', app?.namespace ?? '', app?.flowId ?? ''],
    enabled: Boolean(app),
    queryFn: () => api<Flow>(tenantPath(tenant, 'flows', app!.namespace, app!.flowId)),
    retry: false,
  });
  const inputs = useMemo(() => inputsFromSource(flow.data?.source), [flow.data?.source]);
  const previewValues = useMemo(() => initialValues(inputs), [inputs]);
  const errors = [...result.errors, ...serverErrors];
  const stages: AppStage[] = app ? ['OPEN', ...APP_STAGES.filter((st) => st !== 'OPEN' && app.layout.some((l) => l.on === st))] : ['OPEN'];

  const onSave = async () => {
    try {
      const saved = await save.mutateAsync({ source, id });
      toast.success(`Saved ${saved.id} (revision ${saved.revision})`);
      if (!id) router.replace(href('apps', saved.id, 'edit'));
    } catch (error) {
      if (error instanceof ApiError && error.errors?.length) {
        setServerErrors(error.errors as FlowError[]);
        setMarkers(editorRef.current, [...result.errors, ...(error.errors as FlowError[])]);
      }
      toast.error('Could not save the app', (error as Error).message);
    }
  };

  return (
    <>
      <PageHeader
        title={id ? `App · ${id}` : 'New app'}
        crumbs={[{ label: 'Apps', href: href('apps') }, { label: id ?? 'new' }]}
        actions={
          <>
            {id ? (
              <a href={appUrl(tenant, id)} target="_blank" rel="noreferrer">
                <Button icon="external">Open</Button>
              </a>
            ) : null}
            <Button variant="primary" icon="save" loading={save.isPending} disabled={!app} onClick={() => void onSave()} data-testid="app-save">
              Save
            </Button>
          </>
        }
      />
      <div className={s.editor}>
        <div className={s.editorPane}>
          <div style={{ flex: 1, minHeight: 0 }}>
            <YamlEditor
              path={`inmemory://apps/${id ?? 'new'}.app.yaml`}
              defaultValue={initial ?? TEMPLATE}
              onMount={(editor) => {
                editorRef.current = editor;
                configureAppLanguage(schema);
                setMarkers(editor, result.errors);
                editor.onDidChangeModelContent(() => setSource(editor.getValue()));
              }}
            />
          </div>
          <div className={s.problems} data-testid="app-problems" aria-live="polite">
            {errors.length ? (
              errors.map((e, i) => (
                <button
                  key={i}
                  type="button"
                  onClick={() => {
                    editorRef.current?.setPosition({ lineNumber: e.line, column: e.column });
                    editorRef.current?.revealLineInCenter(e.line);
                    editorRef.current?.focus();
                  }}
                >
                  Line {e.line}, column {e.column}: {e.message}
                </button>
              ))
            ) : (
              <span className={s.muted}>No problems.</span>
            )}
          </div>
        </div>
        <aside className={s.previewPane} aria-label="Preview" data-testid="app-preview">
          {app ? (
            <>
              <Segmented label="Stage to preview" options={stages.map((st) => ({ id: st, label: st }))} value={stages.includes(stage) ? stage : 'OPEN'} onChange={setStage} />
              <h2 style={{ margin: '14px 0 4px' }}>{app.displayName}</h2>
              {app.description ? <p className={s.muted}>{app.description}</p> : null}
              {flow.error ? (
                <p className={s.muted}>
                  The flow {app.namespace}.{app.flowId} cannot be read, so its form is not shown.
                </p>
              ) : null}
              <AppBlocks
                blocks={blocksFor(app.layout, stages.includes(stage) ? stage : 'OPEN').blocks}
                ctx={{
                  inputs,
                  createForm: { values: previewValues, errors: {}, onChange: noop, onBlurValidate: noop },
                  resumeForm: { values: {}, errors: {}, onChange: noop, onBlurValidate: noop },
                  preview: true,
                  onCreate: noop,
                  onResume: noop,
                  onCancel: noop,
                }}
              />
            </>
          ) : (
            <p className={s.muted}>Fix the problems to see the preview.</p>
          )}
        </aside>
      </div>
    </>
  );
}
