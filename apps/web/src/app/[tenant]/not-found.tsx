import { EmptyState } from '@/components/ui';

export default function TenantNotFound() {
  return (
    <EmptyState icon="search" title="No such page">
      Use the navigation on the left: Flows, Executions, Plugins or Namespaces.
    </EmptyState>
  );
}
