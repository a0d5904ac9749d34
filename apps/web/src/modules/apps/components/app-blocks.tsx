'use client';
import { useEffect } from 'react';
import { JsonViewer } from '@/components/json-viewer';
import { Markdown } from '@/components/markdown';
import { Button, Field, LoadingState, TextArea } from '@/components/ui';
import type { FlowInput } from '@/modules/api/types';
import { InputForm } from '@/modules/inputs/components/input-form';
import { delaySeconds, filterInputs, safeUrl, type FormState } from '../lib/form';
import type { AppBlock, AppExecution } from '../lib/types';
import s from './apps.module.css';

type ButtonStyle = 'DEFAULT' | 'SUCCESS' | 'INFO' | 'WARNING' | 'DANGER';
const variant = (style: ButtonStyle | undefined) => (style === 'DANGER' ? 'danger' : style === 'SUCCESS' || style === 'INFO' ? 'primary' : 'secondary');

export interface BlockContext {
  /** The flow's declared inputs (the create form). */
  inputs: FlowInput[];
  createForm: FormState;
  resumeForm: FormState;
  execution?: AppExecution;
  /** The editor's preview: nothing is started, redirected or decided. */
  preview?: boolean;
  busy?: 'create' | 'resume' | 'cancel';
  onCreate: () => void;
  onResume: () => void;
  onCancel: () => void;
  /** The reject's comment (an approval may require one: `commentRequired`); absent in the editor's preview. */
  rejectComment?: { value: string; error?: string; onChange: (value: string) => void };
}

function Values({ values, testId, empty }: { values: Record<string, unknown> | undefined; testId: string; empty: string }) {
  const entries = Object.entries(values ?? {});
  if (!entries.length) return <p className={s.muted}>{empty}</p>;
  return (
    <table className={s.kv} data-testid={testId}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th className="mono">{k}</th>
            <td>{v !== null && typeof v === 'object' ? <JsonViewer value={v} expandDepth={1} /> : <span className="mono">{String(v)}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RedirectTo({ url, delay, preview }: { url: string; delay?: string; preview?: boolean }) {
  const target = safeUrl(url);
  useEffect(() => {
    if (preview || !target) return;
    const timer = setTimeout(() => window.location.assign(target), delaySeconds(delay, 0) * 1000);
    return () => clearTimeout(timer);
  }, [target, delay, preview]);
  return <p className={s.muted}>{target ? `Redirecting to ${target}…` : `Not redirecting to ${url}: only http(s) links and paths of this site are followed.`}</p>;
}

/** One block of an App's layout (Kestra's names and properties, docs/apps.md). */
export function AppBlockView({ block, ctx }: { block: AppBlock; ctx: BlockContext }) {
  const decide = Boolean(ctx.preview || ctx.execution?.canDecide);
  switch (block.type) {
    case 'Markdown':
      return <Markdown text={block.content} />;
    case 'Alert':
      return (
        <div className={s.alert} data-style={block.style} role={block.style === 'ERROR' ? 'alert' : 'status'}>
          {block.showIcon ? <strong>{block.style === 'SUCCESS' ? '✓ ' : block.style === 'INFO' ? 'ℹ ' : '! '}</strong> : null}
          <Markdown text={block.content} />
        </div>
      );
    case 'Button': {
      const url = safeUrl(block.url);
      return url ? (
        <a
          href={url}
          className={s.card}
          style={{ display: 'inline-block', width: 'fit-content', padding: '6px 14px' }}
          target={url.startsWith('/') ? undefined : '_blank'}
          rel="noreferrer"
        >
          {block.text}
        </a>
      ) : null;
    }
    case 'RedirectTo':
      return <RedirectTo url={block.url} delay={block.delay} preview={ctx.preview} />;
    case 'Loading':
      return <LoadingState label="Working on it…" compact />;
    case 'AutoRefresh':
      return null; // read by the page: how often the execution is re-read
    case 'CreateExecutionForm': {
      const inputs = filterInputs(ctx.inputs, block.filter);
      return inputs.length ? (
        <InputForm
          inputs={inputs}
          values={ctx.createForm.values}
          errors={ctx.createForm.errors}
          idPrefix="app"
          onChange={ctx.createForm.onChange}
          onBlurValidate={ctx.createForm.onBlurValidate}
        />
      ) : null;
    }
    case 'CreateExecutionButton':
      return (
        <div className={s.buttons}>
          <Button
            variant={variant(block.style)}
            size={block.size === 'SMALL' ? 'sm' : 'md'}
            loading={ctx.busy === 'create'}
            disabled={ctx.preview}
            onClick={ctx.onCreate}
            data-testid="app-submit"
          >
            {block.text}
          </Button>
        </div>
      );
    case 'ResumeExecutionForm':
      return decide && ctx.execution?.resumeInputs.length ? (
        <InputForm
          inputs={ctx.execution.resumeInputs}
          values={ctx.resumeForm.values}
          errors={ctx.resumeForm.errors}
          idPrefix="resume"
          onChange={ctx.resumeForm.onChange}
          onBlurValidate={ctx.resumeForm.onBlurValidate}
        />
      ) : null;
    case 'ResumeExecutionButton':
      return decide ? (
        <div className={s.buttons}>
          <Button variant={variant(block.style)} loading={ctx.busy === 'resume'} disabled={ctx.preview} onClick={ctx.onResume} data-testid="app-approve">
            {block.text}
          </Button>
        </div>
      ) : (
        <p className={s.muted}>Waiting for someone allowed to decide.</p>
      );
    case 'CancelExecutionButton':
      return decide ? (
        <div className={s.buttons}>
          <Field label="Reason for rejecting" hint="Shown with the decision; some approvals require it." error={ctx.rejectComment?.error} htmlFor="app-reject-comment">
            <TextArea
              id="app-reject-comment"
              rows={2}
              value={ctx.rejectComment?.value ?? ''}
              onChange={(e) => ctx.rejectComment?.onChange(e.target.value)}
              invalid={Boolean(ctx.rejectComment?.error)}
              aria-describedby={ctx.rejectComment?.error ? 'app-reject-comment-error' : undefined}
              disabled={ctx.preview}
              data-testid="app-reject-comment"
            />
          </Field>
          <Button
            variant={block.style === 'DEFAULT' ? 'danger' : variant(block.style)}
            loading={ctx.busy === 'cancel'}
            disabled={ctx.preview}
            onClick={ctx.onCancel}
            data-testid="app-reject"
          >
            {block.text}
          </Button>
        </div>
      ) : null;
    case 'Inputs':
      return <Values values={ctx.execution?.inputs} testId="app-inputs" empty="No inputs." />;
    case 'Outputs':
      return <Values values={ctx.execution?.outputs} testId="app-outputs" empty="No outputs yet." />;
    case 'TaskOutputs':
      return ctx.execution?.taskOutputs && Object.keys(ctx.execution.taskOutputs).length ? (
        <JsonViewer value={ctx.execution.taskOutputs} label="Task outputs" />
      ) : (
        <p className={s.muted}>No task outputs yet.</p>
      );
    case 'Logs':
      return (
        <div className={s.logs} data-testid="app-logs">
          {ctx.execution?.logs?.length
            ? ctx.execution.logs.map((l, i) => (
                <div key={i}>
                  <span className={s.muted}>{l.level}</span> {l.taskId ? <span className={s.muted}>{l.taskId}</span> : null} {l.message}
                </div>
              ))
            : 'No logs yet.'}
        </div>
      );
  }
}

export function AppBlocks({ blocks, ctx }: { blocks: AppBlock[]; ctx: BlockContext }) {
  return (
    <div className={s.blocks}>
      {blocks.map((block, i) => (
        <AppBlockView key={`${block.type}-${i}`} block={block} ctx={ctx} />
      ))}
    </div>
  );
}
