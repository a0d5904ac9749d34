import { AppsCatalogPage } from '@/modules/apps/components/apps-catalog-page';

export const metadata = { title: 'Apps' };

export default function Page() {
  return <AppsCatalogPage />;
}
