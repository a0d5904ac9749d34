import { CredentialsPage } from '@/modules/namespaces/components/credentials-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return { title: `Credentials · ${decodeURIComponent(namespace)}` };
}

export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return <CredentialsPage namespace={decodeURIComponent(namespace)} />;
}
