'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useHref } from '@/components/app-shell/app-context';
import { dateTime } from '@/components/format';
import { Button, Dialog, Field, TextArea, TextInput, ui, useFieldId } from '@/components/ui';
import { useBackfillPreview, useBackfillProgress, useStartBackfill, type BackfillResult, type TriggerRef } from '../hooks/use-backfill';
import { isoToLocal, localToIso, parseInputsJson, parseLabelLines } from '../lib/backfill-form';
import s from './backfill-dialog.module.css';

/**
 * Backfill of a Schedule trigger: a range of fire times started now, as the schedule would have
 * (docs/triggers.md). The preview counts the fire times before anything starts; after the start,
 * a bar follows how many of the backfill's executions have ended. A backfill cannot be paused:
 * the API starts every fire time at once; kill the executions (label system.backfillId) to stop it.
 */
export function BackfillDialog({ tenant, trigger, onClose }: { tenant: string; trigger: TriggerRef & { cron?: string; timezone?: string }; onClose: () => void }) {
  const href = useHref();
  const [start, setStart] = useState(() => isoToLocal(new Date(Date.now() - 24 * 3600_000)));
  const [end, setEnd] = useState(() => isoToLocal(new Date()));
  const [inputsText, setInputsText] = useState('');
  const [labelsText, setLabelsText] = useState('');
  const [result, setResult] = useState<BackfillResult>();
  const range = { start: localToIso(start), end: localToIso(end) };
  const preview = useBackfillPreview(tenant, trigger, range);
  const run = useStartBackfill(tenant, trigger);
  const progress = useBackfillProgress(tenant, trigger, result);
  const inputs = parseInputsJson(inputsText);
  const labels = parseLabelLines(labelsText);
  const ids = { start: useFieldId('bf'), end: useFieldId('bf'), inputs: useFieldId('bf'), labels: useFieldId('bf') };

  const rangeError = !range.start ? 'give a start' : !range.end ? 'give an end' : range.start > range.end ? 'the start must be before the end' : undefined;
  const canStart = !rangeError && !inputs.error && !labels.error && !!preview.data && preview.data.count > 0 && !preview.data.capped;

  const submit = () => {
    if (!canStart || run.isPending || result) return;
    run.mutate({ start: range.start!, end: range.end!, inputs: inputs.inputs, labels: labels.labels }, { onSuccess: setResult });
  };

  const p = progress.data;
  const total = result?.started.length ?? 0;
  const ended = Math.min(p?.ended ?? 0, total);
  const done = !!result && (total === 0 || ended >= total);

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={`Backfill ${trigger.triggerId}`}
      description={`${trigger.namespace}.${trigger.flowId}${trigger.cron ? ` · ${trigger.cron}${trigger.timezone ? ` (${trigger.timezone})` : ''}` : ''}`}
      onSubmit={submit}
      testId="backfill-dialog"
      footer={
        result ? (
          <Button variant="primary" onClick={onClose}>
            {done ? 'Close' : 'Close (the backfill goes on)'}
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" icon="history" loading={run.isPending} disabled={!canStart}>
              {preview.data && !preview.data.capped ? `Start ${preview.data.count} execution${preview.data.count === 1 ? '' : 's'}` : 'Start backfill'}
            </Button>
          </>
        )
      }
    >
      {!result ? (
        <>
          <div className={s.row}>
            <Field label="From" required htmlFor={ids.start} error={rangeError === 'give a start' ? rangeError : undefined} hint="Your browser's time zone">
              <TextInput id={ids.start} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} aria-label="From" />
            </Field>
            <Field label="To" required htmlFor={ids.end} error={rangeError && rangeError !== 'give a start' ? rangeError : undefined}>
              <TextInput id={ids.end} type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} aria-label="To" />
            </Field>
          </div>
          <div className={s.preview} data-testid="backfill-preview" aria-live="polite">
            {rangeError ? null : preview.isLoading ? (
              'Counting the fire times…'
            ) : preview.error ? (
              <span className={s.bad}>{preview.error.message}</span>
            ) : preview.data ? (
              preview.data.capped ? (
                <span className={s.bad}>
                  More than {preview.data.max} fire times in this range: a backfill starts at most {preview.data.max}. Choose a shorter range.
                </span>
              ) : preview.data.count === 0 ? (
                'No fire time in this range.'
              ) : (
                <>
                  <strong>{preview.data.count}</strong> fire time{preview.data.count === 1 ? '' : 's'}: {preview.data.first.map((d) => dateTime(d)).join(', ')}
                  {preview.data.count > preview.data.first.length ? ` … ${dateTime(preview.data.last ?? undefined)}` : ''}. Times that already ran are not started again.
                </>
              )
            ) : null}
          </div>
          <Field label="Inputs" htmlFor={ids.inputs} error={inputs.error} hint="Optional: a JSON object, over the trigger's own inputs">
            <TextArea
              id={ids.inputs}
              value={inputsText}
              onChange={(e) => setInputsText(e.target.value)}
              rows={3}
              className="mono"
              placeholder='{"region": "eu"}'
              aria-label="Inputs"
            />
          </Field>
          <Field label="Labels" htmlFor={ids.labels} error={labels.error} hint="Optional: key=value, one per line; every execution also gets system.backfill=true">
            <TextArea
              id={ids.labels}
              value={labelsText}
              onChange={(e) => setLabelsText(e.target.value)}
              rows={2}
              className="mono"
              placeholder="reason=replay after outage"
              aria-label="Labels"
            />
          </Field>
          {run.error ? (
            <div className={s.bad} role="alert">
              {run.error.message}
            </div>
          ) : null}
        </>
      ) : (
        <div data-testid="backfill-progress">
          <p>
            Started {total} execution{total === 1 ? '' : 's'}
            {result.skipped.length ? `; ${result.skipped.length} fire time${result.skipped.length === 1 ? '' : 's'} not started` : ''}. Backfill <code>{result.backfillId}</code>.
          </p>
          {total ? (
            <>
              <div className={s.bar} role="progressbar" aria-label="Executions ended" aria-valuemin={0} aria-valuemax={total} aria-valuenow={ended} data-testid="backfill-bar">
                <div className={s.fill} style={{ width: `${(100 * ended) / total}%` }} />
              </div>
              <p className={ui.hint} data-testid="backfill-count">
                {ended} / {total} ended{p?.failed ? `, ${p.failed} failed` : ''}
                {done ? ' — done' : ''}
              </p>
            </>
          ) : null}
          {result.skipped.length ? (
            <details>
              <summary>Not started</summary>
              <ul className={s.skipped}>
                {result.skipped.slice(0, 50).map((k) => (
                  <li key={k.date}>
                    <span className="mono">{dateTime(k.date)}</span>: {k.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <p>
            <Link href={`${href('executions')}?labels=${encodeURIComponent(`system.backfillId:${result.backfillId}`)}`} data-testid="backfill-executions">
              See its executions
            </Link>
          </p>
        </div>
      )}
    </Dialog>
  );
}
