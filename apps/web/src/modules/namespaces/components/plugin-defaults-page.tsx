'use client';
import { useMemo, useRef, useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Icon } from '@/components/icons';
import { PageBody, PageHeader } from '@/components/page';
import { Button, Checkbox, EmptyState, ErrorState, LoadingState, Select, Tabs, TextArea, TextInput, tabPanelProps, ui, useToast } from '@/components/ui';
import { ApiError } from '@/modules/api/client';
import type { FlowError, PluginDoc } from '@/modules/api/types';
import { usePlugins } from '@/modules/plugins/hooks/use-plugins';
import { exportUrl, useDefaultsRevisions, usePluginDefaults, useSaveDefaults, type DefaultsRevision } from '../hooks/use-plugin-defaults';
import { fieldKind, fromForm, lineDiff, propertiesForType, toForm, type FormEntry, type FormProblem, type PluginDefault } from '../lib/defaults-form';
import s from './plugin-defaults.module.css';

type View = 'form' | 'yaml' | 'history';

/**
 * A namespace's plugin defaults (or the tenant's, for `namespace === ''`): a form generated from
 * each plugin's schema, the same data as YAML (import/export for Git), the revision history with
 * diffs, and what the namespace inherits from above.
 */
export function PluginDefaultsPage({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const href = useHref();
  const current = usePluginDefaults(tenant, namespace);
  const plugins = usePlugins();
  const [view, setView] = useState<View>('form');
  const [importedYaml, setImportedYaml] = useState<string | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const label = namespace || 'Tenant-wide';

  const onImport = async (file: File | undefined) => {
    if (!file) return;
    setImportedYaml(await file.text());
    setView('yaml');
  };

  return (
    <>
      <PageHeader
        title={`Plugin defaults · ${label}`}
        crumbs={[{ label: 'Namespaces', href: href('namespaces') }, { label }]}
        subtitle={
          current.data
            ? current.data.revision
              ? `revision ${current.data.revision}, ${current.data.createdBy ? `by ${current.data.createdBy}, ` : ''}${relativeTime(current.data.created!)}`
              : 'none set yet'
            : undefined
        }
        actions={
          <>
            <input ref={fileInput} type="file" accept=".yaml,.yml,text/yaml" hidden data-testid="defaults-import" onChange={(e) => void onImport(e.target.files?.[0])} />
            <Button icon="upload" onClick={() => fileInput.current?.click()}>
              Import YAML
            </Button>
            <a className={ui.button} href={exportUrl(tenant, namespace)} download={`plugin-defaults-${namespace || 'tenant'}.yaml`}>
              <Icon name="external" size={14} />
              Export YAML
            </a>
          </>
        }
      />
      <PageBody>
        {current.error ? (
          <ErrorState error={current.error} onRetry={() => current.refetch()} title="Could not load the plugin defaults" />
        ) : current.isLoading || !current.data || plugins.isLoading ? (
          <LoadingState />
        ) : (
          <div className={s.layout}>
            <p className={s.intro}>
              Values given here reach every task of a matching type in{' '}
              {namespace ? (
                <>
                  <code>{namespace}</code> and the namespaces below it
                </>
              ) : (
                'every namespace of this tenant'
              )}
              . A task&apos;s own value wins over a default and the closest default wins, unless a default is <strong>forced</strong>: then it overrides the task, and a forced
              default set higher up wins.
            </p>
            <Tabs<View>
              idPrefix="defaults"
              value={view}
              onChange={setView}
              items={[
                { id: 'form', label: 'Form', icon: 'layers' },
                { id: 'yaml', label: 'YAML', icon: 'code' },
                { id: 'history', label: 'History', icon: 'history', count: current.data.revision || undefined },
              ]}
            />
            <div {...tabPanelProps('defaults', view)}>
              {view === 'form' ? (
                <DefaultsForm key={current.data.revision} namespace={namespace} initial={current.data.defaults} plugins={plugins.data ?? []} />
              ) : view === 'yaml' ? (
                <DefaultsYaml
                  key={`${current.data.revision}-${importedYaml ?? ''}`}
                  namespace={namespace}
                  initial={importedYaml ?? current.data.source}
                  imported={importedYaml !== undefined}
                  onSaved={() => setImportedYaml(undefined)}
                />
              ) : (
                <DefaultsHistory namespace={namespace} />
              )}
            </div>
            <Inherited layers={current.data.inherited} />
          </div>
        )}
      </PageBody>
    </>
  );
}

function useSave(namespace: string) {
  const { tenant } = useApp();
  const toast = useToast();
  const save = useSaveDefaults(tenant, namespace);
  const [serverErrors, setServerErrors] = useState<FlowError[]>([]);
  const run = (input: { defaults: PluginDefault[] } | { source: string }, after?: () => void) => {
    setServerErrors([]);
    save.mutate(input, {
      onSuccess: (r) => {
        toast.success(r.changed ? `Saved revision ${r.revision}` : 'No change to save');
        after?.();
      },
      onError: (e) => {
        if (e instanceof ApiError && e.errors?.length) setServerErrors(e.errors as FlowError[]);
        else toast.error('Could not save', e.message);
      },
    });
  };
  return { run, pending: save.isPending, serverErrors };
}

function DefaultsForm({ namespace, initial, plugins }: { namespace: string; initial: PluginDefault[]; plugins: PluginDoc[] }) {
  const [entries, setEntries] = useState<FormEntry[]>(() => toForm(initial));
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const save = useSave(namespace);
  const typeNames = useMemo(() => [...new Set(plugins.flatMap((p) => [...p.aliases, p.id]))].sort(), [plugins]);
  const update = (i: number, change: (e: FormEntry) => FormEntry) => setEntries((all) => all.map((e, j) => (j === i ? change(e) : e)));

  const submit = () => {
    const result = fromForm(entries, plugins);
    setProblems(result.problems);
    if (result.defaults) save.run({ defaults: result.defaults });
  };

  return (
    <form
      className={s.form}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="defaults-form"
    >
      <datalist id="plugin-types">
        {typeNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {!entries.length ? (
        <EmptyState compact icon="layers" title="No defaults in this namespace">
          Add one to give every matching task a value, for example the NetBox site of this team.
        </EmptyState>
      ) : null}
      {entries.map((entry, i) => {
        const schemas = propertiesForType(entry.type, plugins);
        const unused = [...schemas.keys()].filter((n) => !entry.properties.some((p) => p.name === n)).sort();
        return (
          <fieldset key={i} className={s.entry} data-testid="defaults-entry">
            <div className={s.entryHead}>
              <TextInput
                aria-label="Plugin type"
                list="plugin-types"
                placeholder="io.kestra.plugin.core.http.Request or a prefix"
                value={entry.type}
                onChange={(e) => update(i, (x) => ({ ...x, type: e.target.value }))}
                className="mono"
              />
              <Checkbox label="forced" checked={entry.forced} onChange={(e) => update(i, (x) => ({ ...x, forced: e.target.checked }))} />
              <Button variant="ghost" icon="trash" aria-label="Remove this default" onClick={() => setEntries((all) => all.filter((_, j) => j !== i))} />
            </div>
            {entry.type && !schemas.size ? (
              <div className={s.warn}>
                <Icon name="alert" size={13} />
                No plugin matches this type.
              </div>
            ) : null}
            {entry.properties.map((p, k) => {
              const schema = schemas.get(p.name);
              const kind = fieldKind(schema);
              const set = (text: string) => update(i, (x) => ({ ...x, properties: x.properties.map((q, m) => (m === k ? { ...q, text } : q)) }));
              const problem = problems.find((x) => x.entry === i && x.property === p.name);
              return (
                <div key={k} className={s.property}>
                  <span className={s.propName} title={schema?.description}>
                    {p.name}
                  </span>
                  {kind.kind === 'enum' ? (
                    <Select aria-label={p.name} value={p.text} onChange={(e) => set(e.target.value)}>
                      <option value="" />
                      {kind.options.map((o) => (
                        <option key={o}>{o}</option>
                      ))}
                    </Select>
                  ) : kind.kind === 'boolean' ? (
                    <Select aria-label={p.name} value={p.text} onChange={(e) => set(e.target.value)}>
                      <option value="" />
                      <option>true</option>
                      <option>false</option>
                    </Select>
                  ) : kind.kind === 'json' ? (
                    <TextArea
                      aria-label={p.name}
                      rows={2}
                      className="mono"
                      value={p.text}
                      invalid={!!problem}
                      onChange={(e) => set(e.target.value)}
                      placeholder='JSON, e.g. {"key": "value"}'
                    />
                  ) : (
                    <TextInput
                      aria-label={p.name}
                      inputMode={kind.kind === 'number' ? 'decimal' : undefined}
                      value={p.text}
                      invalid={!!problem}
                      onChange={(e) => set(e.target.value)}
                    />
                  )}
                  <Button
                    variant="ghost"
                    icon="x"
                    aria-label={`Remove ${p.name}`}
                    onClick={() => update(i, (x) => ({ ...x, properties: x.properties.filter((_, m) => m !== k) }))}
                  />
                  {problem ? (
                    <div className={s.problem} role="alert">
                      {problem.message}
                    </div>
                  ) : null}
                </div>
              );
            })}
            {unused.length ? (
              <Select
                aria-label="Add a property"
                value=""
                onChange={(e) => e.target.value && update(i, (x) => ({ ...x, properties: [...x.properties, { name: e.target.value, text: '' }] }))}
              >
                <option value="">+ Add a property…</option>
                {unused.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </Select>
            ) : null}
            {problems
              .filter((x) => x.entry === i && !x.property)
              .map((x, k) => (
                <div key={k} className={s.problem} role="alert">
                  {x.message}
                </div>
              ))}
          </fieldset>
        );
      })}
      <div className={s.formActions}>
        <Button icon="plus" onClick={() => setEntries((all) => [...all, { type: '', forced: false, properties: [] }])}>
          Add a default
        </Button>
        <Button type="submit" variant="primary" icon="save" disabled={save.pending}>
          Save
        </Button>
      </div>
      <ServerErrors errors={save.serverErrors} />
    </form>
  );
}

function DefaultsYaml({ namespace, initial, imported, onSaved }: { namespace: string; initial: string; imported: boolean; onSaved: () => void }) {
  const [text, setText] = useState(initial);
  const save = useSave(namespace);
  return (
    <div className={s.form}>
      {imported ? (
        <div className={s.note}>
          <Icon name="info" size={13} />
          Imported from a file: review it, then save to make it a new revision.
        </div>
      ) : null}
      <TextArea
        aria-label="Plugin defaults YAML"
        data-testid="defaults-yaml"
        className={`mono ${s.yaml}`}
        rows={Math.min(30, Math.max(8, text.split('\n').length + 1))}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      <div className={s.formActions}>
        <Button variant="primary" icon="save" disabled={save.pending} onClick={() => save.run({ source: text }, onSaved)}>
          Save
        </Button>
      </div>
      <ServerErrors errors={save.serverErrors} />
    </div>
  );
}

function ServerErrors({ errors }: { errors: FlowError[] }) {
  if (!errors.length) return null;
  return (
    <ul className={s.errors} data-testid="defaults-errors" role="alert">
      {errors.map((e, i) => (
        <li key={i}>
          <span className="mono">
            {e.line}:{e.column}
          </span>{' '}
          {e.message}
        </li>
      ))}
    </ul>
  );
}

function DefaultsHistory({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const revisions = useDefaultsRevisions(tenant, namespace, true);
  const [picked, setPicked] = useState<number | undefined>();
  const list = revisions.data ?? [];
  // The newest revision is shown until the person picks another.
  const selected = picked ?? list[0]?.revision;
  const setSelected = setPicked;
  if (revisions.error) return <ErrorState compact error={revisions.error} onRetry={() => revisions.refetch()} />;
  if (revisions.isLoading) return <LoadingState compact />;
  if (!list.length) return <EmptyState compact icon="history" title="No revisions yet" />;
  const index = list.findIndex((r) => r.revision === selected);
  const shown: DefaultsRevision | undefined = list[index];
  const previous = list[index + 1];
  return (
    <div className={s.history}>
      <ul className={s.revisions}>
        {list.map((r) => (
          <li key={r.revision}>
            <button type="button" className={r.revision === selected ? s.active : undefined} onClick={() => setSelected(r.revision)}>
              <strong>#{r.revision}</strong> <span>{r.createdBy ?? 'unknown'}</span> <span className={s.muted}>{r.created ? relativeTime(r.created) : ''}</span>
            </button>
          </li>
        ))}
      </ul>
      {shown ? (
        <pre className={s.diff} data-testid="defaults-diff" aria-label={`Changes in revision ${shown.revision}`}>
          {lineDiff(previous?.source ?? '', shown.source).map((l, i) => (
            <div key={i} className={l.kind === 'added' ? s.added : l.kind === 'removed' ? s.removed : undefined}>
              {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
              {l.text}
            </div>
          ))}
        </pre>
      ) : null}
    </div>
  );
}

function Inherited({ layers }: { layers: { source: string; defaults: PluginDefault[] }[] }) {
  const rows = layers.flatMap((l) => l.defaults.map((d) => ({ ...d, source: l.source })));
  if (!rows.length) return null;
  return (
    <section className={s.inherited} data-testid="defaults-inherited">
      <h2>Inherited from above</h2>
      <table className={ui.table}>
        <thead>
          <tr>
            <th>From</th>
            <th>Type</th>
            <th>Values</th>
            <th>Forced</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{r.source}</td>
              <td className="mono">{r.type}</td>
              <td className="mono">
                {Object.entries(r.values)
                  .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                  .join(', ')}
              </td>
              <td>{r.forced ? 'forced' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
