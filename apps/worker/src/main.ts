import { migrate } from '@baton/db';
import { createLogger, EnvError, InvalidKeyError, keyringFrom } from '@baton/engine';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWorkerEnv } from './env';
import { createWorkers } from './worker';

async function main() {
  let env;
  try {
    env = readWorkerEnv();
  } catch (error) {
    // Configuration, not a bug: the message names every bad variable; a stack trace would bury it.
    if (error instanceof EnvError) {
      process.stderr.write(`worker cannot start. ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  try {
    keyringFrom(env.encryptionKey, env.encryptionKeysOld); // a malformed key stops the start before anything is touched
  } catch (error) {
    if (error instanceof InvalidKeyError) {
      process.stderr.write(`worker cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger('worker', env.logLevel);
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  await migrate(env.databaseUrl, path.join(repoRoot, 'prisma/migrations'));
  const workers = await createWorkers(env, log);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info(`${signal}: finishing running activities, then stopping`);
      workers.shutdown();
    });
  }
  // `npm start` and the test setup wait for this line ("polling").
  log.info(
    { taskQueues: workers.taskQueues, temporalAddress: env.temporalAddress, temporalNamespace: env.temporalNamespace },
    `polling ${workers.taskQueues.join(', ')} on ${env.temporalAddress} (namespace ${env.temporalNamespace})`,
  );
  await workers.run();
  log.info('stopped');
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker fatal: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
