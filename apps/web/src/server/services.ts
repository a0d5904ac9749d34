import 'server-only';
import { Client, Connection } from '@temporalio/client';
import { getDb } from '@baton/db';
import {
  ApprovalService,
  AppService,
  BlueprintService,
  CredentialStore,
  EncryptionCodec,
  ExecutionService,
  FlowService,
  keyringFrom,
  KillSwitches,
  KvStore,
  loadInstanceDefaults,
  NamespaceNotificationsService,
  SecretStore,
  TriggerService,
} from '@baton/engine';
import { serverLog } from './log';
import { defaultRegistry } from '@baton/plugin-catalog';
import { TenantService } from '@baton/engine/ui';
import { IdentityService } from '@baton/engine/identity';
import { AccessService } from '@baton/engine/identity';
import { AuditService } from '@baton/engine/audit';
import { createFileStorage, ExecutionFiles, NamespaceFiles } from '@baton/engine/storage';
import { webEnv } from './env';

/** Server-side singletons shared by every request of this process. */
function create() {
  const env = webEnv();
  const db = getDb(env.databaseUrl);
  const registry = defaultRegistry();
  const keyring = keyringFrom(env.encryptionKey, env.encryptionKeysOld);
  // Workflow inputs (flow plans, execution inputs) are encrypted before they leave this process.
  const codec = new EncryptionCodec(keyring);
  let client: Promise<Client> | undefined;
  const temporal = () =>
    // A short connect timeout: a request that needs Temporal while it is unreachable is answered
    // 503 in a second or two (and retried on the next request), not after the SDK's 10 s default.
    (client ??= Connection.connect({ address: env.temporalAddress, connectTimeout: 1_500 }).then(
      (connection) => new Client({ connection, namespace: env.temporalNamespace, dataConverter: { payloadCodecs: [codec] } }),
      (error) => {
        client = undefined; // retry on the next request instead of caching the failure
        throw error;
      },
    ));
  const flows = new FlowService(db, registry, loadInstanceDefaults(env.pluginDefaultsFile));
  const files = new ExecutionFiles(db, createFileStorage(env.storage));
  const executions = new ExecutionService(db, flows, temporal, files);
  return {
    env,
    db,
    registry,
    flows,
    namespaceNotifications: new NamespaceNotificationsService(db, flows, registry),
    files,
    namespaceFiles: new NamespaceFiles(files.storage),
    executions,
    approvals: new ApprovalService(db, executions),
    apps: new AppService(db, flows, executions),
    // Shipped blueprints (files) and the tenant's own (docs/blueprints.md).
    blueprints: new BlueprintService(db, flows, env.blueprintsDir, (m) => serverLog().warn(m)),
    killSwitches: new KillSwitches(db, executions, temporal),
    // Trigger registration on save/delete, the Triggers page, webhooks (docs/triggers.md).
    triggers: new TriggerService(db, flows, executions, temporal, (m) => serverLog().warn(m)),
    secrets: new SecretStore(db, keyring),
    credentials: new CredentialStore(db, keyring),
    codec,
    keyring,
    kv: new KvStore(db),
    tenants: new TenantService(db),
    identity: new IdentityService(db),
    access: new AccessService(db),
    audit: new AuditService(db),
    temporal,
  };
}

const globalForServices = globalThis as unknown as { batonServices?: ReturnType<typeof create> };

export function services() {
  return (globalForServices.batonServices ??= create());
}
