'use client';
import { useState, type FormEvent } from 'react';
import { CREDENTIAL_TYPES, credentialTypeSpec } from '@baton/contract';
import { useApp } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Button, Dialog, EmptyState, Field, Select, TextArea, TextInput, useToast } from '@/components/ui';
import { useCredentials, useDeleteCredential, useSaveCredential, useTestCredential, type CredentialSummary } from '../hooks/use-credentials';
import s from './kv.module.css';
import { counted, NamespaceResourcePage, useConfirmedDelete } from './namespace-resource-page';

/**
 * The credentials one namespace sees (its own, its parents', tenant-wide): metadata, a create/rotate
 * form per type built from the type table, and a "test" button that mints once on the server.
 */
export function CredentialsPage({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const credentials = useCredentials(tenant, namespace);
  const confirmDelete = useConfirmedDelete(useDeleteCredential(tenant, namespace));
  const test = useTestCredential(tenant, namespace);
  const [editing, setEditing] = useState<CredentialSummary | 'new' | undefined>();
  const [results, setResults] = useState<Record<string, { ok: boolean; text: string }>>({});

  const onTest = (name: string) => {
    test.mutate(name, {
      onSuccess: (r) =>
        setResults((all) => ({
          ...all,
          [name]: r.ok ? { ok: true, text: r.expiresAt ? `OK, token valid until ${new Date(r.expiresAt).toLocaleString()}` : 'OK' } : { ok: false, text: r.error },
        })),
      onError: (e) => setResults((all) => ({ ...all, [name]: { ok: false, text: e.message } })),
    });
  };

  return (
    <NamespaceResourcePage
      namespace={namespace}
      title="Credentials"
      subtitle={(all) => counted(all.length, 'credential')}
      addLabel="Add a credential"
      onAdd={() => setEditing('new')}
      listing={credentials}
      loadErrorTitle="Could not load the credentials"
      empty={
        <EmptyState icon="layers" title="No credentials in this namespace">
          Configure server-to-server authentication once and use it from any flow here as <code>{"{{ credential('name') }}"}</code>.
        </EmptyState>
      }
      tableTestId="credentials-table"
      columns={['Name', 'Type', 'Scope', 'Owner', 'Last used', 'Rotated', 'Expires', '']}
      dialog={editing ? <CredentialDialog namespace={namespace} credential={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} /> : null}
    >
      {(all) =>
        all.map((c) => (
          <tr key={c.name} data-testid={`credential-${c.name}`}>
            <td className="mono">
              {c.name}
              {c.description ? <div className={s.description}>{c.description}</div> : null}
              {results[c.name] ? (
                <div role="status" className={s.description} style={{ color: results[c.name].ok ? 'var(--success, green)' : 'var(--danger, #c00)' }}>
                  {results[c.name].text}
                </div>
              ) : null}
            </td>
            <td>
              <span className={s.type}>{credentialTypeSpec(c.type)?.title ?? c.type}</span>
            </td>
            <td>
              {c.namespace || 'tenant-wide'}
              {c.inherited ? ' (inherited)' : ''}
            </td>
            <td>{c.owner ?? '—'}</td>
            <td>{c.lastUsedAt ? relativeTime(c.lastUsedAt) : 'never'}</td>
            <td>{relativeTime(c.rotatedAt)}</td>
            <td>{c.expiresAt ? relativeTime(c.expiresAt) : '—'}</td>
            <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              <Button size="sm" onClick={() => onTest(c.name)} loading={test.isPending && test.variables === c.name} aria-label={`Test ${c.name}`}>
                Test
              </Button>{' '}
              {c.inherited ? null : (
                <>
                  <Button size="sm" icon="format" onClick={() => setEditing(c)} aria-label={`Rotate ${c.name}`}>
                    Edit / rotate
                  </Button>{' '}
                  <Button
                    size="sm"
                    variant="ghost"
                    icon="trash"
                    aria-label={`Delete ${c.name}`}
                    onClick={() => confirmDelete(c.name, c.name, `Delete the credential '${c.name}' of ${namespace}? Flows using it will fail.`)}
                  />
                </>
              )}
            </td>
          </tr>
        ))
      }
    </NamespaceResourcePage>
  );
}

function CredentialDialog({ namespace, credential, onClose }: { namespace: string; credential?: CredentialSummary; onClose: () => void }) {
  const { tenant } = useApp();
  const save = useSaveCredential(tenant, namespace);
  const toast = useToast();
  const [name, setName] = useState(credential?.name ?? '');
  const [type, setType] = useState(credential?.type ?? CREDENTIAL_TYPES[0].type);
  const [values, setValues] = useState<Record<string, string>>(credential?.settings ?? {});
  const [description, setDescription] = useState(credential?.description ?? '');
  const [expiresAt, setExpiresAt] = useState(credential?.expiresAt?.slice(0, 10) ?? '');
  const [error, setError] = useState<string | undefined>();
  const spec = credentialTypeSpec(type)!;
  // Secret fields are write-only: on an edit they start empty and, left empty, keep the stored value.
  const keeping = !!credential && credential.type === type;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const sent: Record<string, string> = {};
    // Settings are always sent (empty clears one); a secret field only when typed (empty keeps it).
    for (const field of spec.fields) if (!field.secret || values[field.name]) sent[field.name] = values[field.name] ?? '';
    save.mutate(
      { name, type, values: sent, description: description || undefined, expiresAt: expiresAt ? new Date(expiresAt).toISOString() : credential ? null : undefined },
      {
        onSuccess: () => {
          toast.success(`Saved ${name}`);
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
      title={credential ? `Edit or rotate ${credential.name}` : 'Add a credential'}
      description={`Namespace ${namespace}; {{ credential('${name || 'name'}') }} renders ${spec.renders}`}
      onSubmit={submit}
      testId="credential-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="save" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <Field label="Name" required hint="What flows pass to credential('…'): letters, digits, dashes and underscores" error={error}>
        <TextInput aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} disabled={!!credential} className="mono" />
      </Field>
      <Field label="Type">
        <Select aria-label="Type" value={type} onChange={(e) => setType(e.target.value)}>
          {CREDENTIAL_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.title}
            </option>
          ))}
        </Select>
      </Field>
      {spec.fields.map((field) => {
        const hint = field.secret && keeping ? 'Stored and never shown; leave empty to keep it, type a new value to rotate' : field.help || undefined;
        const set = (v: string) => setValues((all) => ({ ...all, [field.name]: v }));
        return (
          <Field key={`${type}.${field.name}`} label={field.label} required={field.required && !(field.secret && keeping)} hint={hint}>
            {field.multiline ? (
              <TextArea aria-label={field.label} rows={4} value={values[field.name] ?? ''} onChange={(e) => set(e.target.value)} className="mono" />
            ) : (
              <TextInput
                aria-label={field.label}
                type={field.secret ? 'password' : 'text'}
                autoComplete="off"
                value={values[field.name] ?? ''}
                onChange={(e) => set(e.target.value)}
                className="mono"
              />
            )}
          </Field>
        );
      })}
      <Field label="Secret expires on" hint="When the client secret or key stops working, shown in the list (certificates: read from the certificate)">
        <TextInput aria-label="Secret expires on" type="date" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
      </Field>
      <Field label="Description">
        <TextInput aria-label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </Dialog>
  );
}
