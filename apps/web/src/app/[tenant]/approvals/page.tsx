import { ApprovalsInbox } from '@/modules/approvals/components/approvals-inbox';

export const metadata = { title: 'Approvals' };

export default function Page() {
  return <ApprovalsInbox />;
}
