import { PluginsPage } from '@/modules/plugins/components/plugins-page';

export default async function Page({ params }: { params: Promise<{ type: string }> }) {
  const { type } = await params;
  return <PluginsPage type={decodeURIComponent(type)} />;
}
