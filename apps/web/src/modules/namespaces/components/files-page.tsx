'use client';
import { useRef, useState, type FormEvent } from 'react';
import { useApp } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Button, Dialog, EmptyState, Field, LoadingState, TextInput, useToast } from '@/components/ui';
import { fetchNamespaceFile, useDeleteNamespaceFile, useNamespaceFiles, useUploadNamespaceFile, type NamespaceFileEntry } from '../hooks/use-namespace-files';
import s from './kv.module.css';
import { NamespaceResourcePage, useConfirmedDelete } from './namespace-resource-page';

const join = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** Kestra's namespace files: browse a namespace's directories, upload, view and delete files. */
export function FilesPage({ namespace }: { namespace: string }) {
  const { tenant } = useApp();
  const [dir, setDir] = useState('/');
  const files = useNamespaceFiles(tenant, namespace, dir);
  const confirmDelete = useConfirmedDelete(useDeleteNamespaceFile(tenant, namespace));
  const [uploading, setUploading] = useState(false);
  const [viewing, setViewing] = useState<{ path: string; text?: string; error?: string } | undefined>();

  const open = async (entry: NamespaceFileEntry) => {
    const path = join(dir, entry.fileName);
    if (entry.type === 'Directory') return setDir(path);
    setViewing({ path });
    try {
      setViewing({ path, text: await fetchNamespaceFile(tenant, namespace, path) });
    } catch (error) {
      setViewing({ path, error: (error as Error).message });
    }
  };

  const onDelete = (entry: NamespaceFileEntry) => {
    const path = join(dir, entry.fileName);
    const what = entry.type === 'Directory' ? `the directory ${path} and every file in it` : path;
    confirmDelete(path, path, `Delete ${what}? Flows reading it with read('${path.slice(1)}') will fail.`);
  };

  const up = dir === '/' ? undefined : dir.slice(0, dir.lastIndexOf('/')) || '/';
  return (
    <NamespaceResourcePage
      namespace={namespace}
      title="Files"
      subtitle={dir}
      addLabel="Upload a file"
      onAdd={() => setUploading(true)}
      listing={files}
      loadErrorTitle="Could not list the files"
      empty={
        <EmptyState icon="layers" title="No files in this namespace">
          Tasks of this namespace read its files with <code>{"{{ read('queries/report.sql') }}"}</code> and name them with <code>{"{{ fileURI('queries/report.sql') }}"}</code>.
        </EmptyState>
      }
      // Inside a directory the table stays, for its ".." row.
      isEmpty={(entries) => !entries.length && !up}
      tableTestId="files-table"
      columns={['Name', 'Size', 'Modified', '']}
      dialog={
        <>
          {uploading ? <UploadDialog namespace={namespace} dir={dir} onClose={() => setUploading(false)} /> : null}
          {viewing ? (
            <Dialog open wide onClose={() => setViewing(undefined)} title={viewing.path} description={`Namespace ${namespace}`} testId="file-view">
              {viewing.error ? <p className={s.description}>{viewing.error}</p> : viewing.text === undefined ? <LoadingState /> : <pre className="mono">{viewing.text}</pre>}
            </Dialog>
          ) : null}
        </>
      }
    >
      {(entries) => (
        <>
          {up ? (
            <tr>
              <td className="mono" colSpan={4}>
                <Button size="sm" variant="ghost" onClick={() => setDir(up)}>
                  ..
                </Button>
              </td>
            </tr>
          ) : null}
          {entries.map((entry) => (
            <tr key={entry.fileName}>
              <td className="mono">
                <Button size="sm" variant="ghost" onClick={() => void open(entry)} aria-label={`Open ${entry.fileName}`}>
                  {entry.type === 'Directory' ? `${entry.fileName}/` : entry.fileName}
                </Button>
              </td>
              <td>{entry.type === 'Directory' ? '' : `${entry.size} B`}</td>
              <td>{relativeTime(new Date(entry.lastModifiedTime).toISOString())}</td>
              <td style={{ textAlign: 'right' }}>
                <Button size="sm" variant="ghost" icon="trash" aria-label={`Delete ${entry.fileName}`} onClick={() => onDelete(entry)} />
              </td>
            </tr>
          ))}
        </>
      )}
    </NamespaceResourcePage>
  );
}

function UploadDialog({ namespace, dir, onClose }: { namespace: string; dir: string; onClose: () => void }) {
  const { tenant } = useApp();
  const upload = useUploadNamespaceFile(tenant, namespace);
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [path, setPath] = useState(dir === '/' ? '/' : `${dir}/`);
  const [error, setError] = useState<string | undefined>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setError('Choose a file');
    const target = path.endsWith('/') ? `${path}${file.name}` : path;
    upload.mutate(
      { path: target, file },
      {
        onSuccess: (stored) => {
          toast.success(`Stored ${stored.path}`);
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
      title="Upload a file"
      description={`Namespace ${namespace}`}
      onSubmit={submit}
      testId="file-upload-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="save" loading={upload.isPending}>
            Upload
          </Button>
        </>
      }
    >
      <Field label="File" required error={error}>
        <input ref={input} type="file" aria-label="File" />
      </Field>
      <Field label="Path" hint="Where to store it; ending with / keeps the file's name">
        <TextInput aria-label="Path" value={path} onChange={(e) => setPath(e.target.value)} className="mono" />
      </Field>
    </Dialog>
  );
}
