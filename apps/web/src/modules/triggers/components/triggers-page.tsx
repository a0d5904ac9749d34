'use client';
import Link from 'next/link';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { dateTime, relativeTime } from '@/components/format';
import { PageBody, PageHeader } from '@/components/page';
import { Badge, Button, EmptyState, ErrorState, LoadingState, ui, useToast } from '@/components/ui';
import { useState } from 'react';
import { useSetTriggerDisabled, useTriggers, type TriggerRow } from '../hooks/use-triggers';
import { BackfillDialog } from './backfill-dialog';

const shortType = (type: string) => type.split('.').pop() ?? type;

/** Every trigger of the flows the caller may read: next and last fire, last execution, why it did not fire. */
export function TriggersPage() {
  const { tenant } = useApp();
  const href = useHref();
  const triggers = useTriggers(tenant);
  const toggle = useSetTriggerDisabled(tenant);
  const toast = useToast();
  const [backfilling, setBackfilling] = useState<TriggerRow>();

  const onToggle = (t: TriggerRow) =>
    toggle.mutate(
      { namespace: t.namespace, flowId: t.flowId, triggerId: t.triggerId, disabled: !t.disabled },
      { onSuccess: () => toast.success(`${t.triggerId} ${t.disabled ? 'enabled' : 'disabled'}`), onError: (e) => toast.error('Could not change the trigger', e.message) },
    );

  return (
    <>
      <PageHeader title="Triggers" subtitle={triggers.data ? `${triggers.data.length} trigger${triggers.data.length === 1 ? '' : 's'}` : undefined} />
      <PageBody>
        {triggers.error ? (
          <ErrorState error={triggers.error} onRetry={() => triggers.refetch()} title="Could not load the triggers" />
        ) : triggers.isLoading ? (
          <LoadingState />
        ) : !triggers.data?.length ? (
          <EmptyState icon="clock" title="No triggers yet">
            A flow&apos;s <code>triggers:</code> (Schedule, Webhook, Flow) start it on their own; they are listed here once the flow is saved.
          </EmptyState>
        ) : (
          <table className={ui.table} data-testid="triggers-table">
            <thead>
              <tr>
                <th>Flow</th>
                <th>Trigger</th>
                <th>Type</th>
                <th>Next fire</th>
                <th>Last fire</th>
                <th>Last execution</th>
                <th>Did not fire because</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {triggers.data.map((t) => (
                <tr key={`${t.namespace}/${t.flowId}/${t.triggerId}`} data-testid={`trigger-${t.flowId}-${t.triggerId}`}>
                  <td>
                    <Link href={href('flows', t.namespace, t.flowId)}>
                      {t.namespace}.{t.flowId}
                    </Link>
                  </td>
                  <td className="mono">{t.triggerId}</td>
                  <td>
                    <Badge title={t.type}>{shortType(t.type)}</Badge>
                    {t.cron ? (
                      <div className="mono" title={t.timezone ?? 'UTC'}>
                        {t.cron}
                        {t.timezone ? ` (${t.timezone})` : ''}
                      </div>
                    ) : null}
                    {t.kind === 'polling' ? (
                      <div className="mono" data-testid="poll-interval">
                        every {t.interval}
                        {t.workerGroup ? ` on ${t.workerGroup}` : ''}
                        {t.lastEvaluatedAt ? `, polled ${relativeTime(t.lastEvaluatedAt)}` : ', not polled yet'}
                      </div>
                    ) : null}
                  </td>
                  <td title={t.nextDate ?? undefined} data-testid="next-fire">
                    {(t.kind === 'schedule' || t.kind === 'polling') && t.nextDate && !t.disabled && !t.disabledInFlow ? dateTime(t.nextDate) : '—'}
                  </td>
                  <td title={t.lastFiredAt ?? undefined}>
                    {t.lastFiredAt ? relativeTime(t.lastFiredAt) : '—'}
                    {t.lastEvent ? (
                      <div className="mono" data-testid="last-event" title={t.lastEventAt}>
                        {t.lastEvent}
                      </div>
                    ) : null}
                  </td>
                  <td className="mono">{t.lastExecutionId ? <Link href={href('executions', t.lastExecutionId)}>{t.lastExecutionId}</Link> : '—'}</td>
                  <td>{t.lastReason ?? ''}</td>
                  <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                    {t.kind === 'schedule' ? (
                      <Button size="sm" icon="history" onClick={() => setBackfilling(t)} title="Start the fire times of a past range now" style={{ marginRight: 6 }}>
                        Backfill
                      </Button>
                    ) : null}
                    {t.disabledInFlow ? (
                      <Badge title="disabled in the flow's YAML (or the flow is disabled)">disabled in flow</Badge>
                    ) : (
                      <Button size="sm" icon={t.disabled ? 'play' : 'pause'} onClick={() => onToggle(t)} disabled={toggle.isPending}>
                        {t.disabled ? 'Enable' : 'Disable'}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {backfilling ? <BackfillDialog tenant={tenant} trigger={backfilling} onClose={() => setBackfilling(undefined)} /> : null}
      </PageBody>
    </>
  );
}
