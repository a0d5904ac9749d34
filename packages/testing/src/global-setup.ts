// Starts a real stack once for all integration tests: a scratch PostgreSQL database, a Temporal
// dev server, the API simulators, the worker and the web app (production build).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startArgoCdSimulator, startCloudflareSimulator, startMaasSimulator, startNetBoxSimulator, startNutanixSimulator, type RunningSimulator } from '@baton/simulators';
import { SECURE_SMTP_PASSWORD, startNotificationSink } from './notification-sink';
import { S3_TEST_CREDENTIALS, startS3Server } from './s3-server';
import { replacementWorkers } from './stack-workers';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

import './context';

async function database(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const server = process.env.BATON_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (server) {
    const scratch = await stack.createScratchDatabase(server);
    return { url: scratch.url, cleanup: scratch.drop };
  }
  if (await stack.portOpen(5432)) {
    const scratch = await stack.createScratchDatabase('postgresql://postgres@127.0.0.1:5432/postgres');
    return { url: scratch.url, cleanup: scratch.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-pg-'));
  const pg = await stack.startEmbeddedPostgres(dir, await stack.freePort());
  return {
    url: pg.url,
    cleanup: async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  try {
    return await startStack(project);
  } catch (error) {
    // A failed start (a build error, a port) must not leave servers behind.
    await stack.stopAll();
    throw error;
  }
}

async function createAdminToken(base: string, admin: { email: string; password: string }): Promise<string> {
  const basic = `Basic ${Buffer.from(`${admin.email}:${admin.password}`).toString('base64')}`;
  const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: basic } });
  if (!me.ok) throw new Error(`the test admin cannot sign in: ${me.status} ${await me.text()}`);
  const { id } = (await me.json()) as { id: string };
  const res = await fetch(`${base}/api/v1/main/users/${id}/api-tokens`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'integration tests' }),
  });
  if (res.status !== 201) throw new Error(`could not create the test admin's API token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function startStack(project: TestProject) {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-'));
  const logDir = path.join(stack.root, 'test-results');
  fs.mkdirSync(logDir, { recursive: true });
  await stack.ensurePrismaClient();
  const db = await database();
  stack.runMigrations(db.url);

  const temporal = await stack.startTemporalDevServer({
    dataDir: stack.dataDirFrom(),
    port: await stack.freePort(),
    logFile: path.join(logDir, 'temporal.log'),
  });
  const sims: RunningSimulator[] = [
    await startArgoCdSimulator({ port: 0, syncDurationMs: 600 }),
    await startCloudflareSimulator({ port: 0 }),
    await startMaasSimulator({ port: 0, timings: { commissioningMs: 600, deployingMs: 800, releasingMs: 300, powerMs: 200 } }),
    await startNetBoxSimulator({ port: 0 }),
    await startNutanixSimulator({ port: 0, timings: { createMs: 600, powerMs: 300, cloneMs: 600, deleteMs: 200, templateMs: 400, snapshotMs: 400, restoreMs: 400 } }),
  ];
  const [argocd, cloudflare, maas, netbox, nutanix] = sims;
  const defaultsFile = path.join(dataDir, 'plugin-defaults.yaml');
  // MAAS waits poll faster than in production. (The NetBox site, role and device type the metal seed
  // flow needs are namespace defaults of infra.provisioning, set by seed-flow-metal.int.test.ts.)
  fs.writeFileSync(
    defaultsFile,
    [
      `- type: cloudflare\n  values:\n    baseUrl: ${cloudflare.url}/client/v4`,
      '- type: maas.machines.Commission\n  values:\n    pollInterval: PT0.2S',
      '- type: maas.machines.Deploy\n  values:\n    pollInterval: PT0.2S',
      // The Nutanix simulator speaks plain HTTP on a random port; flows give host and credentials.
      `- type: nutanix\n  values:\n    port: ${nutanix.port}\n    scheme: http\n    pollInterval: PT0.2S`,
      '',
    ].join('\n'),
  );

  // Approval notifications (webhook and e-mail) go to a local receiver and SMTP server.
  const sink = await startNotificationSink();
  // BATON_TEST_STORAGE=s3: the worker and the web app keep files in a real S3-compatible server
  // (s3rver) instead of the local disk; scripts/test.mjs runs the file tests that way too.
  const s3 = process.env.BATON_TEST_STORAGE === 's3' ? await startS3Server() : undefined;
  const storageEnv: Record<string, string> = s3
    ? {
        BATON_STORAGE: 's3',
        BATON_STORAGE_S3_ENDPOINT: s3.endpoint,
        BATON_STORAGE_S3_BUCKET: s3.bucket,
        BATON_STORAGE_S3_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
        BATON_STORAGE_S3_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
        BATON_STORAGE_S3_PREFIX: 'baton-it/',
      }
    : { BATON_STORAGE: 'local' };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  // A fresh key per run: Temporal payloads and stored secrets are encrypted with it.
  const encryptionKey = crypto.randomBytes(32).toString('base64');
  const env = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    BATON_DATA_DIR: dataDir,
    ...storageEnv,
    BATON_PLUGIN_DEFAULTS: defaultsFile,
    BATON_ENCRYPTION_KEY: encryptionKey,
    // The origin the codec endpoint answers CORS for (the Temporal UI's, in npm start).
    BATON_CODEC_CORS_ORIGINS: 'http://localhost:8233',
    BATON_APPROVAL_WEBHOOK_URL: sink.webhookUrl,
    BATON_SMTP_URL: sink.smtpUrl,
    BATON_SMTP_FROM: 'Baton <baton@baton.test>',
    BATON_PUBLIC_URL: 'https://baton.test',
    SECRET_ARGOCD_SERVER: b64(argocd.url),
    SECRET_ARGOCD_TOKEN: b64('argocd-test-token'),
    SECRET_CLOUDFLARE_API_TOKEN: b64('cloudflare-test-token'),
    SECRET_TEST_TOKEN: b64('s3cr3t-t0ken-value'),
    // Notification tasks (docs/notifications.md): a webhook URL carrying a token, the SMTPS password and CA.
    SECRET_NOTIFY_WEBHOOK: b64(`${sink.url}/hooks/T0NOTIFY/B0NOTIFY/webhook-token-3b9e1c`),
    SECRET_SMTP_PASSWORD: b64(SECURE_SMTP_PASSWORD),
    SECRET_SMTP_CA: b64(sink.smtpsCa),
    SECRET_MAAS_URL: b64(`${maas.url}/MAAS`),
    SECRET_MAAS_API_KEY: b64('baton-consumer:baton-token:baton-token-secret'),
    SECRET_IPMI_USER: b64('ipmi-operator'),
    SECRET_IPMI_PASSWORD: b64('ipmi-test-password'),
    SECRET_NETBOX_URL: b64(netbox.url),
    SECRET_NETBOX_API_TOKEN: b64('0123456789abcdef0123456789abcdef01234567'),
    SECRET_NUTANIX_HOST: b64('127.0.0.1'),
    SECRET_NUTANIX_USERNAME: b64('admin'),
    SECRET_NUTANIX_PASSWORD: b64('Nutanix/4u-sim'),
  };
  // The workflow bundle is cached in the shared data dir so test runs reuse it.
  fs.mkdirSync(path.join(stack.dataDirFrom(), 'cache'), { recursive: true });
  fs.symlinkSync(path.join(stack.dataDirFrom(), 'cache'), path.join(dataDir, 'cache'));
  const worker = stack.startWorker({ env, quiet: true, logFile: path.join(logDir, 'worker.log') });
  stack.buildWebIfStale();
  await stack.waitForOutput(worker, /polling/, 'worker');
  // Sign-in is on, as in production: the web app gets an admin, and tests call the API with an
  // API token of that admin (created below through HTTP Basic, as a script would).
  const admin = { email: 'admin@baton.test', password: 'integration-admin-password' };
  const webEnv = { ...env, BATON_ADMIN_EMAIL: admin.email, BATON_ADMIN_PASSWORD: admin.password };
  const web = await stack.startWeb({ port: await stack.freePort(), env: webEnv, quiet: true, logFile: path.join(logDir, 'web.log') });
  const apiToken = await createAdminToken(web.url, admin);
  console.log(
    `[integration] storage ${storageEnv.BATON_STORAGE}; stack ready in ${((Date.now() - started) / 1000).toFixed(0)} s: web ${web.url}, temporal ${temporal.address}, db ${db.url.replace(/:[^:@/]*@/, ':***@')}`,
  );

  project.provide('apiUrl', web.url);
  project.provide('apiToken', apiToken);
  project.provide('adminEmail', admin.email);
  project.provide('adminPassword', admin.password);
  project.provide('databaseUrl', db.url);
  project.provide('temporalAddress', temporal.address);
  project.provide('argocdUrl', argocd.url);
  project.provide('cloudflareUrl', cloudflare.url);
  project.provide('maasUrl', maas.url);
  project.provide('netboxUrl', netbox.url);
  project.provide('nutanixUrl', nutanix.url);
  project.provide('dataDir', dataDir);
  project.provide('storageEnv', { ...storageEnv, BATON_DATA_DIR: dataDir });
  project.provide('encryptionKey', encryptionKey);
  project.provide('notificationSinkUrl', sink.url);
  // Tests that start their own worker (the crash test) need the same environment.
  fs.writeFileSync(path.join(dataDir, 'worker-env.json'), JSON.stringify(env));
  // A test that really stops the worker (trigger-restart.int.test.ts) SIGKILLs this one and starts
  // its replacement, which serves the files after it; it lists the replacement's pid in
  // REPLACEMENT_WORKERS so that teardown stops it with the rest of the stack.
  project.provide('workerPid', worker.pid!);

  return async () => {
    for (const pid of replacementWorkers(dataDir)) await stack.stopGroup(pid, { signal: 'SIGTERM', graceMs: 5_000 });
    await stack.stopAll();
    await Promise.all(sims.map((s) => s.close()));
    await sink.close();
    await s3?.close();
    await db.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
