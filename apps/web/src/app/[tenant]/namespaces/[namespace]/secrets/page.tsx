import { SecretsPage } from '@/modules/namespaces/components/secrets-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return { title: `Secrets · ${decodeURIComponent(namespace)}` };
}

export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return <SecretsPage namespace={decodeURIComponent(namespace)} />;
}
