'use client';
import { useState, type FormEvent } from 'react';
import { KILL_SWITCH_MODE_TEXT, KILL_SWITCH_MODES, type KillSwitch, type KillSwitchMode, type KillSwitchScope } from '@baton/contract';
import { useApp } from '@/components/app-shell/app-context';
import { dateTime, relativeTime } from '@/components/format';
import { PageBody, PageHeader } from '@/components/page';
import { Button, Dialog, EmptyState, ErrorState, Field, LoadingState, Select, TextArea, TextInput, ui, useToast } from '@/components/ui';
import { useKillSwitches, useKillSwitchPreview, useLiftKillSwitch, useSetKillSwitch } from '../hooks/use-kill-switches';
import s from './kill-switches.module.css';

type ScopeKind = 'namespace' | 'flow' | 'execution' | 'tenant';

function status(ks: KillSwitch): string {
  if (ks.liftedAt) return `lifted ${relativeTime(ks.liftedAt)} by ${ks.liftedBy}`;
  if (ks.active) return 'in force';
  return 'expired';
}

/** Kill switches of the tenant: the ones in force first, each with how to lift it; a dialog sets a new one. */
export function KillSwitchesPage() {
  const { tenant } = useApp();
  const switches = useKillSwitches(tenant);
  const lift = useLiftKillSwitch(tenant);
  const toast = useToast();
  const [creating, setCreating] = useState(false);

  const onLift = (ks: KillSwitch) => {
    if (!window.confirm(`Lift the ${ks.mode} switch on ${ks.scopeText}? Executions there may start again.`)) return;
    lift.mutate(ks.id, { onSuccess: () => toast.success(`Lifted the switch on ${ks.scopeText}`), onError: (e) => toast.error('Could not lift it', e.message) });
  };
  const sorted = [...(switches.data ?? [])].sort((a, b) => Number(b.active) - Number(a.active));

  return (
    <>
      <PageHeader
        title="Kill switches"
        subtitle={switches.data ? `${switches.data.filter((k) => k.active).length} in force` : undefined}
        actions={
          <Button variant="primary" icon="stop" onClick={() => setCreating(true)}>
            Set a kill switch
          </Button>
        }
      />
      <PageBody>
        {switches.error ? (
          <ErrorState error={switches.error} onRetry={() => switches.refetch()} title="Could not load the kill switches" />
        ) : switches.isLoading ? (
          <LoadingState />
        ) : !sorted.length ? (
          <EmptyState icon="stop" title="No kill switch has been set">
            A kill switch stops executions of a namespace, a flow, one execution or the whole tenant, and refuses new ones until it is lifted.
          </EmptyState>
        ) : (
          <table className={ui.table} data-testid="kill-switches-table">
            <thead>
              <tr>
                <th>Scope</th>
                <th>Mode</th>
                <th>Reason</th>
                <th>Set by</th>
                <th>Since</th>
                <th>Until</th>
                <th>Affected</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sorted.map((ks) => (
                <tr key={ks.id} data-testid={`kill-switch-${ks.id}`}>
                  <td>{ks.scopeText}</td>
                  <td>
                    <span className={s.mode}>{ks.mode}</span>
                  </td>
                  <td>{ks.reason}</td>
                  <td>{ks.createdBy}</td>
                  <td title={dateTime(ks.startDate)}>{relativeTime(ks.startDate)}</td>
                  <td>{ks.endDate ? dateTime(ks.endDate) : 'lifted by hand'}</td>
                  <td className={s.num}>{ks.affected}</td>
                  <td className={ks.active ? s.inForce : s.muted}>{status(ks)}</td>
                  <td style={{ textAlign: 'right' }}>
                    {ks.active ? (
                      <Button size="sm" onClick={() => onLift(ks)} aria-label={`Lift the switch on ${ks.scopeText}`}>
                        Lift
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PageBody>
      {creating ? <SetKillSwitchDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

/** The scope the form describes, or undefined while it is incomplete. */
function scopeOf(kind: ScopeKind, namespace: string, flowId: string, executionId: string): KillSwitchScope | undefined {
  if (kind === 'tenant') return {};
  if (kind === 'execution') return executionId.trim() ? { executionId: executionId.trim() } : undefined;
  if (!namespace.trim()) return undefined;
  if (kind === 'flow') return flowId.trim() ? { namespace: namespace.trim(), flowId: flowId.trim() } : undefined;
  return { namespace: namespace.trim() };
}

function SetKillSwitchDialog({ onClose }: { onClose: () => void }) {
  const { tenant, namespace: workingNs } = useApp();
  const set = useSetKillSwitch(tenant);
  const toast = useToast();
  const [kind, setKind] = useState<ScopeKind>('namespace');
  const [namespace, setNamespace] = useState(workingNs ?? '');
  const [flowId, setFlowId] = useState('');
  const [executionId, setExecutionId] = useState('');
  const [mode, setMode] = useState<KillSwitchMode>('KILL');
  const [reason, setReason] = useState('');
  const [endDate, setEndDate] = useState('');
  const [error, setError] = useState<string | undefined>();
  const scope = scopeOf(kind, namespace, flowId, executionId);
  const preview = useKillSwitchPreview(tenant, scope);
  const total = preview.data ? preview.data.total.running + preview.data.total.paused + preview.data.total.queued : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!scope) return setError('Complete the scope');
    if (!reason.trim()) return setError('Say why: the reason is shown to whoever is refused');
    setError(undefined);
    set.mutate(
      { scope, mode, reason: reason.trim(), ...(endDate ? { endDate: new Date(endDate).toISOString() } : {}) },
      {
        onSuccess: (ks) => {
          toast.success(
            `Kill switch set on ${ks.scopeText}`,
            ks.affected ? `${ks.affected} execution${ks.affected === 1 ? '' : 's'} ${mode === 'KILL' ? 'killed' : 'told to cancel'}` : undefined,
          );
          onClose();
        },
        onError: (err) => setError(err.message),
      },
    );
  };

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title="Set a kill switch"
      description="New executions in scope are refused until the switch is lifted or its end date passes."
      onSubmit={submit}
      testId="kill-switch-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="stop" loading={set.isPending} disabled={!scope}>
            {mode === 'KILL' && total ? `Kill ${total} and set the switch` : `Set the ${mode} switch`}
          </Button>
        </>
      }
    >
      <Field label="Scope">
        <Select aria-label="Scope" value={kind} onChange={(e) => setKind(e.target.value as ScopeKind)}>
          <option value="namespace">A namespace (with its children)</option>
          <option value="flow">A flow</option>
          <option value="execution">One execution</option>
          <option value="tenant">The whole tenant ({tenant})</option>
        </Select>
      </Field>
      {kind === 'namespace' || kind === 'flow' ? (
        <div className={s.scopeRow}>
          <Field label="Namespace" required>
            <TextInput aria-label="Namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)} className="mono" />
          </Field>
          {kind === 'flow' ? (
            <Field label="Flow id" required>
              <TextInput aria-label="Flow id" value={flowId} onChange={(e) => setFlowId(e.target.value)} className="mono" />
            </Field>
          ) : null}
        </div>
      ) : null}
      {kind === 'execution' ? (
        <Field label="Execution id" required>
          <TextInput aria-label="Execution id" value={executionId} onChange={(e) => setExecutionId(e.target.value)} className="mono" />
        </Field>
      ) : null}
      <Field label="Mode" hint={KILL_SWITCH_MODE_TEXT[mode]}>
        <Select aria-label="Mode" value={mode} onChange={(e) => setMode(e.target.value as KillSwitchMode)}>
          {KILL_SWITCH_MODES.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </Select>
      </Field>
      <Field label="Reason" required error={error}>
        <TextArea aria-label="Reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} invalid={!!error} />
      </Field>
      <Field label="Ends" hint="Optional: the switch lifts itself then">
        <TextInput aria-label="Ends" type="datetime-local" value={endDate} onChange={(e) => setEndDate(e.target.value)} />
      </Field>
      <BlastRadius preview={preview} />
    </Dialog>
  );
}

function BlastRadius({ preview }: { preview: ReturnType<typeof useKillSwitchPreview> }) {
  if (preview.fetchStatus === 'idle' && !preview.data) return <p className={s.muted}>Complete the scope to see what it reaches.</p>;
  if (preview.error) return <p className={s.muted}>Blast radius unavailable: {preview.error.message}</p>;
  if (!preview.data) return <LoadingState label="Counting executions in scope…" />;
  const { total, byFlow, scopeText } = preview.data;
  return (
    <section className={s.radius} data-testid="blast-radius" aria-label="Blast radius">
      <h3>
        Blast radius on {scopeText}: {total.running} running, {total.paused} paused, {total.queued} queued
      </h3>
      {byFlow.length ? (
        <table className={ui.table}>
          <thead>
            <tr>
              <th>Flow</th>
              <th className={s.num}>Running</th>
              <th className={s.num}>Paused</th>
              <th className={s.num}>Queued</th>
            </tr>
          </thead>
          <tbody>
            {byFlow.map((f) => (
              <tr key={`${f.namespace}.${f.flowId}`}>
                <td className="mono">
                  {f.namespace}.{f.flowId}
                </td>
                <td className={s.num}>{f.running}</td>
                <td className={s.num}>{f.paused}</td>
                <td className={s.num}>{f.queued}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className={s.muted}>No execution is running, paused or queued there now; the switch only refuses new ones.</p>
      )}
    </section>
  );
}
