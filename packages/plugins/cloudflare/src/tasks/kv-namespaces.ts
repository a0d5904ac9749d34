import { defineRuntime } from '@baton/plugin-sdk';
import { CloudflareApi } from '../client';
import { kvNamespacesCreateDefinition, kvNamespacesListDefinition } from '../definitions/kv-namespaces';
import { readProps } from '../props';

type ApiNamespace = { id: string; title: string; supports_url_encoding?: boolean };

function toNamespaceOutput(n: ApiNamespace) {
  return { id: n.id, title: n.title, ...(typeof n.supports_url_encoding === 'boolean' ? { supportsUrlEncoding: n.supports_url_encoding } : {}) };
}

function listNamespaces(api: CloudflareApi, accountId: string, max: number) {
  return api.listPages<ApiNamespace>(
    `GET /accounts/${accountId}/storage/kv/namespaces`,
    (page, perPage, o) => api.sdk.kv.namespaces.list({ account_id: accountId, page, per_page: perPage }, o) as unknown as PromiseLike<{ result: ApiNamespace[] }>,
    max,
    100,
    `account '${accountId}'`,
  );
}

export const kvNamespacesCreateRuntime = defineRuntime(kvNamespacesCreateDefinition, async (ctx) => {
  const props = readProps(kvNamespacesCreateDefinition.props, ctx.props, kvNamespacesCreateDefinition.id);
  const api = new CloudflareApi(ctx, props);
  if (props.ifExists === 'skip') {
    const { items } = await listNamespaces(api, props.accountId, 10_000);
    const existing = items.find((n) => n.title === props.title);
    if (existing) {
      ctx.logger.info(`KV namespace '${props.title}' already exists (${existing.id})`);
      return { namespace: toNamespaceOutput(existing), namespaceId: existing.id, created: false };
    }
  }
  const created = (await api.call(
    `POST /accounts/${props.accountId}/storage/kv/namespaces`,
    (o) => api.sdk.kv.namespaces.create({ account_id: props.accountId, title: props.title }, o),
    `account '${props.accountId}'`,
  )) as unknown as ApiNamespace;
  ctx.logger.info(`created KV namespace '${created.title}' (${created.id})`);
  return { namespace: toNamespaceOutput(created), namespaceId: created.id, created: true };
});

export const kvNamespacesListRuntime = defineRuntime(kvNamespacesListDefinition, async (ctx) => {
  const props = readProps(kvNamespacesListDefinition.props, ctx.props, kvNamespacesListDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const { items } = await listNamespaces(api, props.accountId, props.maxResults);
  ctx.logger.info(`found ${items.length} KV namespace(s) in account ${props.accountId}`);
  const namespaces = items.map(toNamespaceOutput);
  return { namespaces, count: namespaces.length };
});
