'use client';
import { useState, type FormEvent } from 'react';
import { useApp } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Button, Dialog, EmptyState, Field, Select, TextArea, TextInput, useToast } from '@/components/ui';
import { KV_TYPES, useDeleteKv, useKv, useSetKv, valueAsText, valueFromText, type KvPair, type KvType } from '../hooks/use-kv';
import s from './kv.module.css';
import { counted, NamespaceResourcePage, useConfirmedDelete } from './namespace-resource-page';

/** Kestra's KV store of one namespace: typed pairs that flows read with kv() and the kv.* tasks. */
export function KvPage({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const kv = useKv(tenant, namespace);
  const confirmDelete = useConfirmedDelete(useDeleteKv(tenant, namespace));
  const [editing, setEditing] = useState<KvPair | 'new' | undefined>();

  return (
    <NamespaceResourcePage
      namespace={namespace}
      title="KV store"
      subtitle={(pairs) => counted(pairs.length, 'pair')}
      addLabel="Add a pair"
      onAdd={() => setEditing('new')}
      listing={kv}
      loadErrorTitle="Could not load the KV store"
      empty={
        <EmptyState icon="layers" title="No KV pairs in this namespace">
          Flows store small state here with <code>io.kestra.plugin.core.kv.Set</code> and read it with <code>{"{{ kv('key') }}"}</code>.
        </EmptyState>
      }
      tableTestId="kv-table"
      columns={['Key', 'Type', 'Value', 'Expires', 'Updated', '']}
      dialog={editing ? <KvDialog namespace={namespace} pair={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} /> : null}
    >
      {(pairs) =>
        pairs.map((pair) => (
          <tr key={pair.key}>
            <td className="mono">
              {pair.key}
              {pair.description ? <div className={s.description}>{pair.description}</div> : null}
            </td>
            <td>
              <span className={s.type}>{pair.type}</span>
            </td>
            <td className={`mono ${s.value}`} title={valueAsText(pair.value)}>
              {valueAsText(pair.value)}
            </td>
            <td>{pair.expirationDate ? relativeTime(pair.expirationDate) : 'never'}</td>
            <td>{relativeTime(pair.updateDate)}</td>
            <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              <Button size="sm" icon="format" onClick={() => setEditing(pair)}>
                Edit
              </Button>{' '}
              <Button
                size="sm"
                variant="ghost"
                icon="trash"
                aria-label={`Delete ${pair.key}`}
                onClick={() => confirmDelete(pair.key, pair.key, `Delete the KV pair '${pair.key}' of ${namespace}? Flows reading it will get nothing.`)}
              />
            </td>
          </tr>
        ))
      }
    </NamespaceResourcePage>
  );
}

function KvDialog({ namespace, pair, onClose }: { namespace: string; pair?: KvPair; onClose: () => void }) {
  const { tenant } = useApp();
  const save = useSetKv(tenant, namespace);
  const toast = useToast();
  const [key, setKey] = useState(pair?.key ?? '');
  const [type, setType] = useState<KvType>(pair?.type ?? 'STRING');
  const [text, setText] = useState(pair ? valueAsText(pair.value) : '');
  const [ttl, setTtl] = useState('');
  const [description, setDescription] = useState(pair?.description ?? '');
  const [error, setError] = useState<string | undefined>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let value: unknown;
    try {
      value = valueFromText(text, type);
    } catch {
      setError('The value is not valid JSON');
      return;
    }
    setError(undefined);
    save.mutate(
      { key, value, type, ttl: ttl || undefined, description: description || undefined },
      {
        onSuccess: () => {
          toast.success(`Saved ${key}`);
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
      title={pair ? `Edit ${pair.key}` : 'Add a KV pair'}
      description={`Namespace ${namespace}`}
      onSubmit={submit}
      testId="kv-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="save" loading={save.isPending}>
            Save
          </Button>
        </>
      }
    >
      <Field label="Key" required hint="Letters, digits, dots, dashes and underscores">
        <TextInput aria-label="Key" value={key} onChange={(e) => setKey(e.target.value)} disabled={!!pair} className="mono" />
      </Field>
      <Field label="Type">
        <Select aria-label="Type" value={type} onChange={(e) => setType(e.target.value as KvType)}>
          {KV_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </Select>
      </Field>
      <Field label="Value" required error={error}>
        <TextArea aria-label="Value" rows={type === 'JSON' ? 8 : 3} value={text} onChange={(e) => setText(e.target.value)} className="mono" invalid={!!error} />
      </Field>
      <Field label="Expires after" hint="An ISO-8601 duration such as PT1H or P7D; empty keeps it forever">
        <TextInput aria-label="Expires after" value={ttl} onChange={(e) => setTtl(e.target.value)} placeholder="P7D" />
      </Field>
      <Field label="Description">
        <TextInput aria-label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </Dialog>
  );
}
