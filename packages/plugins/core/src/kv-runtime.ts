import { defineRuntime, parseDuration, PluginError, type PluginRuntime } from '@baton/plugin-sdk';
import { kvDelete, kvGet, kvGetKeys, kvSet, purgeKv } from './kv-definitions';

const setRuntime = defineRuntime(kvSet, async ({ props, kv, taskRun }) => {
  const ttlMs = props.ttl === undefined ? undefined : parseDuration(props.ttl);
  if (props.ttl !== undefined && ttlMs === undefined) throw new PluginError('INVALID_PROPERTIES', `ttl '${props.ttl}' is not an ISO-8601 duration such as P7D`);
  await kv.set(props.namespace ?? taskRun.namespace, props.key, props.value, { type: props.kvType, ttlMs, overwrite: props.overwrite, description: props.kvDescription });
  return {};
});

const getRuntime = defineRuntime(kvGet, async ({ props, kv, taskRun }) => {
  const namespace = props.namespace ?? taskRun.namespace;
  const entry = await kv.get(namespace, props.key);
  if (!entry && props.errorOnMissing) throw new PluginError('NOT_FOUND', `no KV pair with key '${props.key}' in namespace ${namespace}`);
  return { value: entry ? entry.value : null };
});

const getKeysRuntime = defineRuntime(kvGetKeys, async ({ props, kv, taskRun }) => ({ keys: await kv.keys(props.namespace ?? taskRun.namespace, props.prefix) }));

const deleteRuntime = defineRuntime(kvDelete, async ({ props, kv, taskRun }) => {
  const namespace = props.namespace ?? taskRun.namespace;
  const deleted = await kv.delete(namespace, props.key);
  if (!deleted && props.errorOnMissing) throw new PluginError('NOT_FOUND', `no KV pair with key '${props.key}' in namespace ${namespace}`);
  return { deleted };
});

const purgeRuntime = defineRuntime(purgeKv, async ({ props, kv, logger }) => {
  const size = await kv.purge({
    namespaces: props.namespaces ?? [],
    includeChildNamespaces: props.includeChildNamespaces ?? true,
    keyPattern: props.keyPattern,
    expiredOnly: props.expiredOnly ?? true,
  });
  logger.info(`purged ${size} keys`);
  return { size };
});

export const kvRuntimes: PluginRuntime[] = [setRuntime, getRuntime, getKeysRuntime, deleteRuntime, purgeRuntime] as PluginRuntime[];
