'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { Button, Dialog, Field, TextInput, useToast } from '@/components/ui';
import { ApiError } from '@/modules/api/client';
import type { FlowInput } from '@/modules/api/types';
import { InputForm, NoInputs } from '@/modules/inputs/components/input-form';
import { initialValues, serverFieldErrors, toPayload, validateAll, validateField, type FormValues } from '@/modules/inputs/lib/inputs';
import { useStartExecution } from '../hooks/use-execution-actions';

/** Fill the flow's inputs, start an execution and go straight to it. */
export function ExecuteDialog({
  open,
  onClose,
  namespace,
  flowId,
  inputs,
  revision,
}: {
  open: boolean;
  onClose: () => void;
  namespace: string;
  flowId: string;
  inputs: FlowInput[];
  revision?: number;
}) {
  const { tenant } = useApp();
  const href = useHref();
  const router = useRouter();
  const toast = useToast();
  const start = useStartExecution(tenant);
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [labels, setLabels] = useState('');
  const [labelError, setLabelError] = useState<string>();

  useEffect(() => {
    if (open) {
      setValues(initialValues(inputs));
      setErrors({});
      setLabelError(undefined);
    }
  }, [open, inputs]);

  const submit = async () => {
    const found = validateAll(inputs, values);
    setErrors(found);
    const labelList = labels
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    const badLabel = labelList.find((l) => !/^[^:]+:.+$/.test(l));
    setLabelError(badLabel ? `“${badLabel}” is not key:value` : undefined);
    if (Object.keys(found).length || badLabel) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    try {
      const execution = await start.mutateAsync({ namespace, flowId, inputs: toPayload(inputs, values), labels: labelList });
      onClose();
      router.push(href('executions', execution.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setErrors(serverFieldErrors(error.errors));
      else toast.error('Could not start the execution', (error as Error).message);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={
        <>
          Execute <code>{flowId}</code>
        </>
      }
      description={
        <>
          {namespace}
          {revision ? ` · revision ${revision}` : ''}
        </>
      }
      onSubmit={() => void submit()}
      testId="execute-dialog"
      footer={
        <>
          <span className="muted" style={{ marginRight: 'auto', fontSize: 12 }}>
            Opens the execution as soon as it starts.
          </span>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="play" loading={start.isPending} data-testid="execute-submit">
            Execute
          </Button>
        </>
      }
    >
      {inputs.length ? (
        <InputForm
          inputs={inputs}
          values={values}
          errors={errors}
          idPrefix="exec"
          onChange={(id, v) => {
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
          }}
          onBlurValidate={(id, e) =>
            setErrors((all) => {
              const next = { ...all };
              if (e) next[id] = e;
              else delete next[id];
              return next;
            })
          }
        />
      ) : (
        <NoInputs />
      )}
      <Field label="Labels" htmlFor="exec-labels" hint="Optional, comma-separated key:value pairs, e.g. ticket:CHG-42" error={labelError}>
        <TextInput id="exec-labels" value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="ticket:CHG-42, reason:hotfix" />
      </Field>
    </Dialog>
  );
}
