import { NotificationRulePage } from '@/modules/namespaces/components/notification-rule-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return { title: `Notifications · ${decodeURIComponent(namespace)}` };
}

export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return <NotificationRulePage namespace={decodeURIComponent(namespace)} />;
}
