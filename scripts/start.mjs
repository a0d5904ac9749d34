// `npm start`: runs the whole Baton stack on this machine with embedded defaults.
//   - PostgreSQL: $DATABASE_URL, or an embedded PostgreSQL with its data in $BATON_DATA_DIR/pg
//   - Temporal:   $TEMPORAL_ADDRESS, or the Temporal dev server persisting to $BATON_DATA_DIR/temporal.db
//   - the worker and the web app (http://localhost:$PORT, default 3000)
// Ctrl-C stops everything; the next `npm start` finds the same data.
// `npm run demo` (--demo) also starts the API simulators and loads the seed flows.
import fs from 'node:fs';
import path from 'node:path';
import {
  buildWebIfStale, dataDirFrom, ensureDependencies, ensurePrismaClient, log, portOpen, root, runMigrations, startEmbeddedPostgres,
  startProcess, startTemporalDevServer, startWeb, startWorker, stopAll, waitForOutput,
} from './lib/stack.mjs';

const demo = process.argv.includes('--demo');
const env = process.env;
const dataDir = dataDirFrom(env);
const webPort = Number(env.PORT ?? 3000);
const temporalPort = Number(env.BATON_TEMPORAL_PORT ?? 7233);
const temporalUiPort = Number(env.BATON_TEMPORAL_UI_PORT ?? 8233);
const pgPort = Number(env.BATON_PG_PORT ?? 54329);

let embeddedPg;
let stopping = false;

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  await stopAll();
  if (embeddedPg) await embeddedPg.stop().catch(() => {});
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  // Say which port is taken before starting anything, rather than failing half-way.
  const wanted = [['PORT (web)', webPort], ...(env.TEMPORAL_ADDRESS ? [] : [['BATON_TEMPORAL_PORT', temporalPort], ['BATON_TEMPORAL_UI_PORT', temporalUiPort]]), ...(env.DATABASE_URL ? [] : [['BATON_PG_PORT', pgPort]])];
  for (const [name, port] of wanted) {
    if (await portOpen(port)) throw new Error(`port ${port} is already in use (another Baton?); stop it or set ${name} to a free port`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  ensureDependencies();
  await ensurePrismaClient();

  let databaseUrl = env.DATABASE_URL;
  let databaseWhere = 'DATABASE_URL';
  if (!databaseUrl) {
    embeddedPg = await startEmbeddedPostgres(dataDir, pgPort);
    databaseUrl = embeddedPg.url;
    databaseWhere = `embedded PostgreSQL on port ${pgPort}, data in ${path.relative(root, embeddedPg.dir)}`;
  }
  log(runMigrations(databaseUrl));

  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalWhere = 'TEMPORAL_ADDRESS';
  let temporalUi = env.BATON_TEMPORAL_UI_URL;
  if (!temporalAddress) {
    const dbFile = path.join(dataDir, 'temporal.db');
    const server = await startTemporalDevServer({ dataDir, port: temporalPort, uiPort: temporalUiPort, dbFile, logFile: path.join(dataDir, 'temporal.log') });
    temporalAddress = server.address;
    temporalUi = `http://localhost:${temporalUiPort}`;
    temporalWhere = `Temporal dev server (${server.binary.source}; ${server.version.split('\n')[0]}), data in ${path.relative(root, dbFile)}`;
  }

  const stackEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? 'default',
    BATON_DATA_DIR: dataDir,
    ...(temporalUi ? { BATON_TEMPORAL_UI_URL: temporalUi } : {}),
  };
  if (demo) {
    const sims = startProcess('simulators', path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'packages/simulators/src/main.ts')], { env: stackEnv });
    await waitForOutput(sims, /listening|ready|http:\/\//i, 'simulators');
    Object.assign(stackEnv, demoSecrets());
    // The seed flows must run unchanged, so the Cloudflare simulator's address comes from
    // instance-wide plugin defaults rather than from the flow.
    const defaults = path.join(dataDir, 'demo-plugin-defaults.yaml');
    fs.writeFileSync(defaults, `- type: cloudflare\n  values:\n    baseUrl: http://127.0.0.1:${env.CLOUDFLARE_SIM_PORT ?? 8082}/client/v4\n`);
    stackEnv.BATON_PLUGIN_DEFAULTS = env.BATON_PLUGIN_DEFAULTS ?? defaults;
  }
  const worker = startWorker({ env: stackEnv });
  buildWebIfStale();
  await waitForOutput(worker, /polling/, 'worker');
  const web = await startWeb({ port: webPort, env: stackEnv });
  if (demo) await loadSeedFlows(web.url);

  console.log(`
  Baton is running.
    Web UI and API   http://localhost:${webPort}        (API under /api/v1/main)
    Temporal         ${temporalAddress}${temporalUi ? `   UI ${temporalUi}` : ''}
    Database         ${databaseWhere}
    Temporal data    ${temporalWhere}
    Data directory   ${dataDir}
    Access           ${env.BATON_ADMIN_PASSWORD ? `HTTP Basic as ${env.BATON_ADMIN_EMAIL}` : 'local single-user mode (set BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD to require sign-in)'}
  Press Ctrl-C to stop.
`);
  worker.once('exit', (code) => {
    if (!stopping) {
      log(`the worker exited (code ${code}); stopping the stack`);
      void shutdown(1);
    }
  });
}

/** Secrets the seed flows read, pointing at the simulators (`npm run demo`). */
function demoSecrets() {
  const b64 = (s) => Buffer.from(s).toString('base64');
  return {
    SECRET_ARGOCD_SERVER: b64(`http://127.0.0.1:${env.ARGOCD_SIM_PORT ?? 8081}`),
    SECRET_ARGOCD_TOKEN: b64('argocd-test-token'),
    SECRET_CLOUDFLARE_API_TOKEN: b64('cloudflare-test-token'),
  };
}

async function loadSeedFlows(webUrl) {
  // The two flows of the source article, kept in examples/ exactly as published.
  const dir = path.join(root, 'examples/seed-flows');
  if (!fs.existsSync(dir)) return log(`no seed flows at ${dir}`);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const res = await fetch(`${webUrl}/api/v1/main/flows`, { method: 'POST', headers: { 'content-type': 'application/x-yaml' }, body: fs.readFileSync(path.join(dir, file), 'utf8') });
    if (res.status < 300) {
      log(`seed flow ${file}: loaded`);
      continue;
    }
    const body = await res.json().catch(() => ({}));
    const unknown = [...new Set((body.errors ?? []).filter((e) => e.message.startsWith('unknown task type')).map((e) => e.message.split("'")[1]))];
    log(unknown.length
      ? `seed flow ${file}: not loaded, its plugins are not part of Baton yet (${unknown.join(', ')})`
      : `seed flow ${file}: not loaded (${res.status}: ${body.message ?? ''})`);
  }
}

main().catch(async (error) => {
  console.error(`[baton] could not start: ${error.message}`);
  await shutdown(1);
});
