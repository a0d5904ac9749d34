import { PluginDefaultsPage } from '@/modules/namespaces/components/plugin-defaults-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  const ns = decodeURIComponent(namespace);
  return { title: `Plugin defaults · ${ns === '_' ? 'tenant' : ns}` };
}

/** `_` is the tenant-wide layer, as in the API. */
export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  const ns = decodeURIComponent(namespace);
  return <PluginDefaultsPage namespace={ns === '_' ? '' : ns} />;
}
