'use client';
import { blocksFor } from '@baton/flow/apps';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, ErrorState, LoadingState, useToast } from '@/components/ui';
import { StateBadge } from '@/components/state-badge';
import { api, ApiError, tenantPath } from '@/modules/api/client';
import { initialValues, serverFieldErrors, toPayload, validateAll, type FormValues } from '@/modules/inputs/lib/inputs';
import { useAppExecution, useAppView, useStartFromApp } from '../hooks/use-apps';
import { delaySeconds, filterInputs, formHandlers } from '../lib/form';
import type { AppBlock } from '../lib/types';
import { AppBlocks } from './app-blocks';
import s from './apps.module.css';

/** How often the execution is re-read: an AutoRefresh block's delay, else every second. */
function refreshMs(blocks: AppBlock[] | undefined): number {
  const auto = blocks?.find((b) => b.type === 'AutoRefresh');
  return auto && auto.type === 'AutoRefresh' ? Math.max(1, delaySeconds(auto.delay, 1)) * 1000 : 1000;
}

/**
 * An App as the people it serves see it (/app/<tenant>/<id>): outside the signed-in shell, so a
 * PUBLIC app opens for anyone with the link; a PRIVATE one sends the visitor to sign in (the
 * API answers 401). The execution it started is in the URL (?execution=), so a reload or a shared
 * link shows the same stage.
 */
export function AppPage({ tenant, id }: { tenant: string; id: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const executionId = useSearchParams().get('execution') ?? undefined;
  const toast = useToast();
  const view = useAppView(tenant, id);
  const [refresh, setRefresh] = useState(1000);
  const execution = useAppExecution(tenant, id, executionId, refresh);
  const start = useStartFromApp(tenant, id);
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [resumeValues, setResumeValues] = useState<FormValues>({});
  const [resumeErrors, setResumeErrors] = useState<Record<string, string>>({});
  const [startError, setStartError] = useState<string>();
  const [rejectComment, setRejectComment] = useState('');
  const [rejectError, setRejectError] = useState<string>();
  const [busy, setBusy] = useState<'create' | 'resume' | 'cancel'>();

  const inputs = useMemo(() => view.data?.inputs ?? [], [view.data]);
  const resumeInputs = useMemo(() => execution.data?.resumeInputs ?? [], [execution.data]);
  useEffect(() => setValues(initialValues(inputs)), [inputs]);
  useEffect(() => setResumeValues(initialValues(resumeInputs)), [resumeInputs]);
  useEffect(() => setRefresh(refreshMs(execution.data?.blocks)), [execution.data?.blocks]);

  if (view.error) return <ErrorState error={view.error} title="This app cannot be opened" onRetry={() => view.refetch()} />;
  if (!view.data) return <LoadingState label="Opening the app…" />;
  const app = view.data;

  // The form shows only the inputs its block lets through; those are the ones checked and sent.
  const formBlock = app.layout.flatMap((l) => l.blocks).find((b) => b.type === 'CreateExecutionForm');
  const formInputs = formBlock?.type === 'CreateExecutionForm' ? filterInputs(inputs, formBlock.filter) : inputs;

  const onCreate = async () => {
    const found = validateAll(formInputs, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy('create');
    try {
      const started = await start.mutateAsync(toPayload(formInputs, values));
      setStartError(undefined);
      router.replace(`${pathname}?execution=${encodeURIComponent(started.id)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.errors?.length) setErrors(serverFieldErrors(error.errors));
      else setStartError((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const decide = async (kind: 'resume' | 'cancel') => {
    if (!executionId) return;
    setBusy(kind);
    try {
      // Approve = resume, reject = the reject route (an approval ends CANCELLED with the decision; a plain Pause is killed).
      if (kind === 'resume') {
        const found = validateAll(resumeInputs, resumeValues);
        setResumeErrors(found);
        if (Object.keys(found).length) return;
        await api(tenantPath(tenant, 'executions', executionId, 'resume'), { method: 'POST', body: toPayload(resumeInputs, resumeValues) });
      } else {
        setRejectError(undefined);
        await api(tenantPath(tenant, 'executions', executionId, 'reject'), { method: 'POST', body: rejectComment.trim() ? { comment: rejectComment.trim() } : {} });
      }
      await execution.refetch();
    } catch (error) {
      // A missing required comment is the field's error, where the person types it.
      if (kind === 'cancel' && error instanceof ApiError && error.status === 400 && /comment/i.test(error.message)) setRejectError(error.message);
      else toast.error(kind === 'resume' ? 'Could not approve' : 'Could not reject', (error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const shown = startError ? blocksFor(app.layout, 'ERROR') : executionId ? execution.data : blocksFor(app.layout, 'OPEN');
  const stage = startError ? 'ERROR' : executionId ? execution.data?.stage : 'OPEN';
  const ended = stage === 'SUCCESS' || stage === 'FAILURE' || stage === 'ERROR';

  return (
    <main className={s.runner} data-testid="app-page" data-stage={stage}>
      <header className={s.runnerHeader}>
        <h1>{app.displayName}</h1>
        {app.description ? <p className={s.muted}>{app.description}</p> : null}
        <div className={s.tags}>
          {app.access.type === 'PUBLIC' ? <Badge>Public</Badge> : null}
          {execution.data ? <StateBadge state={execution.data.state} size="sm" /> : null}
          {stage ? (
            <span className={s.stage} data-testid="app-stage">
              {stage}
            </span>
          ) : null}
        </div>
      </header>
      {executionId && execution.error ? (
        <ErrorState error={execution.error} title="Could not read the request" onRetry={() => execution.refetch()} />
      ) : !shown ? (
        <LoadingState />
      ) : (
        <>
          {startError ? (
            <div className={s.alert} data-style="ERROR" role="alert">
              {startError}
            </div>
          ) : null}
          <AppBlocks
            blocks={shown.blocks}
            ctx={{
              inputs,
              createForm: { values, errors, ...formHandlers(formInputs, setValues, setErrors) },
              resumeForm: { values: resumeValues, errors: resumeErrors, ...formHandlers(resumeInputs, setResumeValues, setResumeErrors) },
              execution: execution.data,
              busy,
              onCreate: () => void onCreate(),
              onResume: () => void decide('resume'),
              onCancel: () => void decide('cancel'),
              rejectComment: { value: rejectComment, error: rejectError, onChange: setRejectComment },
            }}
          />
          {ended ? (
            <p style={{ marginTop: 24 }}>
              <Button
                size="sm"
                onClick={() => {
                  setStartError(undefined);
                  router.replace(pathname);
                }}
              >
                Start a new request
              </Button>
            </p>
          ) : null}
        </>
      )}
    </main>
  );
}
