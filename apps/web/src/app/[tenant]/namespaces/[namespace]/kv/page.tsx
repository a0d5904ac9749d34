import { KvPage } from '@/modules/namespaces/components/kv-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return { title: `KV store · ${decodeURIComponent(namespace)}` };
}

export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return <KvPage namespace={decodeURIComponent(namespace)} />;
}
