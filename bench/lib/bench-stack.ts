// The stack every benchmark runs against, started the way `npm start` starts it: a Temporal dev
// server, a scratch PostgreSQL database with the migrations, the worker and the web app.
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../scripts/lib/stack.mjs';

export { stack };

export interface BenchStack {
  /** Temporal frontend address (host:port). */
  temporalAddress: string;
  /** `temporal --version` of the dev server. */
  temporalVersion: string;
  databaseUrl: string;
  webUrl: string;
  /** The worker's process group (tsx and the node process it runs). */
  workerPid(): number;
  /** Replaces the worker with a fresh process (memory measured from a clean start). */
  restartWorker(): Promise<void>;
  /** BATON_ENCRYPTION_KEY of the stack: a client that reads Baton's workflows needs the codec. */
  encryptionKey: string;
  /** Stops every process and drops the scratch database. */
  stop(): Promise<void>;
}

export async function startBenchStack(databaseName: string): Promise<BenchStack> {
  const dataDir = stack.dataDirFrom();
  const server = await stack.startTemporalDevServer({ dataDir, port: await stack.freePort() });
  const db = await stack.createScratchDatabase(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', databaseName);
  stack.runMigrations(db.url);
  const encryptionKey = crypto.randomBytes(32).toString('base64');
  const env = { DATABASE_URL: db.url, TEMPORAL_ADDRESS: server.address, BATON_DATA_DIR: dataDir, BATON_ENCRYPTION_KEY: encryptionKey };
  let worker: ChildProcess = stack.startWorker({ env, quiet: true });
  stack.buildWebIfStale();
  await stack.waitForOutput(worker, /polling/, 'worker');
  // Benchmarks measure the engine, not sign-in: the web app runs without it, on 127.0.0.1 only.
  const web = await stack.startWeb({ port: await stack.freePort(), env: { ...env, BATON_AUTH: 'none', BATON_SERVER_TIMING: 'true' }, quiet: true });
  return {
    temporalAddress: server.address,
    temporalVersion: server.version,
    databaseUrl: db.url,
    webUrl: web.url,
    workerPid: () => worker.pid!,
    async restartWorker() {
      await stack.stopProcess(worker);
      worker = stack.startWorker({ env, quiet: true });
      await stack.waitForOutput(worker, /polling/, 'worker');
    },
    encryptionKey,
    async stop() {
      await stack.stopAll();
      await db.drop();
    },
  };
}
