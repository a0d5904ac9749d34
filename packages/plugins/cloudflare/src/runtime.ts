import type { PluginRuntime } from '@baton/plugin-sdk';
import { accessRulesCreateRuntime, accessRulesDeleteRuntime, accessRulesListRuntime } from './tasks/access-rules';
import { cachePurgeRuntime } from './tasks/cache-purge';
import { recordsBatchRuntime } from './tasks/dns-batch';
import { recordsCreateRuntime, recordsDeleteRuntime, recordsGetRuntime, recordsListRuntime, recordsUpdateRuntime } from './tasks/dns-records';
import { recordsUpsertRuntime } from './tasks/dns-upsert';
import { kvDeleteRuntime, kvGetRuntime, kvListKeysRuntime, kvWriteRuntime } from './tasks/kv';
import { kvNamespacesCreateRuntime, kvNamespacesListRuntime } from './tasks/kv-namespaces';
import { zonesGetRuntime, zonesListRuntime } from './tasks/zones';

/** Cloudflare task runtimes. Only the worker imports this module (`@baton/plugin-cloudflare/runtime`). */
export {
  accessRulesCreateRuntime,
  accessRulesDeleteRuntime,
  accessRulesListRuntime,
  cachePurgeRuntime,
  kvDeleteRuntime,
  kvGetRuntime,
  kvListKeysRuntime,
  kvNamespacesCreateRuntime,
  kvNamespacesListRuntime,
  kvWriteRuntime,
  recordsBatchRuntime,
  recordsCreateRuntime,
  recordsDeleteRuntime,
  recordsGetRuntime,
  recordsListRuntime,
  recordsUpdateRuntime,
  recordsUpsertRuntime,
  zonesGetRuntime,
  zonesListRuntime,
};

export const runtimes: PluginRuntime[] = [
  zonesListRuntime,
  zonesGetRuntime,
  recordsCreateRuntime,
  recordsGetRuntime,
  recordsUpdateRuntime,
  recordsDeleteRuntime,
  recordsListRuntime,
  recordsUpsertRuntime,
  recordsBatchRuntime,
  cachePurgeRuntime,
  accessRulesCreateRuntime,
  accessRulesListRuntime,
  accessRulesDeleteRuntime,
  kvGetRuntime,
  kvWriteRuntime,
  kvDeleteRuntime,
  kvListKeysRuntime,
  kvNamespacesCreateRuntime,
  kvNamespacesListRuntime,
];
