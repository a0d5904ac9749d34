import type { PluginDefinition } from '@baton/plugin-sdk';
import { cachePurgeDefinition } from './definitions/cache';
import { recordsBatchDefinition } from './definitions/dns-batch';
import { recordsCreateDefinition, recordsDeleteDefinition, recordsGetDefinition, recordsListDefinition, recordsUpdateDefinition } from './definitions/dns-records';
import { recordsUpsertDefinition } from './definitions/dns-upsert';
import { accessRulesCreateDefinition, accessRulesDeleteDefinition, accessRulesListDefinition } from './definitions/firewall';
import { kvDeleteDefinition, kvGetDefinition, kvListKeysDefinition, kvWriteDefinition } from './definitions/kv';
import { kvNamespacesCreateDefinition, kvNamespacesListDefinition } from './definitions/kv-namespaces';
import { zonesGetDefinition, zonesListDefinition } from './definitions/zones';

/**
 * Cloudflare plugin definitions (zod schemas, docs, examples). No client code and no Cloudflare
 * SDK import here: the web app imports this module; the worker imports `@baton/plugin-cloudflare/runtime`.
 */
export {
  accessRulesCreateDefinition,
  accessRulesDeleteDefinition,
  accessRulesListDefinition,
  cachePurgeDefinition,
  kvDeleteDefinition,
  kvGetDefinition,
  kvListKeysDefinition,
  kvNamespacesCreateDefinition,
  kvNamespacesListDefinition,
  kvWriteDefinition,
  recordsBatchDefinition,
  recordsCreateDefinition,
  recordsDeleteDefinition,
  recordsGetDefinition,
  recordsListDefinition,
  recordsUpdateDefinition,
  recordsUpsertDefinition,
  zonesGetDefinition,
  zonesListDefinition,
};

export const definitions: PluginDefinition[] = [
  zonesListDefinition,
  zonesGetDefinition,
  recordsCreateDefinition,
  recordsGetDefinition,
  recordsUpdateDefinition,
  recordsDeleteDefinition,
  recordsListDefinition,
  recordsUpsertDefinition,
  recordsBatchDefinition,
  cachePurgeDefinition,
  accessRulesCreateDefinition,
  accessRulesListDefinition,
  accessRulesDeleteDefinition,
  kvGetDefinition,
  kvWriteDefinition,
  kvDeleteDefinition,
  kvListKeysDefinition,
  kvNamespacesCreateDefinition,
  kvNamespacesListDefinition,
];
