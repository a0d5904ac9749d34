import { TriggersPage } from '@/modules/triggers/components/triggers-page';

export const metadata = { title: 'Triggers' };

export default function Page() {
  return <TriggersPage />;
}
