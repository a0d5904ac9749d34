import { PluginsPage } from '@/modules/plugins/components/plugins-page';

export const metadata = { title: 'Plugins' };

export default function Page() {
  return <PluginsPage />;
}
