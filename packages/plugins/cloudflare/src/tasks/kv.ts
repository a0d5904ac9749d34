import { PluginError, defineRuntime } from '@baton/plugin-sdk';
import { CloudflareApi } from '../client';
import { MAX_PAIRS_PER_WRITE, kvDeleteDefinition, kvGetDefinition, kvListKeysDefinition, kvWriteDefinition } from '../definitions/kv';
import { isMissingItem } from '../errors';
import { readProps } from '../props';

function kvPath(accountId: string, namespaceId: string): string {
  return `/accounts/${accountId}/storage/kv/namespaces/${namespaceId}`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function decode(bytes: ArrayBuffer, as: 'text' | 'json' | 'base64', key: string): unknown {
  const buffer = Buffer.from(bytes);
  if (as === 'base64') return buffer.toString('base64');
  const text = buffer.toString('utf8');
  if (as === 'text') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new PluginError('REMOTE_ERROR', `the value of KV key '${key}' is not JSON (read it with as: text or base64)`, { retryable: false });
  }
}

export const kvGetRuntime = defineRuntime(kvGetDefinition, async (ctx) => {
  const props = readProps(kvGetDefinition.props, ctx.props, kvGetDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const keys = props.key ? [props.key] : props.keys!;
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const key of keys) {
    try {
      const bytes = await api.call(
        `GET ${kvPath(props.accountId, props.namespaceId)}/values/${key}`,
        (o) => api.sdk.kv.namespaces.values.get(key, { account_id: props.accountId, namespace_id: props.namespaceId }, o).then((response) => response.arrayBuffer()),
        `KV key '${key}' in namespace '${props.namespaceId}'`,
      );
      values[key] = decode(bytes, props.as, key);
    } catch (error) {
      if (props.ignoreMissing && isMissingItem(error)) missing.push(key);
      else throw error;
    }
  }
  ctx.logger.info(`read ${Object.keys(values).length} key(s) from namespace ${props.namespaceId}${missing.length ? `; missing: ${missing.join(', ')}` : ''}`);
  return {
    ...(props.key && props.key in values ? { value: values[props.key] } : {}),
    found: missing.length === 0,
    values,
    missing,
  };
});

export const kvWriteRuntime = defineRuntime(kvWriteDefinition, async (ctx) => {
  const props = readProps(kvWriteDefinition.props, ctx.props, kvWriteDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const pairs = props.pairs ?? props.keyValues ?? [{ key: props.key!, value: props.value! }];
  const body = pairs.map((p) => {
    const expiration = 'expiration' in p ? p.expiration : undefined;
    const expirationTtl = 'expirationTtl' in p ? p.expirationTtl : undefined;
    const useDefault = expiration === undefined && expirationTtl === undefined;
    return {
      key: p.key,
      value: typeof p.value === 'string' ? p.value : JSON.stringify(p.value),
      ...(expiration !== undefined ? { expiration } : {}),
      ...(expirationTtl !== undefined ? { expiration_ttl: expirationTtl } : {}),
      ...(useDefault && props.expiration !== undefined ? { expiration: props.expiration } : {}),
      ...(useDefault && props.expirationTtl !== undefined ? { expiration_ttl: props.expirationTtl } : {}),
      ...('metadata' in p && p.metadata !== undefined ? { metadata: p.metadata } : {}),
      ...('base64' in p && p.base64 !== undefined ? { base64: p.base64 } : {}),
    };
  });
  const unsuccessful: string[] = [];
  for (const part of chunks(body, MAX_PAIRS_PER_WRITE)) {
    const result = await api.call(`PUT ${kvPath(props.accountId, props.namespaceId)}/bulk`, (o) =>
      api.sdk.kv.namespaces.bulkUpdate(props.namespaceId, { account_id: props.accountId, body: part }, o),
    );
    unsuccessful.push(...(result?.unsuccessful_keys ?? []));
  }
  if (unsuccessful.length) ctx.logger.warn(`Cloudflare did not write ${unsuccessful.length} key(s): ${unsuccessful.slice(0, 10).join(', ')}`);
  const written = body.length - unsuccessful.length;
  ctx.logger.info(`wrote ${written} key(s) to namespace ${props.namespaceId}`);
  const failed = new Set(unsuccessful);
  return {
    written,
    keys: body.map((b) => b.key).filter((k) => !failed.has(k)),
    successfulKeyCount: written,
    unsuccessfulKeys: unsuccessful,
  };
});

export const kvDeleteRuntime = defineRuntime(kvDeleteDefinition, async (ctx) => {
  const props = readProps(kvDeleteDefinition.props, ctx.props, kvDeleteDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const keys = props.key ? [props.key] : props.keys!;
  const base = kvPath(props.accountId, props.namespaceId);
  if (keys.length === 1) {
    const key = keys[0];
    try {
      await api.call(`DELETE ${base}/values/${key}`, (o) => api.sdk.kv.namespaces.values.delete(key, { account_id: props.accountId, namespace_id: props.namespaceId }, o));
    } catch (error) {
      // Cloudflare answers a delete of an absent key with success; tolerate a 404 all the same.
      if (!isMissingItem(error)) throw error;
    }
  } else {
    for (const part of chunks(keys, MAX_PAIRS_PER_WRITE)) {
      await api.call(`POST ${base}/bulk/delete`, (o) => api.sdk.kv.namespaces.bulkDelete(props.namespaceId, { account_id: props.accountId, body: part }, o));
    }
  }
  ctx.logger.info(`deleted ${keys.length} key(s) from namespace ${props.namespaceId}`);
  return { deleted: keys.length, keys };
});

type ApiKey = { name: string; expiration?: number; metadata?: unknown };

export const kvListKeysRuntime = defineRuntime(kvListKeysDefinition, async (ctx) => {
  const props = readProps(kvListKeysDefinition.props, ctx.props, kvListKeysDefinition.id);
  const api = new CloudflareApi(ctx, props);
  const { items, truncated } = await api.listCursor<ApiKey>(
    `GET ${kvPath(props.accountId, props.namespaceId)}/keys`,
    (cursor, o) =>
      api.sdk.kv.namespaces.keys.list(
        props.namespaceId,
        {
          account_id: props.accountId,
          limit: Math.max(10, Math.min(1_000, props.maxResults)),
          ...(props.prefix ? { prefix: props.prefix } : {}),
          ...(cursor ? { cursor } : {}),
        },
        o,
      ) as unknown as PromiseLike<{ result: ApiKey[]; result_info?: { cursor?: string } }>,
    props.maxResults,
  );
  const keys = items.map((k) => ({
    name: k.name,
    ...(typeof k.expiration === 'number' ? { expiration: k.expiration } : {}),
    ...(k.metadata !== undefined ? { metadata: k.metadata } : {}),
  }));
  ctx.logger.info(`found ${keys.length} key(s) in namespace ${props.namespaceId}${truncated ? ` (stopped at maxResults ${props.maxResults})` : ''}`);
  return { keys, names: keys.map((k) => k.name), count: keys.length, truncated };
});
