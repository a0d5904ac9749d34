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
import { useBlueprint } from '@/modules/blueprints/hooks/use-blueprints';
import type { BlueprintKind } from '@baton/contract';

const Editor = dynamic(() => import('./flow-editor'), { ssr: false, loading: () => <LoadingState label="Loading the editor…" /> });

/** The flow editor: `flow` absent means a new flow (blank or from an example). */
export function FlowEditorPage({ namespace, id }: { namespace?: string; id?: string }) {
  const { tenant, namespace: workingNs } = useApp();
  const isNew = !namespace || !id;
  const flow = useFlow(tenant, namespace ?? '', id ?? '', !isNew);
  const plugins = usePlugins();
  const params = useSearchParams();
  const example = params.get('example');
  // "Use" on the Blueprints page: ?blueprint=<shipped|custom>/<id>&namespace=<the one picked>
  const [blueprintKind, ...blueprintId] = (params.get('blueprint') ?? '').split('/');
  const fromBlueprint = isNew && (blueprintKind === 'shipped' || blueprintKind === 'custom') && blueprintId.length > 0;
  const blueprint = useBlueprint(tenant, fromBlueprint ? (blueprintKind as BlueprintKind) : undefined, fromBlueprint ? blueprintId.join('/') : undefined);
  const blueprintNamespace = params.get('namespace') || workingNs || undefined;

  const template = useMemo(() => {
    if (!isNew) return undefined;
    if (fromBlueprint) {
      if (blueprint.data) return withNamespace(blueprint.data.source, blueprintNamespace);
      return blueprint.error ? blankFlow(blueprintNamespace) : undefined;
    }
    if (example) {
      const [pluginId, index] = [example.slice(0, example.lastIndexOf(':')), Number(example.slice(example.lastIndexOf(':') + 1))];
      const source = plugins.data?.find((p) => p.id === pluginId)?.examples[index]?.flow;
      if (!source) return plugins.isLoading ? undefined : blankFlow(workingNs || undefined);
      return withNamespace(source, workingNs || undefined);
    }
    return blankFlow(workingNs || undefined);
    // The template is chosen once per page, not again when the working namespace changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isNew, example, plugins.data, plugins.isLoading, blueprint.data, blueprint.error]);

  if (!isNew && flow.error) {
    return (
      <ErrorState
        title={flow.error instanceof ApiError && flow.error.status === 404 ? `Flow ${namespace}.${id} not found` : 'Could not load the flow'}
        error={flow.error}
        onRetry={() => flow.refetch()}
      />
    );
  }
  if (fromBlueprint && blueprint.error) {
    return <ErrorState title="Could not load the blueprint" error={blueprint.error} onRetry={() => blueprint.refetch()} />;
  }
  const initial = isNew ? template : flow.data?.source;
  if (initial === undefined) return <LoadingState label="Loading the flow…" />;
  return <Editor key={isNew ? 'new' : `${namespace}/${id}`} namespace={namespace} id={id} initial={initial} revision={flow.data?.revision} />;
}
