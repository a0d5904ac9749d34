'use client';
import dynamic from 'next/dynamic';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { Icon } from '@/components/icons';
import { PageHeader } from '@/components/page';
import { useShortcut } from '@/components/shortcuts/shortcuts';
import { Split } from '@/components/split';
import { Badge, Button, Dialog, LoadingState, Tabs, tabPanelProps, useToast } from '@/components/ui';
import { ApiError } from '@/modules/api/client';
import type { FlowError } from '@/modules/api/types';
import { ExecuteDialog } from '@/modules/executions/components/execute-dialog';
import { ExecutionsList } from '@/modules/executions/components/executions-list';
import { useDeleteFlow, useSaveFlow } from '@/modules/flows/hooks/use-flows';
import { FlowGraph } from '@/modules/graph/components/flow-graph';
import { createRunStore } from '@/modules/graph/lib/run-store';
import { inputsFromSource } from '@/modules/inputs/lib/inputs';
import { useFlowSchema, usePlugins } from '@/modules/plugins/hooks/use-plugins';
import { useFlowAnalysis } from '../hooks/use-flow-analysis';
import { useUnsavedGuard } from '../hooks/use-unsaved-guard';
import { taskAtLine } from '../lib/task-at-line';
import { DocsPanel } from './docs-panel';
import { ProblemsBar } from './problems-bar';
import { RevisionsPanel } from './revisions-panel';
import { BlueprintFormDialog } from '@/modules/blueprints/components/blueprint-dialogs';
import s from './editor.module.css';

const YamlEditor = dynamic(() => import('./yaml-editor'), { ssr: false, loading: () => <LoadingState label="Loading the editor…" /> });

type MainTab = 'editor' | 'revisions' | 'executions';
type SideTab = 'topology' | 'docs';

// The editor proper; browser-only (Monaco and the analysis worker), loaded by FlowEditorPage.
export default function Editor({ namespace, id, initial, revision }: { namespace?: string; id?: string; initial: string; revision?: number }) {
  const { tenant } = useApp();
  const href = useHref();
  const router = useRouter();
  const params = useSearchParams();
  const toast = useToast();
  const isNew = !namespace || !id;
  const schema = useFlowSchema();
  const plugins = usePlugins();
  const save = useSaveFlow(tenant);
  const remove = useDeleteFlow(tenant);

  const [editor, setEditor] = useState<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const [model, setModel] = useState<Monaco.editor.ITextModel | null>(null);
  const [saved, setSaved] = useState(initial);
  const [current, setCurrent] = useState(initial);
  const [tab, setTab] = useState<MainTab>('editor');
  const [side, setSide] = useState<SideTab>('topology');
  const [cursorLine, setCursorLine] = useState(1);
  const [executing, setExecuting] = useState(params.get('execute') === '1');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [asBlueprint, setAsBlueprint] = useState(false);
  const store = useMemo(() => createRunStore(), []);
  const newPath = useRef(`file:///${tenant}/new-${Math.random().toString(36).slice(2, 8)}.flow.yaml`);
  const path = isNew ? newPath.current : `file:///${tenant}/${namespace}/${id}.flow.yaml`;

  const layoutParam = params.get('layout');
  const analysis = useFlowAnalysis({
    model,
    tenant,
    schema: schema.data,
    plugins: plugins.data,
    layout: layoutParam === 'dagre' || layoutParam === 'structural' ? layoutParam : 'auto',
  });
  const dirty = current !== saved;
  useUnsavedGuard(dirty);

  const onMount = useCallback(
    (ed: Monaco.editor.IStandaloneCodeEditor) => {
      setEditor(ed);
      const m = ed.getModel();
      // A model kept from an earlier visit may hold stale text: start from what was loaded.
      if (m && m.getValue() !== initial) m.setValue(initial);
      setModel(m);
      ed.onDidChangeModelContent(() => setCurrent(ed.getValue()));
      ed.onDidChangeCursorPosition((e) => setCursorLine(e.position.lineNumber));
      ed.focus();
      if (typeof window !== 'undefined') (window as unknown as { __batonEditor?: unknown }).__batonEditor = ed;
    },
    [initial],
  );

  // New flows get a fresh model each visit; do not leave them behind in Monaco's registry.
  useEffect(
    () => () => {
      if (isNew) model?.dispose();
    },
    [isNew, model],
  );

  const cursorTask = useMemo(() => taskAtLine(analysis.tasks, cursorLine), [analysis.tasks, cursorLine]);
  useEffect(() => store.select(cursorTask?.taskId), [store, cursorTask]);

  const jump = useCallback(
    (line: number, column = 1) => {
      if (!editor) return;
      setTab('editor');
      editor.revealLineInCenterIfOutsideViewport(line);
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
    [editor],
  );

  const format = useCallback(async () => {
    const action = editor?.getAction('editor.action.formatDocument');
    if (!action) return;
    try {
      await action.run();
    } catch {
      // Unformattable (a YAML syntax error): save the text as typed.
    }
  }, [editor]);

  const doSave = useCallback(async (): Promise<boolean> => {
    if (!editor) return false;
    if (analysis.problems.some((p) => p.source === 'yaml' && p.severity === 'error')) {
      // Formatting would fail on broken YAML; the server will say what is wrong.
    } else {
      await format();
    }
    const source = editor.getValue();
    try {
      const result = await save.mutateAsync(source);
      setSaved(source);
      setCurrent(source);
      if (!result.changed) toast.info('Nothing to save', `Revision ${result.revision} already has this content.`);
      else toast.success(`Saved revision ${result.revision}`, `${result.namespace}.${result.id}`);
      if (isNew || result.namespace !== namespace || result.id !== id) {
        if (!isNew) toast.info(`Saved as ${result.namespace}.${result.id}`, `The YAML declares another id or namespace; ${namespace}.${id} is unchanged.`);
        router.replace(href('flows', result.namespace, result.id));
      }
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_FLOW') {
        analysis.showServerErrors((error.errors ?? []) as FlowError[]);
        toast.error('Not saved: the flow has errors', 'They are marked in the editor and listed under it.');
      } else {
        toast.error('Not saved', (error as Error).message);
      }
      return false;
    }
  }, [editor, analysis, format, save, toast, isNew, namespace, id, router, href]);

  const execute = useCallback(async () => {
    if (isNew) {
      toast.info('Save the flow first', 'An execution runs a saved revision.');
      return;
    }
    if (dirty && !(await doSave())) return;
    setExecuting(true);
  }, [isNew, dirty, doSave, toast]);

  useShortcut('mod+s', () => void doSave(), { description: 'Save (formats first)', group: 'Flow editor' });
  useShortcut('mod+enter', () => void execute(), { description: 'Execute the flow', group: 'Flow editor' });
  useShortcut('mod+shift+f', () => void format(), { description: 'Format the YAML', group: 'Flow editor' });

  // Monaco swallows Ctrl/⌘+S: bind it inside the editor too.
  useEffect(() => {
    if (!editor) return;
    // Numeric key codes (KeyMod.CtrlCmd | KeyCode.KeyS / Enter): this module is also rendered
    // on the server, where Monaco cannot be imported.
    const d1 = editor.addAction({ id: 'baton.save', label: 'Save flow', keybindings: [2048 | 49 /* CtrlCmd+S */], run: () => void doSave() });
    const d2 = editor.addAction({ id: 'baton.execute', label: 'Execute flow', keybindings: [2048 | 3 /* CtrlCmd+Enter */], run: () => void execute() });
    return () => {
      d1.dispose();
      d2.dispose();
    };
  }, [editor, doSave, execute]);

  const flowInputs = useMemo(() => inputsFromSource(saved), [saved]);
  const title = isNew ? (analysis.meta.flowId ? `${analysis.meta.flowId}` : 'New flow') : id!;
  const errorCount = analysis.problems.filter((p) => p.severity === 'error').length;

  const status = (
    <>
      {!isNew ? (
        <Badge mono title="Saved revision">
          rev {revision}
        </Badge>
      ) : (
        <Badge>not saved yet</Badge>
      )}
      {dirty ? (
        <span className={s.dirty} data-testid="dirty">
          <span className={s.dot} />
          Unsaved changes
        </span>
      ) : !isNew ? (
        <span className={s.clean}>
          <Icon name="check" size={12} />
          Saved
        </span>
      ) : null}
      {errorCount ? (
        <button type="button" className={s.errorCount} onClick={() => analysis.problems[0] && jump(analysis.problems[0].startLineNumber, analysis.problems[0].startColumn)}>
          <Icon name="alert" size={12} />
          {errorCount} error{errorCount === 1 ? '' : 's'}
        </button>
      ) : null}
    </>
  );

  return (
    <>
      <PageHeader
        title={<span className="mono">{title}</span>}
        crumbs={[{ label: 'Flows', href: href('flows') }, { label: isNew ? (analysis.meta.namespace ?? 'new') : namespace! }]}
        subtitle={status}
        actions={
          <>
            {!isNew ? <Button variant="ghost" icon="trash" onClick={() => setConfirmDelete(true)} aria-label="Delete the flow" title="Delete the flow" /> : null}
            <Button variant="ghost" icon="book" onClick={() => setAsBlueprint(true)} data-testid="save-as-blueprint" title="Save this YAML as a custom blueprint of the tenant">
              Save as blueprint
            </Button>
            <Button icon="format" onClick={() => void format()} title="Format (⇧⌘F)">
              Format
            </Button>
            <Button icon="save" onClick={() => void doSave()} loading={save.isPending} shortcut="⌘S" data-testid="save-flow" variant={dirty || isNew ? 'primary' : 'secondary'}>
              Save
            </Button>
            <Button icon="play" onClick={() => void execute()} disabled={isNew} data-testid="execute-flow" title={isNew ? 'Save the flow first' : 'Execute (⌘↵)'}>
              Execute
            </Button>
          </>
        }
      />
      <Tabs<MainTab>
        idPrefix="flow"
        value={tab}
        onChange={setTab}
        items={[
          { id: 'editor', label: 'Editor', icon: 'code' },
          ...(isNew
            ? []
            : [
                { id: 'revisions' as const, label: 'Revisions', icon: 'history' as const, count: revision },
                { id: 'executions' as const, label: 'Executions', icon: 'executions' as const },
              ]),
        ]}
      />
      <div className={s.tabBody} {...tabPanelProps('flow', 'editor')} hidden={tab !== 'editor'}>
        <Split
          storageKey="baton.editor.side"
          left={
            <div className={s.editorColumn}>
              <div className={s.monaco} data-testid="flow-editor">
                <YamlEditor path={path} defaultValue={initial} schema={schema.data} plugins={plugins.data} onMount={onMount} />
              </div>
              <ProblemsBar problems={analysis.problems} server={analysis.server} supplied={analysis.supplied} onJump={jump} />
            </div>
          }
          right={
            <div className={s.side}>
              <Tabs<SideTab>
                idPrefix="side"
                value={side}
                onChange={setSide}
                items={[
                  { id: 'topology', label: 'Topology', icon: 'graph' },
                  { id: 'docs', label: 'Documentation', icon: 'book' },
                ]}
              />
              <div className={s.sideBody} {...tabPanelProps('side', side)}>
                {side === 'topology' ? (
                  analysis.graph ? (
                    analysis.graph.nodes.length ? (
                      <FlowGraph
                        graph={analysis.graph}
                        store={store}
                        label="Topology of the flow"
                        // Re-fit when the flow changes size class (a template replaced, a big paste), not on every edit.
                        fitKey={`${path}:${Math.round(Math.log2(analysis.graph.nodes.length + 1))}`}
                        onSelect={(n) => {
                          const t = analysis.tasks.find((x) => x.taskId === n.taskId);
                          if (t) jump(t.startLine, 1);
                        }}
                      />
                    ) : (
                      <div className={s.sideEmpty}>
                        No tasks yet: add one under <code>tasks:</code> and it appears here.
                      </div>
                    )
                  ) : (
                    <LoadingState label="Drawing…" />
                  )
                ) : (
                  <div className={s.docsScroll}>
                    <DocsPanel task={cursorTask} plugins={analysis.pluginMap} />
                  </div>
                )}
              </div>
            </div>
          }
        />
      </div>
      {tab === 'revisions' && !isNew ? (
        <div className={s.tabBody} {...tabPanelProps('flow', 'revisions')}>
          <RevisionsPanel
            tenant={tenant}
            namespace={namespace!}
            id={id!}
            current={current}
            onRestore={(source, rev) => {
              editor?.executeEdits('restore', [{ range: editor.getModel()!.getFullModelRange(), text: source }]);
              editor?.pushUndoStop();
              setTab('editor');
              toast.info(`Revision ${rev} is in the editor`, 'Save to make it the latest revision; undo (⌘Z) to go back.');
            }}
          />
        </div>
      ) : null}
      {tab === 'executions' && !isNew ? (
        <div className={s.tabBody} {...tabPanelProps('flow', 'executions')}>
          <ExecutionsList fixed={{ namespace: namespace!, flowId: id! }} />
        </div>
      ) : null}
      {!isNew ? <ExecuteDialog open={executing} onClose={() => setExecuting(false)} namespace={namespace!} flowId={id!} inputs={flowInputs} revision={revision} /> : null}
      <BlueprintFormDialog open={asBlueprint} onClose={() => setAsBlueprint(false)} source={current} />
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={`Delete ${namespace}.${id}?`}
        description="The flow disappears from lists and cannot be executed; its revisions and past executions stay readable."
        footer={
          <>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button
              variant="dangerSolid"
              icon="trash"
              loading={remove.isPending}
              onClick={async () => {
                try {
                  await remove.mutateAsync({ namespace: namespace!, id: id! });
                  setSaved(current); // nothing left to guard
                  toast.success(`Deleted ${namespace}.${id}`);
                  router.push(href('flows'));
                } catch (error) {
                  toast.error('Not deleted', (error as Error).message);
                }
              }}
            >
              Delete
            </Button>
          </>
        }
      >
        <p style={{ margin: 0 }}>Saving the same id again brings it back as a new revision.</p>
      </Dialog>
    </>
  );
}
