'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import type { Blueprint, BlueprintKind } from '@baton/contract';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { Button, Dialog, Field, TextArea, TextInput, useToast } from '@/components/ui';
import { useNamespaces } from '@/modules/namespaces/hooks/use-namespaces';
import { useSaveBlueprint } from '../hooks/use-blueprints';

const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/i;

/** Where "Use" opens the editor: a new flow made of the blueprint, in the chosen namespace. */
export function useBlueprintHref() {
  const href = useHref();
  return (kind: BlueprintKind, id: string, namespace: string) =>
    `${href('flows', 'new')}?blueprint=${encodeURIComponent(`${kind}/${id}`)}&namespace=${encodeURIComponent(namespace)}`;
}

/** "Use": pick the namespace the new flow goes to, then open it in the editor (nothing is saved yet). */
export function UseBlueprintDialog({ blueprint, open, onClose }: { blueprint: Blueprint; open: boolean; onClose: () => void }) {
  const { tenant, namespace: working } = useApp();
  const router = useRouter();
  const to = useBlueprintHref();
  const namespaces = useNamespaces(tenant);
  const [namespace, setNamespace] = useState(working || blueprint.namespace);
  useEffect(() => setNamespace(working || blueprint.namespace), [working, blueprint.namespace]);
  const invalid = !NAMESPACE.test(namespace);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    onClose();
    router.push(to(blueprint.kind, blueprint.id, namespace));
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Use “${blueprint.title}”`}
      description="The flow opens in the editor in this namespace; nothing is saved until you save it."
      onSubmit={submit}
      testId="use-blueprint-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="code" disabled={invalid} data-testid="use-blueprint-open">
            Open in the editor
          </Button>
        </>
      }
    >
      <Field
        label="Namespace"
        hint={`The blueprint uses ${blueprint.namespace}. Letters, digits, dots, dashes and underscores.`}
        error={invalid ? 'Not a namespace name' : undefined}
      >
        <TextInput list="blueprint-namespaces" value={namespace} onChange={(e) => setNamespace(e.target.value.trim())} data-testid="use-blueprint-namespace" />
      </Field>
      <datalist id="blueprint-namespaces">
        {(namespaces.data ?? []).map((n) => (
          <option key={n.namespace} value={n.namespace} />
        ))}
      </datalist>
    </Dialog>
  );
}

const tagList = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Save a flow as a custom blueprint (`source` given, from the editor), or edit a custom one
 * (`blueprint` given: its YAML is editable too).
 */
export function BlueprintFormDialog({
  open,
  onClose,
  source,
  blueprint,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  source?: string;
  blueprint?: Blueprint;
  onSaved?: (saved: Blueprint) => void;
}) {
  const { tenant } = useApp();
  const toast = useToast();
  const save = useSaveBlueprint(tenant);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [yaml, setYaml] = useState('');
  useEffect(() => {
    if (!open) return;
    setTitle(blueprint?.title ?? '');
    setDescription(blueprint?.description ?? '## How it works\n\n## Prerequisites\n\n## Secrets\n');
    setTags(blueprint?.tags.join(', ') ?? '');
    setYaml(blueprint?.source ?? source ?? '');
    save.reset();
    // Reset the form when it opens, not on every render of the caller.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const saved = await save.mutateAsync({ id: blueprint?.id, source: yaml, title: title.trim(), description, tags: tagList(tags) });
      toast.success(blueprint ? 'Blueprint saved' : 'Saved as a blueprint', saved.title);
      onClose();
      onSaved?.(saved);
    } catch {
      // Shown in the dialog below.
    }
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      wide
      title={blueprint ? `Edit blueprint “${blueprint.title}”` : 'Save as blueprint'}
      description={blueprint ? 'A custom blueprint of this tenant.' : 'Others in this tenant can start a flow from it on the Blueprints page.'}
      onSubmit={(e) => void submit(e)}
      testId="blueprint-form"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" icon="save" loading={save.isPending} disabled={!title.trim()} data-testid="blueprint-save">
            Save blueprint
          </Button>
        </>
      }
    >
      <Field label="Title" required>
        <TextInput value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} data-testid="blueprint-title" />
      </Field>
      <Field label="Description" hint="Markdown: how it works, prerequisites, the secrets it needs">
        <TextArea value={description} onChange={(e) => setDescription(e.target.value)} rows={8} data-testid="blueprint-description" />
      </Field>
      <Field label="Tags" hint="Comma-separated, e.g. Argo CD, Deployment">
        <TextInput value={tags} onChange={(e) => setTags(e.target.value)} data-testid="blueprint-tags" />
      </Field>
      {blueprint ? (
        <Field label="Flow YAML">
          <TextArea value={yaml} onChange={(e) => setYaml(e.target.value)} rows={14} className="mono" spellCheck={false} data-testid="blueprint-source" />
        </Field>
      ) : null}
      {save.error ? (
        <div role="alert" className="error-text" data-testid="blueprint-error">
          {save.error.message}
        </div>
      ) : null}
    </Dialog>
  );
}
