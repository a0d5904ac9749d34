'use client';
import Link from 'next/link';
import { Fragment } from 'react';
import { useHref } from '@/components/app-shell/app-context';
import { CopyButton } from '@/components/copy-button';
import { Markdown } from '@/components/markdown';
import { Badge } from '@/components/ui';
import type { PluginDoc } from '@/modules/api/types';
import { propertyRows, type PropertyRow } from '../lib/schema-type';
import s from './plugins.module.css';

function Rows({ rows, depth = 0 }: { rows: PropertyRow[]; depth?: number }) {
  return (
    <>
      {rows.map((r) => (
        <Fragment key={`${depth}-${r.name}`}>
          <tr>
            <td style={{ paddingLeft: 12 + depth * 16 }}>
              <code className={s.propName}>{r.name}</code>
              {r.required ? (
                <span className={s.required} title="Required">
                  required
                </span>
              ) : null}
            </td>
            <td>
              <code className={s.propType}>{r.type}</code>
            </td>
            <td>
              {r.description ? <span>{r.description}</span> : <span className="muted">—</span>}
              {r.default !== undefined ? (
                <div className={s.default}>
                  Default <code>{JSON.stringify(r.default)}</code>
                </div>
              ) : null}
            </td>
          </tr>
          {r.children ? <Rows rows={r.children} depth={depth + 1} /> : null}
        </Fragment>
      ))}
    </>
  );
}

export function PropertiesTable({ rows, empty }: { rows: PropertyRow[]; empty: string }) {
  if (!rows.length) return <p className="muted">{empty}</p>;
  return (
    <table className={s.props}>
      <thead>
        <tr>
          <th style={{ width: '26%' }}>Name</th>
          <th style={{ width: '22%' }}>Type</th>
          <th>Description</th>
        </tr>
      </thead>
      <tbody>
        <Rows rows={rows} />
      </tbody>
    </table>
  );
}

/** A plugin's documentation, generated from its schema: what it does, properties, outputs, examples. */
export function PluginDocView({ plugin, compact }: { plugin: PluginDoc; compact?: boolean }) {
  const href = useHref();
  return (
    <article className={compact ? s.docCompact : s.doc} data-testid="plugin-doc">
      <header className={s.docHeader}>
        <div className={s.docGroup}>{plugin.group}</div>
        <h2>{plugin.title}</h2>
        <div className={s.docIds}>
          <code>{plugin.id}</code>
          {plugin.aliases.map((a) => (
            <code key={a} className={s.alias}>
              {a}
            </code>
          ))}
        </div>
        <div className={s.docBadges}>
          <Badge>{plugin.kind === 'flowable' ? 'Flowable: runs in the workflow' : 'Runnable: a Temporal activity'}</Badge>
          <Badge>{plugin.idempotent ? 'Idempotent' : 'Not idempotent'}</Badge>
          {plugin.activity.timeout ? <Badge>Timeout {plugin.activity.timeout}</Badge> : null}
          {plugin.activity.retry?.maxAttempt ? <Badge>Retries {String(plugin.activity.retry.maxAttempt)}</Badge> : null}
        </div>
      </header>
      <Markdown text={plugin.description} className={s.markdown} />
      <section>
        <h3>Properties</h3>
        <PropertiesTable rows={propertyRows(plugin.props)} empty="This task takes no properties of its own." />
        {!compact ? (
          <p className={s.note}>
            Every task also accepts <code>id</code>, <code>type</code>, <code>description</code>, <code>retry</code>, <code>timeout</code>, <code>disabled</code>,{' '}
            <code>allowFailure</code>, <code>allowWarning</code>, <code>runIf</code>, <code>workerGroup</code> and <code>logLevel</code>.
          </p>
        ) : null}
      </section>
      <section>
        <h3>Outputs</h3>
        <PropertiesTable rows={propertyRows(plugin.outputs)} empty="No outputs." />
        {propertyRows(plugin.outputs).length ? (
          <p className={s.note}>
            Read them in later tasks as <code>{'{{ outputs.<task id>.<name> }}'}</code>.
          </p>
        ) : null}
      </section>
      <section>
        <h3>Examples</h3>
        {plugin.examples.length === 0 ? (
          <p className="muted">No example yet.</p>
        ) : (
          plugin.examples.map((e, i) => (
            <div key={i} className={s.example}>
              <div className={s.exampleHeader}>
                <strong>{e.title}</strong>
                <span className={s.exampleActions}>
                  <Link href={`${href('flows', 'new')}?example=${encodeURIComponent(`${plugin.id}:${i}`)}`} className={s.useLink}>
                    Use in a new flow
                  </Link>
                  <CopyButton text={e.flow} label="Copy the example" />
                </span>
              </div>
              <pre className={s.code}>
                <code>{e.flow}</code>
              </pre>
            </div>
          ))
        )}
      </section>
    </article>
  );
}
