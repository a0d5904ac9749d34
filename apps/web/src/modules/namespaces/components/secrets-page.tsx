'use client';
import { useState, type FormEvent } from 'react';
import { useApp } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Button, Dialog, EmptyState, Field, TextArea, TextInput, useToast } from '@/components/ui';
import { useDeleteSecret, usePutSecret, useSecrets, type SecretMetadata } from '../hooks/use-secrets';
import s from './kv.module.css';
import { counted, NamespaceResourcePage, useConfirmedDelete } from './namespace-resource-page';

/**
 * The secrets a namespace sees (its own, its parents', tenant-wide ones; closest wins). Write-only:
 * the page shows names and metadata; a value can be replaced, never read back.
 */
export function SecretsPage({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const secrets = useSecrets(tenant, namespace);
  const confirmDelete = useConfirmedDelete(useDeleteSecret(tenant, namespace));
  const [editing, setEditing] = useState<SecretMetadata | 'new' | undefined>();

  return (
    <NamespaceResourcePage
      namespace={namespace}
      title="Secrets"
      subtitle={(all) => `${counted(all.length, 'secret')} visible here; values are never shown`}
      addLabel="Add a secret"
      onAdd={() => setEditing('new')}
      listing={secrets}
      loadErrorTitle="Could not load the secrets"
      empty={
        <EmptyState icon="layers" title="No secrets visible in this namespace">
          Flows read a secret with <code>{"{{ secret('NAME') }}"}</code>; its value is encrypted at rest and masked in logs and outputs.
        </EmptyState>
      }
      tableTestId="secrets-table"
      columns={['Name', 'Defined in', 'Updated', '']}
      dialog={editing ? <SecretDialog namespace={namespace} secret={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} /> : null}
    >
      {(all) =>
        all.map((secret) => (
          <tr key={secret.key}>
            <td className="mono">
              {secret.key}
              {secret.description ? <div className={s.description}>{secret.description}</div> : null}
            </td>
            <td>{secret.inherited ? (secret.namespace ? `${secret.namespace} (inherited)` : 'tenant-wide (inherited)') : 'this namespace'}</td>
            <td>
              {relativeTime(secret.updated)}
              {secret.updatedBy ? <div className={s.description}>by {secret.updatedBy}</div> : null}
            </td>
            <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              <Button size="sm" icon="format" onClick={() => setEditing(secret)}>
                {secret.inherited ? 'Override here' : 'Replace value'}
              </Button>{' '}
              {secret.inherited ? null : (
                <Button
                  size="sm"
                  variant="ghost"
                  icon="trash"
                  aria-label={`Delete ${secret.key}`}
                  onClick={() => confirmDelete(secret.key, secret.key, `Delete the secret '${secret.key}' of ${namespace}? Flows calling secret('${secret.key}') will fail.`)}
                />
              )}
            </td>
          </tr>
        ))
      }
    </NamespaceResourcePage>
  );
}

function SecretDialog({ namespace, secret, onClose }: { namespace: string; secret?: SecretMetadata; onClose: () => void }) {
  const { tenant } = useApp();
  const save = usePutSecret(tenant, namespace);
  const toast = useToast();
  const [key, setKey] = useState(secret?.key ?? '');
  // The value field always starts empty: a stored value is never sent back to the browser.
  const [value, setValue] = useState('');
  const [description, setDescription] = useState(secret?.inherited ? '' : (secret?.description ?? ''));
  const [error, setError] = useState<string | undefined>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value) {
      setError('Enter the value to store');
      return;
    }
    setError(undefined);
    save.mutate(
      { key, value, ...(description ? { description } : {}) },
      {
        onSuccess: () => {
          toast.success(`Stored ${key}`);
          onClose();
        },
        onError: (err) => setError(err.message),
      },
    );
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={secret ? `${secret.inherited ? 'Override' : 'Replace'} ${secret.key}` : 'Add a secret'}
      description={`Namespace ${namespace}. The value is encrypted at rest and can never be read back.`}
      onSubmit={submit}
      testId="secret-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="save" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <Field label="Name" required hint="Upper-case letters, digits and underscores, e.g. API_TOKEN">
        <TextInput aria-label="Name" value={key} onChange={(e) => setKey(e.target.value)} disabled={!!secret} className="mono" />
      </Field>
      <Field label="Value" required error={error}>
        <TextArea aria-label="Value" rows={3} value={value} onChange={(e) => setValue(e.target.value)} className="mono" invalid={!!error} autoComplete="off" />
      </Field>
      <Field label="Description">
        <TextInput aria-label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </Dialog>
  );
}
