import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { EXECUTION_KILLS_CHANNEL, ExecutionChangeListener, getDb } from '@baton/db';
import { AuditService } from '@baton/engine/audit';
import { startAuditRetention } from '@baton/engine/audit';
import {
  createLogger,
  describeStorage,
  CredentialStore,
  CredentialTokens,
  DEFAULT_TASK_QUEUE,
  EncryptionCodec,
  ApprovalNotifier,
  ApprovalService,
  ExecutionService,
  ExecutionSummaries,
  FlowService,
  keyringFrom,
  KvStore,
  loadInstanceDefaults,
  NamespaceNotificationsService,
  SEARCH_ATTRIBUTES,
  SecretStore,
  taskQueueFor,
  TriggerService,
  type Logger,
} from '@baton/engine';
import { defaultRegistry } from '@baton/plugin-catalog';
import { pollingTriggerRuntimes } from '@baton/plugin-catalog/runtimes';
import proto from '@temporalio/proto';
import { createFileStorage, ExecutionFiles } from '@baton/engine/storage';
import { createActivities } from './activities';
import { EndNotifications } from './activities/end-notifications';
import { temporalLogger } from './temporal-logger';
import { workflowBundle } from './bundle';
import type { WorkerEnv } from './env';
import { JqRunner } from './activities/jq-runner';
import { loadRuntimes } from './runtimes';

let runtimeInstalled = false;

/** How often a worker repairs trigger workflows whose registration failed. */
const TRIGGER_RECONCILE_MS = 60_000;

/**
 * Registers Baton's search attributes on servers that lack them (the dev server started by
 * `npm start` already has them). Without them the server rejects workflow starts that set them.
 */
async function ensureSearchAttributes(client: Client, namespace: string, log: Logger) {
  const wanted = Object.values(SEARCH_ATTRIBUTES).map((k) => k.name);
  try {
    const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
    const missing = wanted.filter((name) => !(name in (existing.customAttributes ?? {})));
    if (!missing.length) return;
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
    log.info(`registered search attributes ${missing.join(', ')} in namespace ${namespace}`);
  } catch (error) {
    log.warn(`could not check search attributes (${(error as Error).message}); executions may fail to start until ${wanted.join(', ')} exist`);
  }
}

export interface BatonWorkers {
  run(): Promise<void>;
  shutdown(): void;
  taskQueues: string[];
}

/**
 * Creates one Temporal worker per task queue this process serves (the default queue and any
 * worker groups), all sharing the same activities.
 */
export async function createWorkers(env: WorkerEnv, log: Logger = createLogger('worker', env.logLevel)): Promise<BatonWorkers> {
  if (!runtimeInstalled) {
    // The SDK's own lines go through our logger (WARN and up); its metadata names the workflow
    // (= execution id) and activity, which become the executionId/taskId fields.
    Runtime.install({ logger: temporalLogger(log) });
    runtimeInstalled = true;
  }
  const keyring = keyringFrom(env.encryptionKey, env.encryptionKeysOld);
  // The same codec on the client (subflow starts) and the workers: every payload in history is encrypted.
  const dataConverter = { payloadCodecs: [new EncryptionCodec(keyring)] };
  const db = getDb(env.databaseUrl);
  const registry = defaultRegistry();
  const secrets = new SecretStore(db, keyring);
  // Secrets stored in clear (before encryption) or under an old key are (re-)encrypted now.
  const reencrypted = await secrets.reencrypt();
  if (reencrypted.encrypted || reencrypted.rotated)
    log.info(`secrets: encrypted ${reencrypted.encrypted} stored in clear, re-encrypted ${reencrypted.rotated} under the current key ${keyring.current.id}`);
  for (const f of reencrypted.failed)
    log.warn({ tenant: f.tenant, namespace: f.namespace }, `secrets: could not re-encrypt ${f.tenant}/${f.namespace || '_'}/${f.name}: ${f.reason}`);
  // Audit events older than the retention go, hourly (every worker does it; the deletes are idempotent).
  const retention = startAuditRetention(new AuditService(db), env.auditRetentionDays, (m) => log.info(m));
  const flows = new FlowService(db, registry, loadInstanceDefaults(env.pluginDefaultsFile));
  const clientConnection = await Connection.connect({ address: env.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: env.temporalNamespace, dataConverter });
  // Internal storage (BATON_STORAGE: local disk or an S3-compatible bucket); the web app serves the same files.
  const files = new ExecutionFiles(db, createFileStorage(env.storage));
  log.info(`internal storage: ${describeStorage(env.storage)}`);
  const executions = new ExecutionService(db, flows, async () => client, files);
  await ensureSearchAttributes(client, env.temporalNamespace, log);
  const credentialStore = new CredentialStore(db, keyring);
  const resealed = await credentialStore.reencrypt();
  if (resealed.rotated) log.info(`credentials: re-encrypted ${resealed.rotated} under the current key ${keyring.current.id}`);
  for (const f of resealed.failed)
    log.warn({ tenant: f.tenant, namespace: f.namespace }, `credentials: could not re-encrypt ${f.tenant}/${f.namespace || '_'}/${f.name}: ${f.reason}`);
  const credentials = new CredentialTokens(credentialStore);
  const triggers = new TriggerService(
    db,
    flows,
    executions,
    async () => client,
    (m) => log.warn(m),
    { runtimes: pollingTriggerRuntimes(), secrets },
  );
  const runtimes = loadRuntimes(db, files);
  const summaries = new ExecutionSummaries(db, env.notifications.publicUrl);
  // One LISTEN connection for kill notices: a kill aborts this worker's running tasks of that
  // execution at once (docs/kill-switch.md). Until it is connected, Temporal's cancel still does.
  const kills = new ExecutionChangeListener(env.databaseUrl, EXECUTION_KILLS_CHANNEL);
  void kills.ready();
  const activities = createActivities({
    kills,
    db,
    registry,
    runtimes,
    secrets,
    credentials,
    kv: new KvStore(db),
    jq: new JqRunner(),
    executions,
    keyring,
    files,
    summaries,
    endNotifications: new EndNotifications({
      db,
      flows,
      temporal: async () => client,
      registry,
      runtimes,
      secrets,
      summaries,
      publicUrl: env.notifications.publicUrl,
      namespaceRules: new NamespaceNotificationsService(db, flows, registry),
      log,
    }),
    notifier: new ApprovalNotifier(env.notifications, new ApprovalService(db, executions)),
    log,
    triggers,
  });
  const bundle = await workflowBundle(path.join(env.dataDir, 'cache'), (m) => log.info(m));
  const connection = await NativeConnection.connect({ address: env.temporalAddress });

  const queues = [...(env.serveDefaultQueue ? [DEFAULT_TASK_QUEUE] : []), ...env.workerGroups.map(taskQueueFor)];
  const common: Omit<WorkerOptions, 'taskQueue'> = {
    connection,
    namespace: env.temporalNamespace,
    workflowBundle: bundle,
    activities,
    dataConverter,
    // Heartbeats are flushed to the server at most this often; a kill reaches an activity on the
    // next flush, so this bounds kill latency (the SDK default is 30 s).
    maxHeartbeatThrottleInterval: '500ms',
    defaultHeartbeatThrottleInterval: '500ms',
    maxConcurrentActivityTaskExecutions: 200,
    maxCachedWorkflows: 500,
  };
  const workers = await Promise.all(queues.map((taskQueue) => Worker.create({ ...common, taskQueue })));
  // Every Schedule and polling trigger has its workflow (idempotent: a running one is only woken);
  // then, every minute, a trigger whose registration failed at save (Temporal away) gets it.
  let reconciler: NodeJS.Timeout | undefined;
  if (env.serveDefaultQueue) {
    triggers
      .registerAll(db)
      .then((n) => n && log.info(`triggers: ${n} flow(s) with schedules or polling triggers registered`))
      .catch((error: unknown) => log.warn(`triggers: schedules not registered at start (${(error as Error).message}); they are at the next save`));
    reconciler = setInterval(() => {
      triggers
        .reconcile(db)
        .then((n) => n && log.info(`triggers: started ${n} scheduler/poller workflow(s) that were missing`))
        .catch((error: unknown) => log.warn(`triggers: reconcile failed (${(error as Error).message}); tried again in a minute`));
    }, TRIGGER_RECONCILE_MS);
  }
  return {
    taskQueues: queues,
    run: async () => {
      await Promise.all(workers.map((w) => w.run()));
      clearInterval(reconciler);
      retention.stop();
      await kills.close();
      await connection.close();
      await clientConnection.close();
    },
    shutdown: () => {
      clearInterval(reconciler);
      retention.stop();
      workers.forEach((w) => w.shutdown());
    },
  };
}
