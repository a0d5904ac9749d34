import { AppEditorPage } from '@/modules/apps/components/app-editor-page';

export const metadata = { title: 'New app' };

export default function Page() {
  return <AppEditorPage />;
}
