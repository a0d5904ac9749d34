import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

// Registered on the dev server by scripts/lib/stack.mjs (--search-attribute) and on other
// servers by the worker at start-up, so executions can be found in the Temporal UI by flow.
export const SEARCH_ATTRIBUTES = {
  tenant: defineSearchAttributeKey('BatonTenant', SearchAttributeType.KEYWORD),
  namespace: defineSearchAttributeKey('BatonNamespace', SearchAttributeType.KEYWORD),
  flowId: defineSearchAttributeKey('BatonFlowId', SearchAttributeType.KEYWORD),
};

export function searchAttributesFor(tenant: string, namespace: string, flowId: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: SEARCH_ATTRIBUTES.tenant, value: tenant },
    { key: SEARCH_ATTRIBUTES.namespace, value: namespace },
    { key: SEARCH_ATTRIBUTES.flowId, value: flowId },
  ]);
}
