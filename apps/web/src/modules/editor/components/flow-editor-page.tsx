'use client';
import dynamic from 'next/dynamic';
import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { useApp } from '@/components/app-shell/app-context';
import { ErrorState, LoadingState } from '@/components/ui';
import { ApiError } from '@/modules/api/client';
import { useFlow } from '@/modules/flows/hooks/use-flows';
import { blankFlow, withNamespace } from '@/modules/flows/lib/templates';
import { usePlugins } from '@/modules/plugins/hooks/use-plugins';

const Editor = dynamic(() => import('./flow-editor'), { ssr: false, loading: () => <LoadingState label="Loading the editor…" /> });

/** The flow editor: `flow` absent means a new flow (blank or from an example). */
export function FlowEditorPage({ namespace, id }: { namespace?: string; id?: string }) {
  const { tenant, namespace: workingNs } = useApp();
  const isNew = !namespace || !id;
  const flow = useFlow(tenant, namespace ?? '', id ?? '', !isNew);
  const plugins = usePlugins();
  const params = useSearchParams();
  const example = params.get('example');

  const template = useMemo(() => {
    if (!isNew) return undefined;
    if (example) {
      const [pluginId, index] = [example.slice(0, example.lastIndexOf(':')), Number(example.slice(example.lastIndexOf(':') + 1))];
      const source = plugins.data?.find((p) => p.id === pluginId)?.examples[index]?.flow;
      if (!source) return plugins.isLoading ? undefined : blankFlow(workingNs || undefined);
      return withNamespace(source, workingNs || undefined);
    }
    return blankFlow(workingNs || undefined);
    // The template is chosen once per page, not again when the working namespace changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isNew, example, plugins.data, plugins.isLoading]);

  if (!isNew && flow.error) {
    return (
      <ErrorState
        title={flow.error instanceof ApiError && flow.error.status === 404 ? `Flow ${namespace}.${id} not found` : 'Could not load the flow'}
        error={flow.error}
        onRetry={() => flow.refetch()}
      />
    );
  }
  const initial = isNew ? template : flow.data?.source;
  if (initial === undefined) return <LoadingState label="Loading the flow…" />;
  return <Editor key={isNew ? 'new' : `${namespace}/${id}`} namespace={namespace} id={id} initial={initial} revision={flow.data?.revision} />;
}
