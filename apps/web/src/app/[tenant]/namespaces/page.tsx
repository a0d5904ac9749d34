import { NamespacesPage } from '@/modules/namespaces/components/namespaces-page';

export const metadata = { title: 'Namespaces' };

export default function Page() {
  return <NamespacesPage />;
}
