import { FilesPage } from '@/modules/namespaces/components/files-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return { title: `Files · ${decodeURIComponent(namespace)}` };
}

export default async function Page({ params }: { params: Promise<{ namespace: string }> }) {
  const { namespace } = await params;
  return <FilesPage namespace={decodeURIComponent(namespace)} />;
}
