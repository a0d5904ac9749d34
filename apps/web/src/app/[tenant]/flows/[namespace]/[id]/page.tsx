import { Suspense } from 'react';
import { FlowEditorPage } from '@/modules/editor/components/flow-editor-page';

export async function generateMetadata({ params }: { params: Promise<{ namespace: string; id: string }> }) {
  const { id } = await params;
  return { title: decodeURIComponent(id) };
}

export default async function Page({ params }: { params: Promise<{ namespace: string; id: string }> }) {
  const { namespace, id } = await params;
  return (
    <Suspense>
      <FlowEditorPage namespace={decodeURIComponent(namespace)} id={decodeURIComponent(id)} />
    </Suspense>
  );
}
