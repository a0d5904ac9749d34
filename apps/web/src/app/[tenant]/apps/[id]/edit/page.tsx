import { AppEditorPage } from '@/modules/apps/components/app-editor-page';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: `App · ${decodeURIComponent(id)}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AppEditorPage id={decodeURIComponent(id)} />;
}
