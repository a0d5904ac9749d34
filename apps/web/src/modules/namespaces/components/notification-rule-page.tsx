'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { PageBody, PageHeader } from '@/components/page';
import { Button, ErrorState, LoadingState, TextArea, ui, useToast } from '@/components/ui';
import { ApiError } from '@/modules/api/client';
import { useNotificationRule, useSaveNotificationRule } from '../hooks/use-notification-rule';
import s from './plugin-defaults.module.css';

const EXAMPLE = `notifications:
  - id: oncall                 # FAILED by default
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('SLACK_ONCALL_WEBHOOK') }}"
`;

interface LocatedError {
  path?: string;
  line?: number;
  column?: number;
  message: string;
}

/**
 * A namespace's notification rule: what every flow of the namespace and its children sends when it
 * ends, unless the flow lists its own `notifications` (or `notifications: []`, its opt-out).
 */
export function NotificationRulePage({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const href = useHref();
  const rule = useNotificationRule(tenant, namespace);
  const save = useSaveNotificationRule(tenant, namespace);
  const toast = useToast();
  const [source, setSource] = useState('');
  const [errors, setErrors] = useState<LocatedError[]>([]);

  useEffect(() => {
    if (rule.data) setSource(rule.data.revision ? rule.data.source : EXAMPLE);
  }, [rule.data]);

  const onSave = () => {
    setErrors([]);
    save.mutate(source, {
      onSuccess: (r) => toast.success(r.changed ? `Saved revision ${r.revision}` : 'Nothing changed'),
      onError: (e) => {
        const located = e instanceof ApiError && Array.isArray(e.errors) ? (e.errors as LocatedError[]) : [];
        setErrors(located.length ? located : [{ message: e.message }]);
      },
    });
  };

  const r = rule.data;
  return (
    <>
      <PageHeader
        title={`Notifications · ${namespace}`}
        crumbs={[{ label: 'Namespaces', href: href('namespaces') }, { label: namespace }]}
        subtitle={
          r
            ? r.revision
              ? `Revision ${r.revision}${r.createdBy ? ` by ${r.createdBy}` : ''}${r.created ? `, ${relativeTime(r.created)}` : ''}`
              : r.inheritedFrom
                ? `No rule of its own: flows here follow ${r.inheritedFrom.namespace}'s`
                : 'No rule: flows here send only what they list'
            : undefined
        }
        actions={
          <Button variant="primary" icon="save" onClick={onSave} loading={save.isPending} disabled={!rule.data}>
            Save
          </Button>
        }
      />
      <PageBody>
        {rule.error ? (
          <ErrorState error={rule.error} onRetry={() => rule.refetch()} title="Could not load the notification rule" />
        ) : rule.isLoading ? (
          <LoadingState />
        ) : (
          <>
            <p className={ui.hint}>
              Sent when a flow of <code>{namespace}</code> or of a namespace below it ends in one of an entry&apos;s <code>states</code> (FAILED by default), unless the flow lists
              its own <code>notifications:</code>. <code>notifications: []</code> here stops a parent&apos;s rule for this subtree; in a flow it opts that flow out. Entries are
              notification tasks, merged with plugin defaults like a flow&apos;s.
              {r?.inheritedFrom ? (
                <>
                  {' '}
                  Today the rule of <Link href={href('namespaces', r.inheritedFrom.namespace, 'notifications')}>{r.inheritedFrom.namespace}</Link> applies here.
                </>
              ) : null}
            </p>
            <TextArea
              aria-label="Notification rule YAML"
              data-testid="notification-rule-yaml"
              className="mono"
              rows={16}
              value={source}
              onChange={(e) => setSource(e.target.value)}
              spellCheck={false}
            />
            {errors.length ? (
              <ul className={s.errors} role="alert" data-testid="notification-rule-errors">
                {errors.map((e, i) => (
                  <li key={i}>
                    {e.line ? (
                      <span className="mono">
                        {e.line}:{e.column}{' '}
                      </span>
                    ) : null}
                    {e.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </PageBody>
    </>
  );
}
