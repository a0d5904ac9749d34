'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { Button, Dialog, Segmented, useToast } from '@/components/ui';
import { ApiError } from '@/modules/api/client';
import type { Execution, FlowInput } from '@/modules/api/types';
import { InputForm } from '@/modules/inputs/components/input-form';
import { initialValues, serverFieldErrors, toPayload, validateAll, validateField, type FormValues } from '@/modules/inputs/lib/inputs';
import { useKill, useReplay, useRestart, useResume } from '../hooks/use-execution-actions';

function useFormState(inputs: FlowInput[], open: boolean, given?: Record<string, unknown>) {
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (open) {
      setValues(initialValues(inputs, given));
      setErrors({});
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, inputs]);
  const onChange = (id: string, v: FormValues[string]) => {
    setValues((all) => ({ ...all, [id]: v }));
    // An error already shown goes away as soon as the value is fixed, not only on blur.
    setErrors((all) => {
      if (!all[id]) return all;
      const input = inputs.find((i) => i.id === id);
      const e = input ? validateField(input, v) : undefined;
      const next = { ...all };
      if (e) next[id] = e;
      else delete next[id];
      return next;
    });
  };
  const onBlurValidate = (id: string, e: string | undefined) =>
    setErrors((all) => {
      const next = { ...all };
      if (e) next[id] = e;
      else delete next[id];
      return next;
    });
  return { values, errors, setErrors, onChange, onBlurValidate };
}

/** Resume a paused execution, with the pause's onResume inputs when it declares some. */
export function ResumeDialog({ open, onClose, execution, taskId, inputs }: { open: boolean; onClose: () => void; execution: Execution; taskId?: string; inputs: FlowInput[] }) {
  const { tenant } = useApp();
  const toast = useToast();
  const resume = useResume(tenant);
  const form = useFormState(inputs, open);
  const submit = async () => {
    const found = validateAll(inputs, form.values);
    form.setErrors(found);
    if (Object.keys(found).length) return;
    try {
      await resume.mutateAsync({ id: execution.id, inputs: toPayload(inputs, form.values) });
      toast.success('Resumed', taskId ? `Task ${taskId} continues.` : undefined);
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) form.setErrors(serverFieldErrors(error.errors));
      else toast.error('Not resumed', (error as Error).message);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Resume the execution"
      description={
        taskId ? (
          <>
            Paused at <code>{taskId}</code>. Your name is recorded as the person who resumed it.
          </>
        ) : undefined
      }
      onSubmit={() => void submit()}
      testId="resume-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="play" loading={resume.isPending} data-testid="resume-submit">
            Resume
          </Button>
        </>
      }
    >
      {inputs.length ? (
        <InputForm inputs={inputs} values={form.values} errors={form.errors} onChange={form.onChange} onBlurValidate={form.onBlurValidate} idPrefix="resume" />
      ) : (
        <p style={{ margin: 0 }}>The pause asks for no input: resuming continues with the next task.</p>
      )}
    </Dialog>
  );
}

export function KillDialog({ open, onClose, execution }: { open: boolean; onClose: () => void; execution: Execution }) {
  const { tenant } = useApp();
  const toast = useToast();
  const kill = useKill(tenant);
  const forced = execution.state.current === 'KILLING';
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={forced ? 'Terminate the execution now?' : 'Kill the execution?'}
      description={
        forced
          ? 'It is already being killed. Terminating ends the workflow at once, without waiting for running tasks to stop: use it when a worker is gone.'
          : 'Running tasks are aborted at their next heartbeat (about a second), then the execution ends KILLED. Its concurrency slot is freed.'
      }
      testId="kill-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="dangerSolid"
            icon="stop"
            loading={kill.isPending}
            data-testid="kill-confirm"
            onClick={async () => {
              try {
                const r = await kill.mutateAsync(execution.id);
                toast.success(r.state === 'KILLED' ? 'Terminated' : 'Killing…', 'The graph shows when every task has stopped.');
                onClose();
              } catch (error) {
                toast.error('Not killed', (error as Error).message);
              }
            }}
          >
            {forced ? 'Terminate' : 'Kill'}
          </Button>
        </>
      }
    >
      <p style={{ margin: 0 }}>
        <code>{execution.id}</code> · {execution.namespace}.{execution.flowId}
      </p>
    </Dialog>
  );
}

/** A new execution of the same flow (this revision or the latest), with these inputs or new ones. */
export function ReplayDialog({ open, onClose, execution, inputs }: { open: boolean; onClose: () => void; execution: Execution; inputs: FlowInput[] }) {
  const { tenant } = useApp();
  const href = useHref();
  const router = useRouter();
  const toast = useToast();
  const replay = useReplay(tenant);
  const [revision, setRevision] = useState<'same' | 'latest'>('same');
  // Secret inputs are stored masked: they must be typed again.
  const given = Object.fromEntries(Object.entries(execution.inputs ?? {}).filter(([, v]) => v !== '******'));
  const form = useFormState(inputs, open, given);
  const submit = async () => {
    const found = validateAll(inputs, form.values);
    form.setErrors(found);
    if (Object.keys(found).length) return;
    try {
      const next = await replay.mutateAsync({ id: execution.id, inputs: toPayload(inputs, form.values), revision: revision === 'latest' ? 'latest' : execution.flowRevision });
      onClose();
      router.push(href('executions', next.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) form.setErrors(serverFieldErrors(error.errors));
      else toast.error('Not replayed', (error as Error).message);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Replay with new inputs"
      description="Starts a new execution of this flow; this one stays as it is, labelled as the original."
      onSubmit={() => void submit()}
      testId="replay-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="retry" loading={replay.isPending} data-testid="replay-submit">
            Replay
          </Button>
        </>
      }
    >
      <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
        <span style={{ fontSize: 12.5, fontWeight: 600 }}>Revision</span>
        <Segmented
          label="Revision"
          value={revision}
          onChange={setRevision}
          options={[
            { id: 'same', label: `#${execution.flowRevision} (this execution’s)` },
            { id: 'latest', label: 'latest' },
          ]}
        />
      </div>
      {inputs.length ? (
        <InputForm inputs={inputs} values={form.values} errors={form.errors} onChange={form.onChange} onBlurValidate={form.onBlurValidate} idPrefix="replay" />
      ) : (
        <p style={{ margin: 0 }} className="muted">
          The flow declares no inputs.
        </p>
      )}
    </Dialog>
  );
}

/** Restart from the failed task: tasks that succeeded keep their outputs and are not run again. */
export function RestartDialog({
  open,
  onClose,
  execution,
  kept,
  onRestarted,
}: {
  open: boolean;
  onClose: () => void;
  execution: Execution;
  kept: number;
  onRestarted: () => void;
}) {
  const { tenant } = useApp();
  const toast = useToast();
  const restart = useRestart(tenant);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Restart from the failed task?"
      testId="restart-dialog"
      description="The same execution runs again on its revision. Tasks that succeeded keep their outputs and are skipped; the failed task and everything after it run again."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            icon="retry"
            loading={restart.isPending}
            data-testid="restart-confirm"
            onClick={async () => {
              try {
                const r = await restart.mutateAsync(execution.id);
                toast.success('Restarted', r.kept.length ? `${r.kept.length} task run${r.kept.length === 1 ? '' : 's'} kept.` : 'Nothing had succeeded: every task runs again.');
                onClose();
                onRestarted();
              } catch (error) {
                toast.error('Not restarted', (error as Error).message);
              }
            }}
          >
            Restart
          </Button>
        </>
      }
    >
      <p style={{ margin: 0 }}>
        {kept} task run{kept === 1 ? '' : 's'} succeeded and will be kept. The inputs are the ones the execution started with.
      </p>
    </Dialog>
  );
}
