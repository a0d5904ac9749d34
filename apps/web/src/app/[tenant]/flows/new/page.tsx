import { Suspense } from 'react';
import { FlowEditorPage } from '@/modules/editor/components/flow-editor-page';

export const metadata = { title: 'New flow' };

export default function Page() {
  return (
    <Suspense>
      <FlowEditorPage />
    </Suspense>
  );
}
