import { KillSwitchesPage } from '@/modules/kill-switches/components/kill-switches-page';

export const metadata = { title: 'Kill switches' };

export default function Page() {
  return <KillSwitchesPage />;
}
